// The `codexFusion.*` settings → the server's environment. Pure (no `vscode` import) so it is unit-tested; the
// extension reads the values with vscode.workspace.getConfiguration(SETTINGS_SECTION) and passes a getter in.
import * as path from "node:path";
import { parseCommand } from "../server/protocol/agentCommand";
import { DEFAULT_PARALLEL_TURNS, EFFORTS, MAX_PARALLEL_TURNS, MAX_TIMEOUT_MS } from "../server/protocol/constants";

export const SETTINGS_SECTION = "codexFusion";

/** "default" leaves the effort to CODEX_FUSION_EFFORT from the environment, else to the agent. */
export const EFFORT_SETTING_VALUES = ["default", ...EFFORTS] as const;

export interface Settings {
  agentCommand: string[] | string;
  turnTimeoutSeconds: number;
  permissionTimeoutMinutes: number;
  maxParallelTurns: number;
  allowExternalReads: boolean;
  allowWrites: boolean;
  allowCommands: boolean;
  model: string;
  effort: string;
  logFile: string;
  /** Read by the permissions UI, never by the server: changing it restarts nothing. */
  showPermissionNotifications: boolean;
  /** Read when Claude Code hooks are written, never by the server: whether /clear in Claude Code resets Codex. */
  resetOnClaudeClear: boolean;
  /** Read by Review Current Diff, never by the server: warn before a review that sends more tokens than this (0: never). */
  reviewWarningTokens: number;
  /** Read by Review Current Diff, never by the server: warn when a Codex quota window is at least this full (0: never). */
  quotaWarningPercent: number;
}

export type SettingKey = keyof Settings;

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  agentCommand: [],
  turnTimeoutSeconds: 600,
  permissionTimeoutMinutes: 15,
  maxParallelTurns: DEFAULT_PARALLEL_TURNS,
  allowExternalReads: false,
  allowWrites: false,
  allowCommands: false,
  model: "",
  effort: "default",
  logFile: "",
  showPermissionNotifications: true,
  resetOnClaudeClear: true,
  reviewWarningTokens: 100_000,
  quotaWarningPercent: 80,
};

/** A setting that could not be used, in one sentence for the person who set it. */
export type SettingsProblem = string;

/** Machine-scoped settings ("scope": "machine"): in a remote window VS Code ignores them in the local User settings. */
export const MACHINE_SETTINGS: readonly SettingKey[] = ["agentCommand", "logFile"];

/** What `inspect` tells about one setting: its local User value, its Remote (User) value and the value in effect. */
export interface SettingInspection {
  key: SettingKey;
  local: unknown;
  remote: unknown;
  effective: unknown;
}

/**
 * Settings set where VS Code does not honour them: a machine setting in the local User settings of a remote window
 * (code-server, SSH, WSL, Codespaces) is ignored — silently, which used to end in the agent install offer and "not
 * signed in". Each becomes one sentence saying where to set it instead.
 */
export function unhonouredSettings(inspections: readonly SettingInspection[], remoteName: string | undefined): Array<{ key: SettingKey; problem: SettingsProblem }> {
  const unhonoured: Array<{ key: SettingKey; problem: SettingsProblem }> = [];
  for (const { key, local, remote, effective } of inspections) {
    if (local === undefined || remote !== undefined || JSON.stringify(local) === JSON.stringify(effective)) continue;
    unhonoured.push({
      key,
      problem: `${SETTINGS_SECTION}.${key} is set in your User settings, but this is a remote window (${remoteName ?? "remote"}) and VS Code ignores machine settings from there — set it in the Remote settings instead (run "Preferences: Open Remote Settings (JSON)").`,
    });
  }
  return unhonoured;
}

/**
 * Reads every setting through `get` (which returns undefined for an unset key). A value of the wrong type is replaced
 * by the default and reported, so a hand-edited settings.json never stops the server from starting.
 */
