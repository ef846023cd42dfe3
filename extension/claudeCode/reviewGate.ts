// "Enable / Disable Claude Code Review Gate" and "Show Claude Code Review Gate": the opt-in Stop hook that has Codex
// review what Claude changed before Claude Code stops, plus the /clear reset that goes with it (setting
// codexFusion.resetOnClaudeClear). Both live in the project's .claude/settings.local.json.
import * as vscode from "vscode";
import { gateHook, GATE_TIMEOUT_SEC } from "./claudeHooks";
import { Commands } from "../commandIds";
import { SETTINGS_SECTION } from "../settings";
import { ensureServerCopy, type ClaudeCommandDeps } from "./claude";
import { currentHooks, RESET_ON_CLEAR_SETTING, resetOnClear, settingsFile, writeHooks } from "./claudeSettingsFile";
import { actions, fail, inform, show, warn } from "../messages";

export function registerReviewGateCommands(deps: ClaudeCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.enableReviewGate, () => setGate(deps, true)),
    vscode.commands.registerCommand(Commands.disableReviewGate, () => setGate(deps, false)),
    vscode.commands.registerCommand(Commands.showReviewGate, () => showGate(deps)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS_SECTION}.${RESET_ON_CLEAR_SETTING}`)) void applyResetSetting(deps);
    }),
  ];
}

function folderOrWarn(deps: ClaudeCommandDeps): vscode.WorkspaceFolder | undefined {
  const folder = deps.workspaceFolder();
  if (!folder) void warn("open your project folder first — Claude Code's hooks are set per project.");
  return folder;
}

async function setGate(deps: ClaudeCommandDeps, on: boolean): Promise<void> {
  const folder = folderOrWarn(deps);
  if (!folder) return;
  const serverPath = on ? await ensureServerCopy(deps) : null;
  if (on && !serverPath) return;
  // Turning the gate on also adds the /clear reset (when the setting allows); turning it off leaves that one alone.
  const written = await writeHooks(folder, deps.log, {
    gate: serverPath ? gateHook(serverPath, process.platform) : null,
    ...(on ? { clearReset: resetOnClear() } : {}),
  });
  if (!written.ok) return;
  const message = on
    ? `review gate on for ${folder.name}. Each time Claude Code is about to stop after changing files, Codex reviews the changes (one review per stop, up to ${GATE_TIMEOUT_SEC / 60} min) and sends Claude back to fix blockers. Claude Code sessions started from now on use it.`
    : `review gate off for ${folder.name}. Claude Code sessions started from now on stop without a Codex review.`;
  await inform(message, actions.openFile("Open settings.local.json", settingsFile(folder)));
}

async function showGate(deps: ClaudeCommandDeps): Promise<void> {
  const folder = folderOrWarn(deps);
  if (!folder) return;
  const current = await currentHooks(folder);
  if (!current.ok) {
    void fail(`${current.reason}.`);
    return;
  }
  const { gate, clearReset } = current.state;
  const toggle = gate ? "Disable Review Gate" : "Enable Review Gate";
  await show(
    { level: "info", text: `Codex Fusion review gate for ${folder.name}: ${gate ? "on" : "off"}. /clear in Claude Code resets Codex: ${clearReset ? "on" : "off"}.`, prefixed: false },
    { label: toggle, run: () => setGate(deps, !gate) },
    actions.openFile("Open settings.local.json", settingsFile(folder)),
  );
}

/** The setting changed: add the /clear reset where our hooks are (the gate), or remove it. */
async function applyResetSetting(deps: ClaudeCommandDeps): Promise<void> {
  const folder = deps.workspaceFolder();
  if (!folder) return;
  const current = await currentHooks(folder);
  if (!current.ok) return;
  const { gate, clearReset } = current.state;
  if (resetOnClear() && gate && !clearReset) await writeHooks(folder, deps.log, { clearReset: true });
  else if (!resetOnClear() && clearReset) await writeHooks(folder, deps.log, { clearReset: false });
}
