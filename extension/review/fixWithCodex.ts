// "Fix with Codex" on a finding's thread: Codex fixes that finding in a copy of the workspace (a delegate), and the
// change comes back for the person to view, apply or discard (extension/changes/) — nothing lands by itself.
import * as vscode from "vscode";
import { Commands } from "../commandIds";
import { inform } from "../messages";
import { fixNote, type Disposition } from "../changes/changeEntries";
import { claudePrompt } from "./findingText";
import type { ReviewThreads } from "./threads";

export async function fixWithCodex(deps: { threads: ReviewThreads }, target: unknown): Promise<void> {
  const entry = deps.threads.entryFor(target);
  if (!entry) return void inform("use Fix with Codex on a finding's thread.");
  deps.threads.say(entry, "note", "Codex is fixing this finding in a copy of the workspace; its change comes back for you to view, apply or discard.");
  // The finding's text, as for Claude Code: check it, fix it with the smallest change, or say why not.
  const disposition = await vscode.commands.executeCommand<Disposition | undefined>(Commands.delegateTask, claudePrompt(entry.finding));
  const note = fixNote(disposition);
  if (note) deps.threads.say(entry, "note", note);
}