export function readSettings(get: (key: SettingKey) => unknown): { settings: Settings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const settings = { ...DEFAULT_SETTINGS } as Settings;
  const take = <K extends SettingKey>(key: K, valid: (value: unknown) => boolean, expected: string) => {
    const value = get(key);
    if (value === undefined || value === null) return;
    if (valid(value)) settings[key] = value as Settings[K];
    else problems.push(`${SETTINGS_SECTION}.${key} should be ${expected}, not ${JSON.stringify(value)}; using the default.`);
  };
  const isString = (value: unknown) => typeof value === "string";
  const isBoolean = (value: unknown) => typeof value === "boolean";
  const isNumber = (value: unknown) => typeof value === "number" && Number.isFinite(value);
  take("agentCommand", (value) => isString(value) || (Array.isArray(value) && value.every(isString)), "a command line or an array of strings");
  take("turnTimeoutSeconds", isNumber, "a number of seconds");
  take("permissionTimeoutMinutes", isNumber, "a number of minutes");
  take("maxParallelTurns", isNumber, "a whole number of turns");
  take("allowExternalReads", isBoolean, "true or false");
  take("allowWrites", isBoolean, "true or false");
  take("allowCommands", isBoolean, "true or false");
  take("model", isString, "a model name");
  take("effort", isString, `one of ${EFFORT_SETTING_VALUES.join(", ")}`);
  take("logFile", isString, "a file path");
  take("showPermissionNotifications", isBoolean, "true or false");
  take("resetOnClaudeClear", isBoolean, "true or false");
  take("reviewWarningTokens", (value) => isNumber(value) && Number(value) >= 0, "a number of tokens (0: never warn)");
  take("quotaWarningPercent", (value) => isNumber(value) && Number(value) >= 0 && Number(value) <= 100, "a percentage from 0 to 100 (0: never warn)");
  return { settings, problems };
}

export interface EnvContext {
  /** The folder the server works in (absolute). */
  workspace: string;
  homeDir: string;
}

/**
 * The CODEX_FUSION_* variables the server is started with. Flags and timeouts are always set, so the settings win over
 * whatever the editor inherited; agentCommand, model, effort and logFile are set only when configured, so an
 * environment variable of the same name (e.g. from a test harness) still applies when the setting is empty.
 * Values the server would refuse are left out and reported instead of stopping it at start-up.
 */
export function envFromSettings(settings: Settings, context: EnvContext): { env: Record<string, string>; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const env: Record<string, string> = { CODEX_FUSION_WORKSPACE: context.workspace };

  const agent = agentCommandValue(settings.agentCommand);
  if (agent.problem) problems.push(agent.problem);
  else if (agent.value !== null) env.CODEX_FUSION_ACP_COMMAND = agent.value;

  const turnMs = positiveMs(settings.turnTimeoutSeconds, 1000);
  if (turnMs === null) problems.push(`${SETTINGS_SECTION}.turnTimeoutSeconds must be greater than 0; using ${DEFAULT_SETTINGS.turnTimeoutSeconds} s.`);
  else if (turnMs > MAX_TIMEOUT_MS) problems.push(`${SETTINGS_SECTION}.turnTimeoutSeconds is over a day; using ${MAX_TIMEOUT_MS / 1000} s.`);
  env.CODEX_FUSION_TURN_TIMEOUT_MS = String(Math.min(turnMs ?? DEFAULT_SETTINGS.turnTimeoutSeconds * 1000, MAX_TIMEOUT_MS));

  const permissionMs = positiveMs(settings.permissionTimeoutMinutes, 60_000);
  if (permissionMs === null) problems.push(`${SETTINGS_SECTION}.permissionTimeoutMinutes must be greater than 0; using ${DEFAULT_SETTINGS.permissionTimeoutMinutes} min.`);
  else if (permissionMs > MAX_TIMEOUT_MS) problems.push(`${SETTINGS_SECTION}.permissionTimeoutMinutes is over a day; using ${MAX_TIMEOUT_MS / 60_000} min.`);
  env.CODEX_FUSION_PERMISSION_TIMEOUT_MS = String(Math.min(permissionMs ?? DEFAULT_SETTINGS.permissionTimeoutMinutes * 60_000, MAX_TIMEOUT_MS));

  const parallel = Math.round(settings.maxParallelTurns);
  if (!(parallel >= 1)) problems.push(`${SETTINGS_SECTION}.maxParallelTurns must be at least 1; using ${DEFAULT_PARALLEL_TURNS}.`);
  else if (parallel > MAX_PARALLEL_TURNS) problems.push(`${SETTINGS_SECTION}.maxParallelTurns is over ${MAX_PARALLEL_TURNS}; using ${MAX_PARALLEL_TURNS}.`);
  env.CODEX_FUSION_MAX_PARALLEL_TURNS = String(parallel >= 1 ? Math.min(parallel, MAX_PARALLEL_TURNS) : DEFAULT_PARALLEL_TURNS);

  env.CODEX_FUSION_ALLOW_EXTERNAL_READS = settings.allowExternalReads ? "1" : "0";
  env.CODEX_FUSION_ALLOW_WRITES = settings.allowWrites ? "1" : "0";
  env.CODEX_FUSION_ALLOW_COMMANDS = settings.allowCommands ? "1" : "0";

  const model = settings.model.trim();
  if (model) env.CODEX_FUSION_MODEL = model;

  const effort = settings.effort.trim();
  if (effort && effort !== "default") {
    if ((EFFORTS as readonly string[]).includes(effort)) env.CODEX_FUSION_EFFORT = effort;
    else problems.push(`${SETTINGS_SECTION}.effort must be one of ${EFFORT_SETTING_VALUES.join(", ")}, not "${effort}"; using the agent's default.`);
  }

  const logFile = expandPath(settings.logFile, context);
  if (logFile) env.CODEX_FUSION_LOG = logFile;

  return { env, problems };
}

