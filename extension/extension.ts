// Extension entry point: wiring only. The server child is supervised by supervisor.ts; everything else reacts to it
// through the ServerConnection it implements.
import * as os from "node:os";
import * as vscode from "vscode";
import { agentInstallDir, installedAgentCommand, type AgentSource } from "./supervisor/agentSetup";
import { currentAgentSource, offerAgentInstall, registerAgentCommands } from "./supervisor/agentCommands";
import { refreshStableCopy, registerClaudeCommands } from "./claudeCode/claude";
import { registerReviewGateCommands } from "./claudeCode/reviewGate";
import { registerPlanCheckpointCommands } from "./claudeCode/planCheckpoint";
import { notifySetupProblems, notifyWhenGivenUp, registerServerCommands, restartOnLaunchChanges, settingsProblemReporter } from "./supervisor/serverCommands";
import { registerFeatures } from "./features";
import { ExtensionLog } from "./log";
import { registerMcpProvider } from "./supervisor/mcpProvider";
import type { ServerConnection } from "./supervisor/serverConnection";
import { envFromSettings, MACHINE_SETTINGS, readSettings, SETTINGS_SECTION, unhonouredSettings, type SettingInspection, type SettingKey } from "./settings";
import { StatusBar } from "./supervisor/statusBar";
import { Supervisor, type LaunchResolution } from "./supervisor/supervisor";

let supervisor: Supervisor | undefined;

/**
 * The folder the server works in. Multi-root workspaces: the FIRST folder (one server, one Codex session per window);
 * the server restarts when that folder changes. Folders VS Code cannot reach as local paths (virtual file systems)
 * are not supported.
 */
function workspaceFolder(): vscode.WorkspaceFolder | undefined {
  const first = vscode.workspace.workspaceFolders?.[0];
  return first && (first.uri.scheme === "file" || first.uri.scheme === "vscode-remote") ? first : undefined;
}

export function activate(context: vscode.ExtensionContext): void {
  const activationStarted = performance.now();
  const channel = vscode.window.createOutputChannel("Codex Fusion", { log: true });
  const log = new ExtensionLog(channel);
  const reportSettingsProblems = settingsProblemReporter(log);

  let agent: AgentSource = "missing";
  const resolveLaunch = (): LaunchResolution => {
    const folder = workspaceFolder();
    if (!folder) {
      const why = vscode.workspace.workspaceFolders?.length ? "the first folder is not on a local file system" : "no folder is open";
      return { ok: false, reason: `Codex Fusion works in a folder, and ${why}.` };
    }
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, folder.uri);
    const read = readSettings((key: SettingKey) => config.get(key));
    const { env, problems } = envFromSettings(read.settings, { workspace: folder.uri.fsPath, homeDir: os.homedir() });
    const unhonoured = unhonouredSettings(MACHINE_SETTINGS.map((key) => inspectSetting(config, key)), vscode.env.remoteName);
    reportSettingsProblems([...read.problems, ...problems, ...unhonoured.map((u) => u.problem)]);
    agent = currentAgentSource(context, env.CODEX_FUSION_ACP_COMMAND);
    // An agent chosen in the wrong settings is still a choice: no install offer on top of the warning about it.
    if (agent === "missing" && unhonoured.some((u) => u.key === "agentCommand")) agent = "setting";
    if (agent === "installed") env.CODEX_FUSION_ACP_COMMAND = installedAgentCommand(process.execPath, agentInstallDir(context.globalStorageUri.fsPath));
    return { ok: true, launch: { workspace: folder.uri.fsPath, env } };
  };

  supervisor = new Supervisor({
    serverScript: vscode.Uri.joinPath(context.extensionUri, "dist", "server.js").fsPath,
    execPath: process.execPath,
    // Node ≥ 22 keeps compiled code here between starts (the server's and codex-acp's start-up; see BENCHMARKS.md).
    baseEnv: { ...process.env, NODE_COMPILE_CACHE: vscode.Uri.joinPath(context.globalStorageUri, "compile-cache").fsPath },
    resolveLaunch,
    log,
  });
  const connection: ServerConnection = supervisor;
  const deps = { supervisor, log, workspaceFolder, context };

  context.subscriptions.push(
    channel,
    { dispose: () => void supervisor?.dispose() },
    new StatusBar(supervisor),
    ...registerMcpProvider(supervisor, log),
    ...registerServerCommands(deps),
    ...registerClaudeCommands(deps),
    ...registerReviewGateCommands(deps),
    ...registerPlanCheckpointCommands(deps),
    ...registerAgentCommands(deps),
    ...restartOnLaunchChanges(deps),
    notifyWhenGivenUp(deps),
    notifySetupProblems(deps),
  );
  // Everything a person sees of the debate: permissions, the verdict panel, Review Current Diff, the ask commands.
  registerFeatures(context, connection, log);

  void refreshStableCopy(deps);
  // With no folder open activation stops here: nothing is spawned (onStartupFinished activates every window).
  if (workspaceFolder()) {
    void supervisor.start().then(() => offerAgentInstall(deps, agent));
  }
  // Read by the benchmarks (BENCHMARKS.md §9): activation must stay cheap, the server starts in the background.
  log.info(`Activated in ${(performance.now() - activationStarted).toFixed(1)} ms.`);
}

/** A setting's values by origin; VS Code's inspect() also reports the local and the remote User value apart. */
function inspectSetting(config: vscode.WorkspaceConfiguration, key: SettingKey): SettingInspection {
  const inspected = config.inspect(key) as { globalLocalValue?: unknown; globalRemoteValue?: unknown } | undefined;
  return { key, local: inspected?.globalLocalValue, remote: inspected?.globalRemoteValue, effective: config.get(key) };
}

/** Stops the server child (and with it the agent); VS Code waits for the promise. */
export function deactivate(): Promise<void> | undefined {
  const stopping = supervisor?.dispose();
  supervisor = undefined;
  return stopping;
}
