// "Ask Codex" in a finding's reply box: the question goes to Codex in the same session (a consult, with the finding
// as its context), and the answer appears in the thread — also when the turn first waits for a permission decision.
import * as vscode from "vscode";
import type { ControlEvent } from "../../server/protocol/control";
import { askCodex, type AskDeps } from "../asks/ask";
import type { ServerConnection } from "../supervisor/serverConnection";
import { askContext } from "./findingText";
import type { ReviewModel } from "./model";
import type { ReviewThreads } from "./threads";
import { inform } from "../messages";

export interface AskOnThreadDeps {
  model: ReviewModel;
  threads: ReviewThreads;
  ask: AskDeps;
  server: ServerConnection;
}

export async function askOnThread(deps: AskOnThreadDeps, reply: vscode.CommentReply | undefined): Promise<void> {
  const entry = deps.threads.entryFor(reply);
  const question = reply?.text.trim() ?? "";
  if (!entry) return void inform("ask from the reply box of a finding's thread.");
  if (!question) return void inform("type your question about this finding in its reply box first.");
  deps.threads.say(entry, "you", question);
  const answer = deps.threads.say(entry, "codex", "*Codex is thinking…*");
  // A consult that pauses for a permission finishes later, as the turnFinished event of *its* turn (other asks may
  // run beside it), or the server stops first.
  const finishedTurns = new Map<string, string>();
  let waiting: { turnId: string; resolve: (text: string) => void } | null = null;
  const subscriptions = [
    deps.server.onEvent((event: ControlEvent) => {
      if (event.type !== "turnFinished") return;
      const text = event.isError ? `Codex could not answer: ${event.error ?? "the turn failed"}` : event.result.answer.trim() || "(Codex gave no text answer.)";
      finishedTurns.set(event.id, text);
      if (waiting?.turnId === event.id) waiting.resolve(text);
    }),
    deps.server.onDidChangePhase((phase) => {
      if (phase === "stopped" || phase === "error") waiting?.resolve("Codex could not answer: Codex Fusion's server stopped before the turn finished — ask again.");
    }),
  ];
  try {
    const outcome = await askCodex(deps.ask, "consult", { question, context: askContext(entry.finding) });
    if (!outcome) answer("Codex could not answer (see the notification).");
    else if (outcome.status === "permission" && outcome.turnId) {
      const turnId = outcome.turnId;
      answer("*Codex is waiting for a permission decision (Permissions view); the answer appears here when it is done.*");
      answer(finishedTurns.get(turnId) ?? (await new Promise<string>((resolve) => (waiting = { turnId, resolve }))));
    } else if (outcome.error) answer(`Codex could not answer: ${outcome.error.message}`);
    else answer(outcome.result?.answer.trim() || "(Codex gave no text answer.)");
  } finally {
    for (const subscription of subscriptions) subscription.dispose();
  }
}