function agentCommandValue(raw: string[] | string): { value: string | null; problem?: SettingsProblem } {
  const invalid = (why: string) => ({ value: null, problem: `${SETTINGS_SECTION}.agentCommand ${why}; using the default agent (codex-acp on PATH, else npx).` });
  if (Array.isArray(raw)) {
    if (raw.length === 0) return { value: null };
    if (raw.some((part) => part.trim() === "")) return invalid("must not contain empty strings");
    return { value: JSON.stringify(raw) };
  }
  const text = raw.trim();
  if (!text) return { value: null };
  try {
    parseCommand(text); // the server's own parser: refuse here what it would refuse at start-up
  } catch (error) {
    return invalid(`is not usable (${(error as Error).message.replace(/^CODEX_FUSION_ACP_COMMAND: /, "")})`);
  }
  return { value: text };
}

function positiveMs(value: number, unitMs: number): number | null {
  const ms = Math.round(value * unitMs);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : null;
}

/** `~`, `${userHome}` and `${workspaceFolder}` are expanded; a relative path is taken from the workspace folder. */
export function expandPath(raw: string, context: EnvContext): string | null {
  let text = raw.trim();
  if (!text) return null;
  text = text.replace(/\$\{workspaceFolder\}/g, context.workspace).replace(/\$\{userHome\}/g, context.homeDir);
  if (text === "~" || text.startsWith("~/") || text.startsWith("~\\")) text = path.join(context.homeDir, text.slice(1));
  return path.resolve(context.workspace, text);
}

/** What a server start depends on: the folder and the environment derived from the settings. */
export interface LaunchConfig {
  workspace: string;
  env: Record<string, string>;
}

/** The variables whose values differ (added, removed or changed), for the log and for deciding on a restart. */
export function changedLaunchKeys(previous: LaunchConfig | null, next: LaunchConfig | null): string[] {
  if (previous === null || next === null) return previous === next ? [] : ["workspace"];
  const keys = new Set([...Object.keys(previous.env), ...Object.keys(next.env)]);
  const changed = [...keys].filter((key) => previous.env[key] !== next.env[key]).sort();
  if (previous.workspace !== next.workspace && !changed.includes("CODEX_FUSION_WORKSPACE")) changed.unshift("workspace");
  return changed;
}
