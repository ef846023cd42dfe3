// Reading and writing the project's `.claude/settings.local.json` for the hooks Codex Fusion installs (the merge itself
// is pure, in claudeHooks.ts). A file that cannot be understood is never overwritten: the person is shown why.
import * as vscode from "vscode";
import { mergeHooks, parseSettings, readHooksState, SETTINGS_LOCAL_PATH, type HooksState, type WantedHooks } from "./claudeHooks";
import { SETTINGS_SECTION, type SettingKey } from "../settings";
import type { ExtensionLog } from "../log";
import { readTextFile, updateJsonFile } from "./jsonFileUpdate";

/** The setting that adds the /clear reset whenever Codex Fusion writes Claude Code hooks (default on). */
export const RESET_ON_CLEAR_SETTING = "resetOnClaudeClear" satisfies SettingKey;

export function resetOnClear(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>(RESET_ON_CLEAR_SETTING, true) !== false;
}

export function settingsFile(folder: vscode.WorkspaceFolder): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, ...SETTINGS_LOCAL_PATH);
}

/** Our hooks as the file has them now (null: the file cannot be read or understood, with why). */
export async function currentHooks(folder: vscode.WorkspaceFolder): Promise<{ ok: true; state: HooksState } | { ok: false; reason: string }> {
  try {
    const read = parseSettings(await readTextFile(settingsFile(folder)));
    return read.ok ? { ok: true, state: readHooksState(read.root) } : read;
  } catch (error) {
    return { ok: false, reason: `could not read .claude/settings.local.json: ${(error as Error).message}` };
  }
}

/**
 * Rewrites our hooks as `wanted` says. Returns whether anything changed; when the file was left alone the person has
 * already been shown why, with a button to open the file.
 */
export async function writeHooks(folder: vscode.WorkspaceFolder, log: ExtensionLog, wanted: WantedHooks): Promise<{ ok: true; changed: boolean } | { ok: false }> {
  const file = settingsFile(folder);
  const change = await updateJsonFile(file, ".claude/settings.local.json", (existing) => mergeHooks(existing, wanted));
  if (change === null) return { ok: false };
  if (change !== "unchanged") log.info(`Updated the Claude Code hooks in ${file.fsPath}`);
  return { ok: true, changed: change !== "unchanged" };
}

/** After Connect Claude Code: add the /clear reset when the setting says so (a gate that is there stays). Whether it is in place. */
export async function addClearResetIfWanted(folder: vscode.WorkspaceFolder, log: ExtensionLog): Promise<boolean> {
  if (!resetOnClear()) return false;
  return (await writeHooks(folder, log, { clearReset: true })).ok;
}
