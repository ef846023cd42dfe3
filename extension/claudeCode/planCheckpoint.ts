// "Enable / Disable Claude Code Plan Checkpoint": the opt-in PostToolUse hook on ExitPlanMode that has Codex review
// the plan Claude Code just approved, so Claude reads the critique before it implements. It lives in the project's
// .claude/settings.local.json beside the review gate (claudeHooks.ts does the merge).
import * as vscode from "vscode";
import { planHook, PLAN_TIMEOUT_SEC } from "./claudeHooks";
import { Commands } from "../commandIds";
import { inform, warn } from "../messages";
import { ensureServerCopy, type ClaudeCommandDeps } from "./claude";
import { settingsFile, writeHooks } from "./claudeSettingsFile";

export function registerPlanCheckpointCommands(deps: ClaudeCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.enablePlanCheckpoint, () => setPlanCheckpoint(deps, true)),
    vscode.commands.registerCommand(Commands.disablePlanCheckpoint, () => setPlanCheckpoint(deps, false)),
  ];
}

async function setPlanCheckpoint(deps: ClaudeCommandDeps, on: boolean): Promise<void> {
  const folder = deps.workspaceFolder();
  if (!folder) {
    void warn("open your project folder first — Claude Code's hooks are set per project.");
    return;
  }
  const serverPath = on ? await ensureServerCopy(deps) : null;
  if (on && !serverPath) return;
  const written = await writeHooks(folder, deps.log, { plan: serverPath ? planHook(serverPath, process.platform) : null });
  if (!written.ok) return;
  const message = on
    ? `plan checkpoint on for ${folder.name}. When Claude Code leaves plan mode, Codex reviews the plan (once per plan, up to ${PLAN_TIMEOUT_SEC / 60} min) and Claude reads the critique before it implements. Claude Code sessions started from now on use it.`
    : `plan checkpoint off for ${folder.name}. Claude Code sessions started from now on leave plan mode without a Codex review.`;
  await inform(message, { label: "Open settings.local.json", run: () => vscode.window.showTextDocument(settingsFile(folder)) });
}
