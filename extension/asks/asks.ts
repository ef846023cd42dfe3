// The editor's own asks and turn controls: Consult About Selection, Review Selection as Plan, Brainstorm…, Explore
// Workspace, Reply to Codex…, Cancel Current Turn, Reset Codex Session.
import * as vscode from "vscode";
import { askCodex, type AskDeps } from "./ask";
import { selectionContext, selectionLocation, type SelectionInfo } from "./selection";
import { Commands } from "../commandIds";
import { actions, fail, inform, show } from "../messages";

export function registerAskCommands(deps: AskDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.consultSelection, () => consultSelection(deps)),
    vscode.commands.registerCommand(Commands.reviewSelectionAsPlan, () => reviewSelectionAsPlan(deps)),
    vscode.commands.registerCommand(Commands.brainstorm, () => brainstorm(deps)),
    vscode.commands.registerCommand(Commands.explore, () => explore(deps)),
    vscode.commands.registerCommand(Commands.reply, () => reply(deps)),
    vscode.commands.registerCommand(Commands.cancelTurn, (turnId?: unknown) => cancelTurn(deps, typeof turnId === "string" ? turnId : undefined)),
    vscode.commands.registerCommand(Commands.resetSession, () => resetSession(deps)),
  ];
}

async function consultSelection(deps: AskDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const selection = editor ? currentSelection(editor) : null;
  const question = await vscode.window.showInputBox({
    title: "Consult Codex",
    prompt: selection ? `Codex sees the selection (${selectionLocation(selection)}) with your question.` : "Ask Codex for a second opinion.",
    placeHolder: "e.g. Is this retry loop safe when the connection drops mid-request?",
    ignoreFocusOut: true,
    validateInput: required("Type a question for Codex."),
  });
  if (question === undefined) return;
  let context: string | undefined;
  if (selection) context = selectionContext(selection);
  else if (editor) context = `The person is looking at ${vscode.workspace.asRelativePath(editor.document.uri, false)}:${editor.selection.active.line + 1} in the editor.`;
  await askCodex(deps, "consult", { question: question.trim(), ...(context ? { context } : {}) });
}

async function reviewSelectionAsPlan(deps: AskDeps): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void inform("open the plan in an editor and select it (or leave nothing selected to review the whole file).");
    return;
  }
  // Nothing selected: the whole document is the plan (a PLAN.md, say).
  const selection = currentSelection(editor) ?? wholeDocument(editor);
  if (!selection.text.trim()) {
    void inform("there is no plan text to review — select it first.");
    return;
  }
  await askCodex(deps, "review_plan", { plan: selection.text, context: `The plan is ${selectionLocation(selection)} in the workspace.` });
}

async function brainstorm(deps: AskDeps): Promise<void> {
  const problem = await vscode.window.showInputBox({
    title: "Brainstorm with Codex",
    prompt: "Describe the problem; Codex proposes 2–4 approaches with trade-offs and recommends one.",
    placeHolder: "e.g. How should we cache parsed configs across reloads?",
    ignoreFocusOut: true,
    validateInput: required("Describe the problem to brainstorm."),
  });
  if (problem === undefined) return;
  await askCodex(deps, "brainstorm", { problem: problem.trim() });
}

async function explore(deps: AskDeps): Promise<void> {
  const focus = await vscode.window.showInputBox({
    title: "Explore the Workspace with Codex",
    prompt: "Optional: what to focus the map on (a feature, a flow, a question). Leave empty for the whole workspace.",
    placeHolder: "e.g. how a request flows from the HTTP layer to the database",
    ignoreFocusOut: true,
  });
  if (focus === undefined) return;
  await askCodex(deps, "explore", focus.trim() ? { focus: focus.trim() } : {});
}

async function reply(deps: AskDeps): Promise<void> {
  const message = await vscode.window.showInputBox({
    title: "Reply to Codex",
    prompt: "Push back on Codex's last answer, add facts or ask a follow-up, in the same session.",
    placeHolder: "e.g. The lock is already held by the caller — does your concern still apply?",
    ignoreFocusOut: true,
    validateInput: required("Type your reply to Codex."),
  });
  if (message === undefined) return;
  await askCodex(deps, "reply", { message: message.trim() });
}

async function cancelTurn(deps: AskDeps, turnId?: string): Promise<void> {
  try {
    // Several turns run side by side: the person picks the one to cancel (the panel names it).
    let id = turnId;
    const turns = id ? [] : (await deps.server.request("getStatus", {})).turns;
    if (turns.length > 1) {
      const picked = await vscode.window.showQuickPick(
        turns.map((turn) => ({ label: `${turn.tool}${turn.client ? ` from ${turn.client}` : ""}`, description: `${Math.round(turn.elapsedMs / 1000)} s${turn.waitingForPermission ? " · waiting for a decision" : ""}`, detail: turn.summary, id: turn.id })),
        { title: "Cancel which Codex turn?", placeHolder: `${turns.length} turns are running` },
      );
      if (!picked) return;
      id = picked.id;
    }
    const result = await deps.server.request("cancelTurn", id ? { id } : {});
    if (!result.cancelled) void inform("no Codex turn is running.");
  } catch (error) {
    void fail(`could not cancel the turn — ${errorText(error)}`);
  }
}

async function resetSession(deps: AskDeps): Promise<void> {
  const RESET = "Reset Session";
  const choice = await show(
    {
      level: "warning",
      text: "Reset the Codex session?",
      modal: true,
      detail: "Codex forgets this conversation (for Claude's asks too); the next ask starts a fresh session. A turn in progress is cancelled.",
      prefixed: false,
    },
    actions.choice(RESET),
  );
  if (choice !== RESET) return;
  try {
    const result = await deps.server.request("resetSession", {});
    void inform(result.message);
  } catch (error) {
    void fail(`could not reset the session — ${errorText(error)}`);
  }
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────

function required(message: string): (value: string) => string | undefined {
  return (value) => (value.trim() ? undefined : message);
}

function currentSelection(editor: vscode.TextEditor): SelectionInfo | null {
  const range = editor.selection;
  if (range.isEmpty) return null;
  const text = editor.document.getText(range);
  if (!text.trim()) return null;
  // A selection ending at column 0 of the next line does not include that line.
  const endLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1;
  return { file: vscode.workspace.asRelativePath(editor.document.uri, false), startLine: range.start.line + 1, endLine, languageId: editor.document.languageId, text };
}

function wholeDocument(editor: vscode.TextEditor): SelectionInfo {
  const document = editor.document;
  return { file: vscode.workspace.asRelativePath(document.uri, false), startLine: 1, endLine: Math.max(1, document.lineCount), languageId: document.languageId, text: document.getText() };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
