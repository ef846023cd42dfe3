// Drives the built dist/server.js over real MCP stdio against the scripted fake ACP agent.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { hermeticEnv, isolatedHome } from "../fixtures/home";

export const ROOT = path.resolve(__dirname, "../..");
export const SERVER = path.join(ROOT, "dist/server.js");
export const FAKE_AGENT = path.join(ROOT, "out/fake-agent.js");

export interface LogLine {
  t: number;
  pid: number;
  event: string;
  method?: string;
  params?: any;
  env?: Record<string, string>;
  [key: string]: unknown;
}

export interface Harness {
  client: Client;
  workspace: string;
  logFile: string;
  stateDir: string;
  stderr: () => string;
  serverPid: () => number | null;
  call(name: string, args?: Record<string, unknown>, options?: { onprogress?: (p: { progress: number; message?: string }) => void; signal?: AbortSignal; timeout?: number }): Promise<CallToolResult>;
  log(): LogLine[];
  agentPids(): number[];
  close(): Promise<void>;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startServer(env: Record<string, string> = {}, clientName = "integration-test"): Promise<Harness> {
  const workspace = env.CODEX_FUSION_WORKSPACE ?? tempDir("fusion-ws-");
  const scratch = tempDir("fusion-agent-");
  const logFile = path.join(scratch, "agent.log");
  const stateDir = path.join(scratch, "state");
  let stderr = "";
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [SERVER],
    cwd: workspace,
    stderr: "pipe",
    // Its own HOME (and with it XDG_STATE_HOME for discovery files): nothing of the machine's reaches the server or
    // the agent it starts.
    env: hermeticEnv(isolatedHome(scratch), {
      CODEX_FUSION_WORKSPACE: workspace,
      CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT]),
      FAKE_AGENT_LOG: logFile,
      FAKE_AGENT_STATE_DIR: stateDir,
      ...env,
    }),
  });
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: clientName, version: "1.0.0" });
  await client.connect(transport);
  const log = (): LogLine[] =>
    fs.existsSync(logFile)
      ? fs
          .readFileSync(logFile, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as LogLine)
      : [];
  return {
    client,
    workspace,
    logFile,
    stateDir,
    stderr: () => stderr,
    serverPid: () => transport.pid,
    call: (name, args = {}, options = {}) =>
      client.callTool({ name, arguments: args }, undefined, {
        onprogress: options.onprogress,
        signal: options.signal,
        timeout: options.timeout ?? 120_000,
      }) as Promise<CallToolResult>,
    log,
    agentPids: () => [...new Set(log().flatMap((line) => (line.event === "start" ? [line.pid] : line.event === "grandchild" ? [line.pid as number] : [])))],
    close: async () => {
      await client.close().catch(() => undefined);
    },
  };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((item) => (item.type === "text" ? item.text : "")).join("\n");
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `check` holds, polling; false when it never did within `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 30_000, every = 25): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  return check();
}

/** The grandchild pids the fake agent reported (it logs them as `{"event":"grandchild","pid":…}`). */
export function grandchildPids(log: LogLine[]): number[] {
  return log.filter((line) => line.event === "grandchild").map((line) => line.pid as number);
}

export function prompts(log: LogLine[]): string[] {
  return log
    .filter((line) => line.event === "request" && line.method === "session/prompt")
    .map((line) => (line.params.prompt as { type: string; text?: string }[]).map((block) => block.text ?? "").join(""));
}

/** Polls until done, within a generous limit (then the test fails saying so). */
export async function until<T>(what: () => T | Promise<T>, done: (value: T) => boolean, limits: { ms?: number; every?: number } = {}): Promise<T> {
  const { ms = 120_000, every = 50 } = limits;
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await what();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`still waiting after ${ms / 1000} s; last: ${JSON.stringify(value)?.slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}
