// Environment → validated Config. Pure: the caller passes the environment and a PATH lookup.
import * as path from "node:path";
import { AgentCommandError, parseCommand } from "./protocol/agentCommand";
import { DEFAULT_PARALLEL_TURNS, EFFORTS, MAX_PARALLEL_TURNS, MAX_TIMEOUT_MS, PINNED_AGENT_PACKAGE, type Effort } from "./protocol/constants";

export interface Config {
  workspace: string;
  agentCommand: string[];
  turnTimeoutMs: number;
  permissionTimeoutMs: number;
  cancelGraceMs: number;
  /** How long any single request to the agent (initialize, session set-up, config, close) may take. */
  agentRequestTimeoutMs: number;
  /** How many turns may run at once (each beyond the first on a session forked from the main one); more asks wait. */
  maxParallelTurns: number;
  /** HTTP: an MCP session nobody used for this long (and with nothing in flight) is closed. */
  httpSessionIdleMs: number;
  /** stdio: the largest MCP message read; a larger one is refused with a JSON-RPC error. */
  maxMessageBytes: number;
  logFile: string | null;
  allowExternalReads: boolean;
  allowWrites: boolean;
  allowCommands: boolean;
  defaultModel: string | null;
  defaultEffort: Effort | null;
  /** Bearer token for the HTTP transport; generated at start when null. */
  token: string | null;
  /** Where discovery files live (servers/<hash>.json), and the kept sessions (sessions/<hash>.json). */
  stateDir: string;
  /** A result notes a Codex rate-limit window at least this full (0: never). */
  quotaWarningPercent: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

export interface ConfigInputs {
  env: Record<string, string | undefined>;
  cwd: string;
  homeDir: string;
  platform: NodeJS.Platform;
  /** Absolute path of an executable on PATH, or null. */
  which: (command: string) => string | null;
  /** Whether a directory exists (checked for the workspace). */
  isDirectory: (p: string) => boolean;
}

export function loadConfig({ env, cwd, homeDir, platform, which, isDirectory }: ConfigInputs): Config {
  const workspace = resolveWorkspace(env, cwd);
  if (!isDirectory(workspace)) {
    const variable = env.CODEX_FUSION_WORKSPACE ? "CODEX_FUSION_WORKSPACE" : env.CLAUDE_PROJECT_DIR ? "CLAUDE_PROJECT_DIR" : "cwd";
    throw new ConfigError(variable, `workspace ${workspace} is not a directory; point it at your project folder`);
  }
  return {
    workspace,
    agentCommand: resolveAgentCommand(env, which),
    turnTimeoutMs: positiveInt(env, "CODEX_FUSION_TURN_TIMEOUT_MS", 600_000, MAX_TIMEOUT_MS),
    permissionTimeoutMs: positiveInt(env, "CODEX_FUSION_PERMISSION_TIMEOUT_MS", 15 * 60_000, MAX_TIMEOUT_MS),
    cancelGraceMs: positiveInt(env, "CODEX_FUSION_CANCEL_GRACE_MS", 2_000, 60_000),
    agentRequestTimeoutMs: positiveInt(env, "CODEX_FUSION_AGENT_REQUEST_TIMEOUT_MS", 60_000, 10 * 60_000),
    maxParallelTurns: positiveInt(env, "CODEX_FUSION_MAX_PARALLEL_TURNS", DEFAULT_PARALLEL_TURNS, MAX_PARALLEL_TURNS),
    httpSessionIdleMs: positiveInt(env, "CODEX_FUSION_HTTP_SESSION_IDLE_MS", 60 * 60_000, MAX_TIMEOUT_MS),
    maxMessageBytes: positiveInt(env, "CODEX_FUSION_MAX_MESSAGE_BYTES", 64 * 1024 * 1024, 1024 * 1024 * 1024),
    logFile: optionalPath(env, "CODEX_FUSION_LOG", cwd),
    allowExternalReads: flag(env, "CODEX_FUSION_ALLOW_EXTERNAL_READS"),
    allowWrites: flag(env, "CODEX_FUSION_ALLOW_WRITES"),
    allowCommands: flag(env, "CODEX_FUSION_ALLOW_COMMANDS"),
    defaultModel: nonEmpty(env.CODEX_FUSION_MODEL),
    defaultEffort: effort(env),
    token: token(env),
    stateDir: optionalPath(env, "CODEX_FUSION_STATE_DIR", cwd) ?? defaultStateDir(env, homeDir, platform),
    quotaWarningPercent: env.CODEX_FUSION_QUOTA_WARNING_PERCENT?.trim() === "0" ? 0 : positiveInt(env, "CODEX_FUSION_QUOTA_WARNING_PERCENT", 80, 100),
  };
}

/** The per-user state directory, following each platform's convention. */
export function defaultStateDir(env: ConfigInputs["env"], homeDir: string, platform: NodeJS.Platform): string {
  if (platform === "win32") return path.win32.join(env.LOCALAPPDATA ?? path.win32.join(homeDir, "AppData", "Local"), "codex-fusion");
  if (platform === "darwin") return path.join(homeDir, "Library", "Application Support", "codex-fusion");
  return path.join(nonEmpty(env.XDG_STATE_HOME) ?? path.join(homeDir, ".local", "state"), "codex-fusion");
}

function token(env: ConfigInputs["env"]): string | null {
  const raw = nonEmpty(env.CODEX_FUSION_TOKEN);
  if (raw === null) return null;
  if (raw.length < 32 || !/^[A-Za-z0-9._~+/=-]+$/.test(raw)) {
    throw new ConfigError("CODEX_FUSION_TOKEN", "must be at least 32 characters of [A-Za-z0-9._~+/=-]; unset it to have one generated");
  }
  return raw;
}

function resolveWorkspace(env: ConfigInputs["env"], cwd: string): string {
  const chosen = nonEmpty(env.CODEX_FUSION_WORKSPACE) ?? nonEmpty(env.CLAUDE_PROJECT_DIR) ?? cwd;
  return path.resolve(cwd, chosen);
}

function resolveAgentCommand(env: ConfigInputs["env"], which: ConfigInputs["which"]): string[] {
  const raw = env.CODEX_FUSION_ACP_COMMAND;
  if (raw !== undefined && raw.trim() !== "") {
    try {
      return parseCommand(raw);
    } catch (error) {
      if (error instanceof AgentCommandError) throw new ConfigError("CODEX_FUSION_ACP_COMMAND", error.message);
      throw error;
    }
  }
  const onPath = which("codex-acp");
  return onPath ? [onPath] : ["npx", "-y", PINNED_AGENT_PACKAGE];
}


function positiveInt(env: ConfigInputs["env"], name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `expected a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value <= 0 || !Number.isSafeInteger(value)) throw new ConfigError(name, `must be greater than 0, got "${raw}"`);
  if (value > max) throw new ConfigError(name, `must be at most ${max}, got "${raw}"`);
  return value;
}

const TRUE_WORDS = new Set(["1", "true", "yes", "on"]);
const FALSE_WORDS = new Set(["0", "false", "no", "off", ""]);

function flag(env: ConfigInputs["env"], name: string): boolean {
  const raw = env[name];
  if (raw === undefined) return false;
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new ConfigError(name, `expected 1/true/yes/on or 0/false/no/off, got "${raw}"`);
}

function optionalPath(env: ConfigInputs["env"], name: string, cwd: string): string | null {
  const raw = nonEmpty(env[name]);
  return raw ? path.resolve(cwd, raw) : null;
}

function effort(env: ConfigInputs["env"]): Effort | null {
  const raw = nonEmpty(env.CODEX_FUSION_EFFORT);
  if (raw === null) return null;
  if (!(EFFORTS as readonly string[]).includes(raw)) {
    throw new ConfigError("CODEX_FUSION_EFFORT", `expected one of ${EFFORTS.join(", ")}, got "${raw}"`);
  }
  return raw as Effort;
}

function nonEmpty(value: string | undefined): string | null {
  return value !== undefined && value.trim() !== "" ? value.trim() : null;
}
