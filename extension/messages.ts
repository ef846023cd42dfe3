// Everything the extension tells a person in a notification goes through here: the "Codex Fusion:" prefix, the
// level, and the actions offered with a message. An action is its label and what it does, so a click runs here
// instead of each caller matching the label it got back.
import * as vscode from "vscode";
import { Commands } from "./commandIds";
import { SETTINGS_SECTION } from "./settings";

export type Level = "info" | "warning" | "error";

/** A button on a message: what it says and what a click does (nothing: the caller reads the returned label). */
export interface MessageAction {
  label: string;
  run?: () => unknown;
}

export interface Message {
  level: Level;
  text: string;
  /** A modal dialog (its `detail` under the text) instead of a notification. */
  modal?: boolean;
  detail?: string;
  /** "Codex Fusion: " goes first unless the text names the product itself (a dialog title, a permission question). */
  prefixed?: boolean;
}

const PREFIX = "Codex Fusion: ";

/** Shows the message; the clicked action runs. Resolves with the clicked label (undefined when dismissed). */
export async function show(message: Message, ...actions: MessageAction[]): Promise<string | undefined> {
  const text = message.prefixed === false ? message.text : `${PREFIX}${message.text}`;
  const labels = actions.map((action) => action.label);
  const options: vscode.MessageOptions = message.modal ? { modal: true, ...(message.detail ? { detail: message.detail } : {}) } : {};
  const choice =
    message.level === "error"
      ? await vscode.window.showErrorMessage(text, options, ...labels)
      : message.level === "warning"
        ? await vscode.window.showWarningMessage(text, options, ...labels)
        : await vscode.window.showInformationMessage(text, options, ...labels);
  await actions.find((action) => action.label === choice)?.run?.();
  return choice;
}

/** A prefixed notification, with actions. Callers that do not wait for the click write `void inform(…)`. */
export function inform(text: string, ...actions: MessageAction[]): Promise<string | undefined> {
  return show({ level: "info", text }, ...actions);
}

export function warn(text: string, ...actions: MessageAction[]): Promise<string | undefined> {
  return show({ level: "warning", text }, ...actions);
}

export function fail(text: string, ...actions: MessageAction[]): Promise<string | undefined> {
  return show({ level: "error", text }, ...actions);
}

/** The actions several messages offer. */
export const actions = {
  showLog: (): MessageAction => ({ label: "Show Log", run: () => vscode.commands.executeCommand(Commands.showLog) }),
  openSettings: (): MessageAction => ({ label: "Open Settings", run: () => vscode.commands.executeCommand("workbench.action.openSettings", SETTINGS_SECTION) }),
  restartServer: (label = "Restart Server"): MessageAction => ({ label, run: () => vscode.commands.executeCommand(Commands.restartServer) }),
  signIn: (): MessageAction => ({ label: "Sign in to Codex", run: () => vscode.commands.executeCommand(Commands.signIn) }),
  installAgent: (): MessageAction => ({ label: "Install Codex Agent", run: () => vscode.commands.executeCommand(Commands.installAgent) }),
  openExternal: (label: string, url: string): MessageAction => ({ label, run: () => vscode.env.openExternal(vscode.Uri.parse(url)) }),
  copy: (label: string, text: string): MessageAction => ({ label, run: () => vscode.env.clipboard.writeText(text) }),
  openFile: (label: string, uri: vscode.Uri): MessageAction => ({ label, run: () => vscode.window.showTextDocument(uri) }),
  /** A choice the caller acts on itself (by the returned label). */
  choice: (label: string): MessageAction => ({ label }),
};
