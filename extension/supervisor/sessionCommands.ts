// The workspace's Codex conversations: Start Fresh Codex Session, Continue Earlier Session… (a quick pick of the
// sessions Codex keeps for this workspace: titles and last activity) and Continue the Conversation in Codex
// (`codex resume <id>` in a terminal, so a person can take the debate over).
import * as vscode from "vscode";
import type { EarlierSession } from "../../server/protocol/continuity";
import type { ServerConnection } from "./serverConnection";
import { Commands } from "../commandIds";
import { fail, inform } from "../messages";
import { sessionItems } from "../usage/sessionItems";

export function registerSessionCommands(server: ServerConnection): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.startFreshSession, () => startFresh(server)),
    vscode.commands.registerCommand(Commands.continueEarlierSession, () => continueEarlier(server)),
    vscode.commands.registerCommand(Commands.continueInCodex, () => continueInCodex(server)),
  ];
}

async function startFresh(server: ServerConnection): Promise<void> {
  try {
    const result = await server.request("resetSession", {});
    void inform(`${result.message}`);
  } catch (error) {
    void fail(`could not start a fresh session — ${errorText(error)}`);
  }
}

async function continueEarlier(server: ServerConnection): Promise<void> {
  let sessions: EarlierSession[] | null;
  try {
    sessions = (await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: "Codex Fusion: listing Codex sessions…" }, () => server.request("listSessions", {}))).sessions;
  } catch (error) {
    return void fail(`could not list Codex's sessions — ${errorText(error)}`);
  }
  if (sessions === null) return void inform("this Codex agent cannot list its sessions.");
  const items = sessionItems(sessions);
  if (items.length === 0) return void inform("Codex keeps no earlier session for this workspace.");
  const picked = await vscode.window.showQuickPick(items, { title: "Codex Fusion: Continue Earlier Session", placeHolder: "Which conversation should Codex continue?", matchOnDetail: true });
  if (!picked) return;
  try {
    const result = await server.request("continueSession", { sessionId: picked.sessionId });
    void inform(`${result.message}`);
  } catch (error) {
    void fail(`could not continue that session — ${errorText(error)}`);
  }
}

function continueInCodex(server: ServerConnection): void {
  const command = server.status?.continuity?.resumeCommand;
  if (!command) return void inform("there is no Codex conversation yet — ask Codex something first.");
  const terminal = vscode.window.createTerminal({ name: "Codex", cwd: server.status?.workspace });
  terminal.show();
  terminal.sendText(command);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
