// "Ask Codex" in a finding's reply box: the question goes to Codex in the same session (a consult, with the finding
// as its context), and the answer appears in the thread — also when the turn first waits for a permission decision.
import * as vscode from "vscode";
import type { ControlEvent } from "../../server/protocol/control";
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
  // A consult that pauses for a permission finishes later, as a turnFinished event: the one of *this* turn (its id
  // comes with the permission it waits on; other asks may run beside it), or the server stops first.
  const turnOfPermission = new Map<string, string | null>();
  const finishedTurns = new Map<string, string>();
  let waiting: { turnId: string; resolve: (text: string) => void } | null = null;
  const subscriptions = [
    deps.server.onEvent((event: ControlEvent) => {
      if (event.type === "permissionPending") turnOfPermission.set(event.request.id, event.request.turnId);
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
    const response = await askCodex(deps.ask, "consult", { question, context: askContext(entry.finding) });
    const pending = response?.result?.pendingPermission;
    if (!response) answer("Codex could not answer (see the notification).");
    else if (pending) {
      const turnId = turnOfPermission.get(pending.id) ?? null;
      if (!turnId) return void answer("*Codex is waiting for a permission decision (Permissions view); its answer will be in the verdict panel.*");
      answer("*Codex is waiting for a permission decision (Permissions view); the answer appears here when it is done.*");
      answer(finishedTurns.get(turnId) ?? (await new Promise<string>((resolve) => (waiting = { turnId, resolve }))));
    } else if (response.isError) answer(`Codex could not answer: ${response.error?.message ?? response.text}`);
    else answer(response.result?.answer.trim() || "(Codex gave no text answer.)");
  } finally {
    for (const subscription of subscriptions) subscription.dispose();
  }
}
