// The HTTP server as the editor runs it: `dist/server.js --http` forked with an IPC channel (so the test sees the
// control events the editor sees), against the scripted fake ACP agent, plus MCP clients over HTTP — one at a time
// (startHttp) or several sharing the server at once (startShared).
import { fork, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ControlEvent, ControlMethod, ControlParams, ControlResponseMessage, ServerMessage } from "../../server/protocol/control";
import { hermeticEnv, isolatedHome, type IsolatedHome } from "../fixtures/home";
import { FAKE_AGENT, SERVER, tempDir, type LogLine } from "./harness";

export interface HttpServer {
  child: ChildProcess;
  url: string;
  token: string;
  port: number;
  workspace: string;
  stateDir: string;
  events: ControlEvent[];
  log(): LogLine[];
  command<M extends ControlMethod>(method: M, params: ControlParams<M>): Promise<ControlResponseMessage>;
  stop(): Promise<void>;
}

export interface HttpOptions {
  workspace?: string;
  /** The home it runs in (default: a fresh one). */
  home?: IsolatedHome;
  /** Where discovery files go; "home": the default under the home's XDG_STATE_HOME, as the editor's server does. */
  stateDir?: string | "home";
}

export async function startHttp(env: Record<string, string> = {}, options: HttpOptions = {}): Promise<HttpServer> {
  const workspace = options.workspace ?? tempDir("fusion-http-ws-");
  const scratch = tempDir("fusion-http-agent-");
  const home = options.home ?? isolatedHome(scratch);
  const stateDir = options.stateDir === "home" ? path.join(home.env.XDG_STATE_HOME!, "codex-fusion") : (options.stateDir ?? tempDir("fusion-state-"));
  const logFile = path.join(scratch, "agent.log");
  const child = fork(SERVER, ["--http"], {
    env: hermeticEnv(home, {
      CODEX_FUSION_WORKSPACE: workspace,
      ...(options.stateDir === "home" ? {} : { CODEX_FUSION_STATE_DIR: stateDir }),
      CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT]),
      FAKE_AGENT_LOG: logFile,
      ...env,
    }),
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const events: ControlEvent[] = [];
  child.on("message", (message) => events.push(message as ControlEvent));
  const listening = await new Promise<Extract<ControlEvent, { type: "listening" }>>((resolve, reject) => {
    child.on("message", (message: ControlEvent) => message.type === "listening" && resolve(message));
    child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  let nextId = 1;
  return {
    child,
    url: listening.url,
    token: listening.token,
    port: Number(new URL(listening.url).port),
    workspace,
    stateDir,
    events,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l)) : []),
    command: (method, params) => controlCommand(child, nextId++, method, params),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
    },
  };
}

export async function httpClient(server: HttpServer, name: string, token = server.token): Promise<Client> {
  const client = new Client({ name, version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

export interface McpClient {
  client: Client;
  call(name: string, args?: Record<string, unknown>, options?: { onprogress?: (p: { progress: number; message?: string }) => void; signal?: AbortSignal }): Promise<CallToolResult>;
  close(): Promise<void>;
}

export interface SharedServer {
  child: ChildProcess;
  workspace: string;
  events: ControlEvent[];
  log(): LogLine[];
  connect(name: string): Promise<McpClient>;
  command<M extends ControlMethod>(method: M, params: ControlParams<M>): Promise<ControlResponseMessage>;
  stop(): Promise<void>;
}

export async function startShared(env: Record<string, string> = {}): Promise<SharedServer> {
  const workspace = tempDir("fusion-shared-ws-");
  const scratch = tempDir("fusion-shared-");
  const logFile = path.join(scratch, "agent.log");
  const child = fork(SERVER, ["--http"], {
    env: hermeticEnv(isolatedHome(scratch), {
      CODEX_FUSION_WORKSPACE: workspace,
      CODEX_FUSION_STATE_DIR: path.join(scratch, "state"),
      CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT]),
      FAKE_AGENT_LOG: logFile,
      FAKE_AGENT_STATE_DIR: path.join(scratch, "agent-state"),
      ...env,
    }),
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  child.stderr?.resume();
  const events: ControlEvent[] = [];
  child.on("message", (message: ServerMessage) => {
    if (message.type !== "response") events.push(message);
  });
  const listening = await new Promise<Extract<ControlEvent, { type: "listening" }>>((resolve, reject) => {
    child.on("message", (message: ControlEvent) => message.type === "listening" && resolve(message));
    child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  const headers = { authorization: `Bearer ${listening.token}` };
  const clients: McpClient[] = [];
  let nextId = 1;
  return {
    child,
    workspace,
    events,
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line) as LogLine) : []),
    async connect(name) {
      const client = new Client({ name, version: "1.0.0" });
      const transport = new StreamableHTTPClientTransport(new URL(listening.url), { requestInit: { headers } });
      await client.connect(transport);
      const handle: McpClient = {
        client,
        call: (tool, args = {}, options = {}) =>
          client.callTool({ name: tool, arguments: args }, undefined, { onprogress: options.onprogress, signal: options.signal, timeout: 120_000 }) as Promise<CallToolResult>,
        // Like a client that quits properly: DELETE the MCP session, then close.
        close: async () => {
          await transport.terminateSession().catch(() => undefined);
          await client.close().catch(() => undefined);
        },
      };
      clients.push(handle);
      return handle;
    },
    command: (method, params) => controlCommand(child, nextId++, method, params),
    async stop() {
      for (const c of clients) await c.close();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await new Promise((resolve) => child.once("exit", resolve));
      }
    },
  };
}

/** Sends one control-channel request over the child's IPC pipe and resolves with its response. */
export function controlCommand<M extends ControlMethod>(child: ChildProcess, requestId: number, method: M, params: ControlParams<M>): Promise<ControlResponseMessage> {
  child.send({ type: "request", requestId, method, params });
  return new Promise((resolve) => {
    const onMessage = (message: ServerMessage) => {
      if (message.type === "response" && message.requestId === requestId) {
        child.off("message", onMessage);
        resolve(message);
      }
    };
    child.on("message", onMessage);
  });
}

/** The session each `session/prompt` in the fake agent's log went to, with its text. */
export function promptsBySession(log: LogLine[]): { sessionId: string; text: string; t: number }[] {
  return log
    .filter((line) => line.event === "request" && line.method === "session/prompt")
    .map((line) => ({ sessionId: String(line.params.sessionId), text: (line.params.prompt as { text?: string }[]).map((b) => b.text ?? "").join(""), t: line.t }));
}
