// "Fix with Claude Code" on a finding's thread: the finding (file, lines, what is wrong) goes to Claude Code — into
// its running terminal, a new one, or the clipboard — and the person is told which happened, in a notification and
// in the thread.
import type { ClaudeTerminals } from "./claudeTerminals";
import { handoffMessage } from "./handoffMessage";
import { claudePrompt } from "./findingText";
import type { ReviewModel } from "./model";
import type { ReviewThreads } from "./threads";
import { inform } from "../messages";

export interface FixWithClaudeDeps {
  model: ReviewModel;
  threads: ReviewThreads;
  terminals: ClaudeTerminals;
  workspace: () => string | undefined;
}

export async function fixWithClaude(deps: FixWithClaudeDeps, target: unknown): Promise<void> {
  const entry = deps.threads.entryFor(target);
  if (!entry) return void inform("use Fix with Claude Code on a finding's thread.");
  const handoff = await deps.terminals.handOff(claudePrompt(entry.finding), deps.workspace());
  const message = handoffMessage(handoff);
  deps.threads.say(entry, "note", message);
  void inform(message);
}
