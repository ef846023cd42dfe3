// "Fix with Codex" on a finding's thread, and "Fix all with Codex" in the verdict panel for the open findings of the
// latest review: Codex fixes them in a copy of the workspace (one delegate, one change), and the change comes back
// for the person to view, apply or discard (extension/changes/) — nothing lands by itself. The model follows the
// change: fix proposed while it waits, fixed once applied, open again when it is dropped.
import * as vscode from "vscode";
import { Commands } from "../commandIds";
import { inform } from "../messages";
import { fixNote, type DelegateOutcome, type Disposition } from "../changes/changeEntries";
import { claudePrompt, fixAllTask } from "./findingText";
import { fixOutcome, type ReviewEntry, type ReviewModel } from "./model";
import type { ReviewThreads } from "./threads";

export interface FixDeps {
  model: ReviewModel;
  threads: ReviewThreads;
}

export async function fixWithCodex(deps: FixDeps, target: unknown): Promise<void> {
  const entry = deps.threads.entryFor(target);
  if (!entry) return void inform("use Fix with Codex on a finding's thread.");
  deps.threads.say(entry, "note", "Codex is fixing this finding in a copy of the workspace; its change comes back for you to view, apply or discard.");
  // The finding's text, as for Claude Code: check it, fix it with the smallest change, or say why not.
  await delegateFix(deps, [entry], claudePrompt(entry.finding));
}

/** The open findings of the review `turnId` (the latest), fixed by Codex as one change. */
export async function fixAllWithCodex(deps: FixDeps, turnId: string): Promise<void> {
  if (deps.model.review?.turnId !== turnId) return void inform("that review is no longer the latest; only the latest review's findings can be fixed.");
  const entries = deps.model.fixable();
  if (entries.length === 0) return void inform("the latest review has no open findings to fix.");
  for (const entry of entries) deps.threads.say(entry, "note", "Codex is fixing the review's open findings, this one included, in one change in a copy of the workspace.");
  await delegateFix(deps, entries, fixAllTask(entries.map((entry) => entry.finding)));
}

/** A change proposed earlier was applied or discarded (from the Codex Changes view or its commands). */
export function changeSettled(deps: FixDeps, changeId: string, disposition: Disposition): void {
  const outcome = fixOutcome(disposition);
  if (!outcome) return;
  const note = fixNote(disposition);
  for (const entry of deps.model.settle(changeId, outcome)) if (note) deps.threads.say(entry, "note", note);
}

async function delegateFix(deps: FixDeps, entries: readonly ReviewEntry[], task: string): Promise<void> {
  const result = await vscode.commands.executeCommand<DelegateOutcome | undefined>(Commands.delegateTask, task);
  const outcome = fixOutcome(result?.disposition);
  if (outcome) deps.model.fixed(entries.map((entry) => entry.id), outcome, result?.changeId ?? null);
  const note = fixNote(result?.disposition);
  if (note) for (const entry of entries) deps.threads.say(entry, "note", note);
}
