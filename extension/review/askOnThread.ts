// "Ask Codex" in a finding's reply box: the question goes to Codex in the same session (a consult, with the finding
// as its context), and the answer appears in the thread — also when the turn first waits for a permission decision.
import * as vscode from "vscode";
import type { ControlEvent } from "../../server/protocol/control";
import { EDITOR_CLIENT } from "../../server/protocol/constants";
import { askCodex, type AskDeps } from "../commands/ask";
import type { ServerConnection } from "../serverConnection";
import { askContext } from "./findingText";
import type { ReviewModel } from "./model";
import type { ReviewThreads } from "./threads";

export interface AskOnThreadDeps {
  model: ReviewModel;
  threads: ReviewThreads;
  ask: AskDeps;
  server: ServerConnection;
}

export async function askOnThread(deps: AskOnThreadDeps, reply: vscode.CommentReply | undefined): Promise<void> {
  const entry = deps.threads.entryFor(reply);
  const question = reply?.text.trim() ?? "";
  if (!entry) return void vscode.window.showInformationMessage("Codex Fusion: ask from the reply box of a finding's thread.");
  if (!question) return void vscode.window.showInformationMessage("Codex Fusion: type your question about this finding in its reply box first.");
  deps.threads.say(entry, "you", question);
  const answer = deps.threads.say(entry, "codex", "*Codex is thinking…*");
  // A consult is the editor's own ask: wait for its turnFinished in case it pauses for a permission.
  let finished: ((text: string) => void) | null = null;
  const subscription = deps.server.onEvent((event: ControlEvent) => {
    if (finished && event.type === "turnFinished" && event.tool === "consult" && event.client === EDITOR_CLIENT) {
      finished(event.isError ? `Codex could not answer: ${event.error ?? "the turn failed"}` : event.result.answer);
    }
  });
  try {
    const response = await askCodex(deps.ask, "consult", { question, context: askContext(entry.finding) });
    if (!response) answer("Codex could not answer (see the notification).");
    else if (response.result?.pendingPermission) {
      answer("*Codex is waiting for a permission decision (Permissions view); the answer appears here when it is done.*");
      const text = await new Promise<string>((resolve) => (finished = resolve));
      answer(text);
    } else if (response.isError) answer(`Codex could not answer: ${response.error?.message ?? response.text}`);
    else answer(response.result?.answer.trim() || "(Codex gave no text answer.)");
  } finally {
    subscription.dispose();
  }
}
