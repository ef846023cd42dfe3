// "Install Codex Agent": installs the pinned codex-acp into the extension's storage with visible progress, and offers
// it once when no agent is configured — never blocking start-up (the check runs after activation, in the background).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as vscode from "vscode";
import { AGENT_PACKAGE_NAME, PINNED_AGENT_PACKAGE } from "../../server/protocol/constants";
import { agentInstallDir, agentSource, installArgs, installedAgentEntry, progressLine, type AgentSource } from "./agentSetup";
import { findExecutable } from "../../server/protocol/findExecutable";
import type { ExtensionLog } from "../log";
import type { Supervisor } from "./supervisor";
import { Commands } from "../commandIds";
import { actions, fail, inform, show } from "../messages";

const DISMISSED_KEY = "codexFusion.agentInstallDismissed";

export interface AgentCommandDeps {
  context: vscode.ExtensionContext;
  supervisor: Supervisor;
  log: ExtensionLog;
}

export function currentAgentSource(context: vscode.ExtensionContext, fromSettings: string | undefined): AgentSource {
  return agentSource({
    fromSettings,
    fromEnvironment: process.env.CODEX_FUSION_ACP_COMMAND,
    onPath: findExecutable("codex-acp") !== null,
    installed: fs.existsSync(installedAgentEntry(agentInstallDir(context.globalStorageUri.fsPath))),
  });
}

export function registerAgentCommands(deps: AgentCommandDeps): vscode.Disposable[] {
  return [vscode.commands.registerCommand(Commands.installAgent, () => installAgent(deps))];
}

/** Offers the install once per machine when nothing provides an agent. */
export async function offerAgentInstall(deps: AgentCommandDeps, source: AgentSource): Promise<void> {
  if (source !== "missing" || deps.context.globalState.get<boolean>(DISMISSED_KEY)) return;
  await show(
    {
      level: "info",
      text: `Codex Fusion needs the Codex ACP agent (${PINNED_AGENT_PACKAGE}, about 450 MB with Codex itself). Install it now? Otherwise it is fetched with npx on the first ask.`,
      prefixed: false,
    },
    { label: "Install", run: () => installAgent(deps) },
    actions.choice("Not Now"),
    { label: "Don't Ask Again", run: () => deps.context.globalState.update(DISMISSED_KEY, true) },
  );
}

async function installAgent({ context, supervisor, log }: AgentCommandDeps): Promise<void> {
  const npm = findExecutable(process.platform === "win32" ? "npm.cmd" : "npm") ?? findExecutable("npm");
  if (!npm) {
    await fail(
      `npm was not found on PATH. Install Node.js (which brings npm), then run "Codex Fusion: Install Codex Agent" again — or install the agent yourself: npm install -g ${AGENT_PACKAGE_NAME}`,
      actions.copy("Copy Command", `npm install -g ${AGENT_PACKAGE_NAME}`),
    );
    return;
  }
  const dir = agentInstallDir(context.globalStorageUri.fsPath);
  fs.mkdirSync(dir, { recursive: true });
  const ok = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: "Codex Fusion: installing the Codex agent", cancellable: true },
    (progress, token) =>
      new Promise<boolean>((resolve) => {
        log.info(`Installing ${PINNED_AGENT_PACKAGE} into ${dir}`);
        const child = spawn(npm, installArgs(dir), { cwd: dir, shell: process.platform === "win32", windowsHide: true });
        const onOutput = (chunk: Buffer) => {
          const text = chunk.toString();
          log.info(text.trimEnd());
          const line = progressLine(text);
          if (line) progress.report({ message: line });
        };
        child.stdout.on("data", onOutput);
        child.stderr.on("data", onOutput);
        token.onCancellationRequested(() => child.kill());
        child.on("error", (error) => {
          log.error(`npm failed to start: ${error.message}`);
          resolve(false);
        });
        child.on("exit", (code) => resolve(code === 0 && fs.existsSync(installedAgentEntry(dir))));
      }),
  );
  if (!ok) {
    await fail("the agent install did not finish. The log has npm's output.", actions.showLog());
    return;
  }
  log.info("The Codex agent is installed; restarting the server to use it.");
  await supervisor.restart("the Codex agent was installed");
  void inform("the Codex agent is installed. Sign in to Codex next, if you have not.", actions.signIn());
}
