// One built server over Streamable HTTP (`dist/server.js --http`, forked with an IPC pipe like the editor runs it)
// against the fake agent: several MCP clients at once, plus the editor's control channel (its asks and events).
import { fork, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ControlEvent, ControlMethod, ControlParams, ControlResponseMessage, ServerMessage } from "../../server/protocol/control";
import { hermeticEnv, isolatedHome } from "../fixtures/home";
import { FAKE_AGENT, SERVER, tempDir, type LogLine } from "./harness";

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
