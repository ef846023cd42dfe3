// The server's commands (Restart Server, Show Log, Show Status, Sign in to Codex, the status bar's action list) and
// the notifications about the server's life: it gave up, the agent is missing or not signed in, settings changed.
import * as vscode from "vscode";
import { statusText } from "../../server/protocol/statusText";
import { findExecutable } from "../../server/protocol/findExecutable";
import { setupProblem } from "./agentSetup";
import type { ExtensionLog } from "../log";
import { SETTINGS_SECTION } from "../settings";
import { showStatusActions } from "./statusBar";
import type { Supervisor } from "./supervisor";
import { Commands } from "../commandIds";
import { actions, fail, inform, show, warn } from "../messages";

export interface ServerCommandDeps {
  supervisor: Supervisor;
  log: ExtensionLog;
  workspaceFolder: () => vscode.WorkspaceFolder | undefined;
}

export function registerServerCommands(deps: ServerCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.restartServer, () => restartServer(deps)),
    vscode.commands.registerCommand(Commands.showLog, () => deps.log.show()),
    vscode.commands.registerCommand(Commands.showStatus, () => showStatus(deps)),
    vscode.commands.registerCommand(Commands.signIn, () => signIn(deps)),
    vscode.commands.registerCommand(Commands.statusActions, () => showStatusActions(deps.supervisor)),
  ];
}

async function restartServer({ supervisor, workspaceFolder }: ServerCommandDeps): Promise<void> {
  if (!workspaceFolder()) {
    void warn("open a folder first — the server works in the window's first folder.");
    return;
  }
  if (supervisor.busy) {
    const choice = await show(
      { level: "warning", text: "Codex is in the middle of a turn. Restarting the server cancels it and starts a new Codex session.", modal: true, prefixed: false },
      actions.choice("Restart"),
    );
    if (choice !== "Restart") return;
  }
  await supervisor.restart("requested by you");
}

async function showStatus({ supervisor }: ServerCommandDeps): Promise<void> {
  const { phase, endpoint } = supervisor;
  const lines: string[] = [];
  if (phase === "ready" && endpoint) {
    lines.push(`Server: ready — pid ${endpoint.pid}${supervisor.version ? `, version ${supervisor.version}` : ""}, ${endpoint.url}`);
    try {
      lines.push(statusText(await supervisor.request("getStatus", {})));
    } catch (error) {
      lines.push(`Could not read the server's status: ${(error as Error).message}`);
    }
  } else if (phase === "stopped") {
    lines.push(`Server: not running. ${supervisor.lastError ?? "Open a folder to start it."}`);
  } else {
    lines.push(`Server: ${phase}.`, supervisor.lastError ?? "");
  }
  if (supervisor.restartPending) lines.push("", "A restart to apply new settings waits for the current turn.");
  const detail = lines.filter((line, index) => line !== "" || index > 0).join("\n");
  const first = phase === "ready" ? actions.copy("Copy", detail) : actions.restartServer();
  await show({ level: "info", text: "Codex Fusion status", modal: true, detail, prefixed: false }, first, actions.showLog());
}

/** A terminal running `codex login` (or the same through npx); Codex Fusion's agent uses that sign-in. */
async function signIn({ workspaceFolder }: ServerCommandDeps): Promise<void> {
  const commandLine = findExecutable("codex") ? "codex login" : findExecutable("npx") ? "npx -y @openai/codex login" : null;
  if (!commandLine) {
    await fail(
      "signing in needs the Codex CLI or Node.js (for npx), and neither is on PATH. Install Node.js 20 or later " +
        "(or the Codex CLI) and run “Sign in to Codex” again — or set OPENAI_API_KEY in the environment VS Code starts with.",
      actions.openExternal("Codex CLI", "https://github.com/openai/codex"),
      actions.openExternal("Node.js", "https://nodejs.org/"),
    );
    return;
  }
  const terminal = vscode.window.createTerminal({ name: "Codex sign-in", cwd: workspaceFolder()?.uri });
  terminal.show();
  terminal.sendText(commandLine);
  void inform("finish signing in in the terminal. Codex uses it from the next ask.");
}

// ── notifications ────────────────────────────────────────────────────────────────────────────────

/** When the supervisor stops restarting: one error with what to do. */
export function notifyWhenGivenUp({ supervisor }: ServerCommandDeps): vscode.Disposable {
  return supervisor.onDidGiveUp(async ({ kind, message }) => {
    const first = kind === "config" ? actions.openSettings() : actions.restartServer("Restart");
    await show({ level: "error", text: message, prefixed: false }, first, actions.showLog());
  });
}

/**
 * First run without a working agent or sign-in: ONE notification with the fix, the first time this window learns of it
 * (a failed turn, or a server state whose last error says so); later failures only reach the log and the caller.
 */
export function notifySetupProblems({ supervisor }: ServerCommandDeps): vscode.Disposable {
  let shown = false;
  return supervisor.onEvent(async (event) => {
    if (shown) return;
    const failure =
      event.type === "turnFinished" && event.isError
        ? { message: event.error, code: event.errorCode }
        : event.type === "serverState"
          ? { message: event.status.lastError, code: event.status.lastErrorCode }
          : null;
    const error = failure?.message ?? null;
    const problem = setupProblem(failure?.code ?? null);
    if (!error || !problem) return;
    shown = true;
    const fixes = problem === "signIn" ? [actions.signIn()] : [actions.installAgent(), actions.openSettings()];
    await fail(error, ...fixes, actions.showLog());
  });
}

/** Settings the server cannot use: one warning per distinct set (not one per check). */
export function settingsProblemReporter(log: ExtensionLog): (problems: string[]) => void {
  let last = "";
  return (problems) => {
    const key = problems.join("\n");
    if (key === last) return;
    last = key;
    if (!problems.length) return;
    for (const problem of problems) log.warn(problem);
    void warn(problems.join(" "), actions.openSettings());
  };
}

/**
 * Settings and folders that change what the server was started with restart it — only those (the env derived from
 * the settings is compared, so e.g. showPermissionNotifications restarts nothing). A turn in progress is never cut
 * off silently: the person chooses "Restart Now" or "After the Turn", and dismissing means after the turn.
 */
export function restartOnLaunchChanges({ supervisor, log }: ServerCommandDeps): vscode.Disposable[] {
  let asking = false;
  const check = async (why: string) => {
    const changed = supervisor.staleLaunch();
    if (changed.length === 0) return;
    log.info(`${why} (${changed.join(", ")}).`);
    if (!supervisor.busy) return supervisor.restart(why);
    if (asking || supervisor.restartPending) return; // the restart reads the latest settings when it happens
    asking = true;
    try {
      const choice = await warn(`${why}. Applying the change restarts the server, and Codex is in the middle of a turn.`, actions.choice("Restart Now"), actions.choice("After the Turn"));
      if (choice === "Restart Now") await supervisor.restart(why);
      else supervisor.restartWhenIdle(why);
    } finally {
      asking = false;
    }
  };
  return [
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION)) void check("settings changed");
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void check("the workspace folders changed")),
  ];
}

