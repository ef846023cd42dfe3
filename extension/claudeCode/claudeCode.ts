// Connecting Claude Code to Codex Fusion, without `vscode`: the command line, the .mcp.json merge, the stable copy of
// the server, finding executables and running `claude`. The prompts and messages live in claudeCode/claude.ts.
//
// Claude Code starts `node <stable copy of dist/server.js>` over stdio. That launch finds this window's HTTP server
// through its discovery file (keyed by the workspace path, which Claude Code passes as CLAUDE_PROJECT_DIR) and
// attaches to it, so it shares the editor's Codex session, permissions and verdicts. No environment variable has to
// reach the terminal, so the extension injects none (no environmentVariableCollection) and never writes a token.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { isFile } from "../../server/protocol/findExecutable";
import { planSpawn } from "../../server/protocol/spawnPlan";
import { shellQuote } from "../../server/protocol/text";

export const CLAUDE_SERVER_NAME = "codex-fusion";

// ── command lines (pure) ───────────────────────────────────────────────────────────────────────────

/** argv (after `claude`) that registers the server for this project, private to the user. */
export function claudeAddArgs(serverPath: string): string[] {
  return ["mcp", "add", "--scope", "local", CLAUDE_SERVER_NAME, "--", "node", serverPath];
}

export function claudeRemoveArgs(): string[] {
  return ["mcp", "remove", "--scope", "local", CLAUDE_SERVER_NAME];
}

export function claudeGetArgs(): string[] {
  return ["mcp", "get", CLAUDE_SERVER_NAME];
}

/** The setup command as a person types it in their shell (POSIX sh, or PowerShell/cmd on Windows). */
export function setupCommandLine(serverPath: string, platform: NodeJS.Platform): string {
  return ["claude", ...claudeAddArgs(serverPath)].map((arg) => shellQuote(arg, platform)).join(" ");
}

/** Whether `claude mcp add` failed because the name is taken (rather than for another reason). */
export function isAlreadyExists(output: string): boolean {
  return /already exists/i.test(output);
}

/** Whether `claude mcp get` output describes our server at this path. */
export function describesServerAt(output: string, serverPath: string): boolean {
  return output.includes(serverPath);
}

// ── .mcp.json (pure) ───────────────────────────────────────────────────────────────────────────────

export interface McpJsonEntry {
  command: string;
  args: string[];
  [key: string]: unknown;
}

/** Claude Code's project entry: a stdio launch of the stable copy. No token, no env. */
export function mcpJsonEntry(serverPath: string): McpJsonEntry {
  return { command: "node", args: [serverPath] };
}

export type McpJsonMerge =
  | { ok: true; text: string; change: "added" | "updated" | "unchanged" }
  | { ok: false; reason: string };

/** Transport fields of another kind of entry, dropped when ours replaces it (a stdio entry with `url` is skipped). */
const FOREIGN_TRANSPORT_KEYS = ["type", "url", "headers", "headersHelper"];

/**
 * Adds or updates our entry in the text of `.mcp.json` (null: no file yet). Every other server and top-level key is
 * kept; our own entry keeps fields the person added (env, timeout, alwaysLoad…) and gets our command and args. A file
 * that is not a JSON object is never overwritten.
 */
