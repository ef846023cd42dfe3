// "Codex Fusion: Connect Claude Code" and "Copy Claude Code Setup Command".
import * as vscode from "vscode";
import {
  claudeAddArgs,
  claudeGetArgs,
  claudeRemoveArgs,
  describesServerAt,
  ensureStableCopy,
  isAlreadyExists,
  mergeMcpJson,
  runExecutable,
  setupCommandLine,
} from "./claudeCode";
import { findExecutable } from "../../server/protocol/findExecutable";
import type { ExtensionLog } from "../log";
import { Commands } from "../commandIds";
import { addClearResetIfWanted } from "./claudeSettingsFile";
import { updateJsonFile } from "./jsonFileUpdate";
import { actions, fail, show, warn } from "../messages";

export interface ClaudeCommandDeps {
  context: vscode.ExtensionContext;
  log: ExtensionLog;
  /** The folder the server works in (multi-root: the first folder). */
  workspaceFolder: () => vscode.WorkspaceFolder | undefined;
}

export function registerClaudeCommands(deps: ClaudeCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.connectClaudeCode, () => connectClaudeCode(deps)),
    vscode.commands.registerCommand(Commands.copyClaudeSetupCommand, () => copySetupCommand(deps)),
  ];
}

/** On activation: if Claude Code was connected before, bring the stable copy up to date with this extension version. */
export async function refreshStableCopy(deps: ClaudeCommandDeps): Promise<void> {
  try {
    const copy = await ensureStableCopy(bundledServer(deps.context), deps.context.globalStorageUri.fsPath, extensionVersion(deps.context), { onlyIfPresent: true });
    if (copy?.refreshed) deps.log.info(`Updated the server copy Claude Code runs: ${copy.path}`);
  } catch (error) {
    deps.log.warn(`Could not update the server copy Claude Code runs: ${(error as Error).message}`);
  }
}

/** The stable copy of the server Claude Code runs, written or refreshed now (null: it could not be, and the person was told). */
export async function ensureServerCopy(deps: ClaudeCommandDeps): Promise<string | null> {
  try {
    const copy = await ensureStableCopy(bundledServer(deps.context), deps.context.globalStorageUri.fsPath, extensionVersion(deps.context));
    if (copy?.refreshed) deps.log.info(`Wrote the server copy Claude Code runs: ${copy.path}`);
    return copy?.path ?? null;
  } catch (error) {
    const message = `Could not copy the server for Claude Code: ${(error as Error).message}`;
    deps.log.error(message);
    void fail(`${message}`);
    return null;
  }
}

async function connectClaudeCode(deps: ClaudeCommandDeps): Promise<void> {
  const folder = deps.workspaceFolder();
  if (!folder) {
    void warn("open your project folder first — Claude Code registers MCP servers per project.");
    return;
  }
  const serverPath = await ensureServerCopy(deps);
  if (!serverPath) return;
  warnIfNodeMissing();

  const claude = findExecutable("claude");
  if (!claude) return offerManualSetup(deps, folder, serverPath);

  const cwd = folder.uri.fsPath;
  const run = async (args: string[]) => {
    deps.log.info(`Running: claude ${args.join(" ")} (in ${cwd})`);
    const result = await runExecutable(claude, args, cwd);
    if (result.output) deps.log.info(`claude: ${result.output}`);
    return result;
  };

  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "Codex Fusion: connecting Claude Code…" },
    async (): Promise<"added" | "already" | { failed: string }> => {
      let added = await run(claudeAddArgs(serverPath));
      if (!added.ok && isAlreadyExists(added.output)) {
        const existing = await run(claudeGetArgs());
        if (existing.ok && describesServerAt(existing.output, serverPath)) return "already";
        // An older entry (another path, another command): replace it with ours.
        const removed = await run(claudeRemoveArgs());
        if (!removed.ok) return { failed: removed.output };
        added = await run(claudeAddArgs(serverPath));
      }
      return added.ok ? "added" : { failed: added.output };
    },
  );

  if (outcome === "added" || outcome === "already") {
    const resets = await addClearResetIfWanted(folder, deps.log);
    const lead = outcome === "added" ? "Claude Code is connected" : "Claude Code was already connected";
    void show({
      level: "info",
      text:
        `${lead}: \`claude\` started in ${folder.name} can consult Codex (the codex-fusion tools). While this window is open it shares its Codex session; restart running Claude Code sessions to pick it up.` +
        (resets ? " /clear in Claude Code also resets Codex (.claude/settings.local.json)." : ""),
      prefixed: false,
    });
    return;
  }
  await fail(`\`claude mcp add\` failed: ${outcome.failed || "no output"}`, { label: "Copy Command", run: () => copyToClipboard(setupCommandLine(serverPath, process.platform)) }, actions.showLog());
}

async function offerManualSetup(deps: ClaudeCommandDeps, folder: vscode.WorkspaceFolder, serverPath: string): Promise<void> {
  const command = setupCommandLine(serverPath, process.platform);
  await show(
    {
      level: "info",
      text: "The `claude` command is not on PATH here.",
      modal: true,
      detail:
        `Once Claude Code is installed, run this in a terminal in ${folder.name}:\n\n${command}\n\n` +
        `Or add Codex Fusion to ${folder.name}/.mcp.json now. That file is usually committed and shared, the path in it ` +
        `is specific to this computer, and Claude Code asks each person to approve the server once.`,
      prefixed: false,
    },
    { label: "Add to .mcp.json", run: () => addToMcpJson(deps, folder, serverPath) },
    { label: "Copy Command", run: () => copyToClipboard(command) },
  );
}

async function addToMcpJson(deps: ClaudeCommandDeps, folder: vscode.WorkspaceFolder, serverPath: string): Promise<void> {
  const file = vscode.Uri.joinPath(folder.uri, ".mcp.json");
  const change = await updateJsonFile(file, ".mcp.json", (existing) => mergeMcpJson(existing, serverPath));
  if (change === null) return;
  if (change !== "unchanged") deps.log.info(`${change === "added" ? "Added" : "Updated"} codex-fusion in ${file.fsPath}`);
  await addClearResetIfWanted(folder, deps.log);
  const what = change === "unchanged" ? "is already in" : change === "added" ? "was added to" : "was updated in";
  await show(
    { level: "info", text: `Codex Fusion ${what} .mcp.json. Claude Code asks you to approve it the first time it starts in ${folder.name}.`, prefixed: false },
    actions.openFile("Open .mcp.json", file),
  );
}

async function copySetupCommand(deps: ClaudeCommandDeps): Promise<void> {
  const serverPath = await ensureServerCopy(deps);
  if (!serverPath) return;
  warnIfNodeMissing();
  await copyToClipboard(setupCommandLine(serverPath, process.platform));
}

async function copyToClipboard(command: string): Promise<void> {
  await vscode.env.clipboard.writeText(command);
  void show({ level: "info", text: `Copied: ${command} — run it in a terminal in your project folder.`, prefixed: false });
}

function warnIfNodeMissing(): void {
  if (findExecutable("node")) return;
  void warn("Claude Code starts the server with `node`, which is not on PATH here — install Node.js 20 or later.");
}

function bundledServer(context: vscode.ExtensionContext): string {
  return vscode.Uri.joinPath(context.extensionUri, "dist", "server.js").fsPath;
}

function extensionVersion(context: vscode.ExtensionContext): string {
  return String((context.extension.packageJSON as { version?: unknown }).version ?? "0.0.0");
}