export function mergeMcpJson(existing: string | null, serverPath: string): McpJsonMerge {
  let root: Record<string, unknown> = {};
  if (existing !== null && existing.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch (error) {
      return { ok: false, reason: `.mcp.json is not valid JSON (${(error as Error).message}); fix it or add the entry by hand` };
    }
    if (!isObject(parsed)) return { ok: false, reason: ".mcp.json does not hold a JSON object; fix it or add the entry by hand" };
    root = parsed;
  }
  const servers = root.mcpServers ?? {};
  if (!isObject(servers)) return { ok: false, reason: `"mcpServers" in .mcp.json is not an object; fix it or add the entry by hand` };

  const wanted = mcpJsonEntry(serverPath);
  const previous = servers[CLAUDE_SERVER_NAME];
  let entry: Record<string, unknown> = { ...wanted };
  let change: "added" | "updated" | "unchanged" = "added";
  if (isObject(previous)) {
    const kept = Object.fromEntries(Object.entries(previous).filter(([key]) => !FOREIGN_TRANSPORT_KEYS.includes(key) && key !== "command" && key !== "args"));
    entry = { ...wanted, ...kept };
    const same = previous.command === wanted.command && JSON.stringify(previous.args) === JSON.stringify(wanted.args) && FOREIGN_TRANSPORT_KEYS.every((key) => !(key in previous));
    change = same ? "unchanged" : "updated";
  }
  if (change === "unchanged") return { ok: true, text: existing ?? "", change };
  const next = { ...root, mcpServers: { ...servers, [CLAUDE_SERVER_NAME]: entry } };
  return { ok: true, text: `${JSON.stringify(next, null, 2)}\n`, change };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ── the stable copy of the server (file system) ────────────────────────────────────────────────────

export interface StableCopy {
  /** Absolute path of the copy, the one Claude Code runs. */
  path: string;
  /** Whether this call wrote it. */
  refreshed: boolean;
}

const COPY_DIR = "server";
const COPY_NAME = "codex-fusion-mcp.js";
const MARKER_NAME = "codex-fusion-mcp.version";

/** Where the copy lives under the extension's global storage: the same path across extension updates. */
export function stableServerPath(globalStorageDir: string): string {
  return path.join(globalStorageDir, COPY_DIR, COPY_NAME);
}

/** What identifies one build of dist/server.js: the extension version plus the file's size and mtime. */
export function buildMarker(version: string, stat: { size: number; mtimeMs: number }): string {
  return `${version} ${stat.size} ${Math.round(stat.mtimeMs)}`;
}

/**
 * Makes sure the copy exists and matches the bundled server. With `onlyIfPresent` (the check on every activation) a copy
 * is only refreshed, never created: nothing is written for people who never connected Claude Code.
 */
export async function ensureStableCopy(source: string, globalStorageDir: string, version: string, options: { onlyIfPresent?: boolean } = {}): Promise<StableCopy | null> {
  const target = stableServerPath(globalStorageDir);
  const markerFile = path.join(path.dirname(target), MARKER_NAME);
  const marker = buildMarker(version, await fs.promises.stat(source));
  const [present, current] = await Promise.all([
    fs.promises.access(target).then(() => true, () => false),
    fs.promises.readFile(markerFile, "utf8").then((text) => text.trim(), () => null),
  ]);
  if (!present && options.onlyIfPresent) return null;
  if (present && current === marker) return { path: target, refreshed: false };
  await fs.promises.mkdir(path.dirname(target), { recursive: true });
  // Copy then rename, so a Claude Code starting the server meanwhile never runs half a file.
  const temp = `${target}.${process.pid}.tmp`;
  await fs.promises.copyFile(source, temp);
  await fs.promises.rename(temp, target);
  await fs.promises.writeFile(markerFile, `${marker}\n`);
  return { path: target, refreshed: true };
}

// ── finding and running executables ────────────────────────────────────────────────────────────────

export interface RunResult {
  ok: boolean;
  output: string;
}

/** Runs an executable found by findExecutable (npm's .cmd shims go through cmd.exe on Windows) and collects its output. */
export function runExecutable(executable: string, args: string[], cwd: string, timeoutMs = 60_000): Promise<RunResult> {
  const plan = planSpawn([executable, ...args], { platform: process.platform, env: process.env, exists: isFile });
  return new Promise((resolve) => {
    execFile(
      plan.command,
      plan.args,
      { cwd, timeout: timeoutMs, windowsHide: true, windowsVerbatimArguments: plan.windowsVerbatimArguments, maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr ? `\n${stderr}` : ""}`.trim();
        resolve({ ok: !error, output: output || (error ? error.message : "") });
      },
    );
  });
}
