// The ACP SDK's own client on an agent's stdio, nothing added: what the bench's direct-ACP baseline and the floor
// server (floorServer.ts) both drive. It collects the text of `agent_message_chunk`s; `prompt` returns a turn's text.
import type { ChildProcess } from "node:child_process";
import { Readable, Writable } from "node:stream";
import * as acp from "@agentclientprotocol/sdk";

export interface BareAcpClient {
  /** initialize + session/new (+ the read-only mode when asked), as the server sets a session up. */
  openSession(cwd: string, options?: { readOnly?: boolean }): Promise<string>;
  /** One turn: its stop reason and the answer's text. */
  prompt(sessionId: string, text: string): Promise<{ stopReason: string; answer: string }>;
  close(): void;
}

export function bareAcpClient(agent: ChildProcess, name: string): BareAcpClient {
  let answer = "";
  const connection = acp
    .client({ name })
    .onNotification("session/update", (ctx) => {
      const update = ctx.params.update;
      if (update.sessionUpdate === "agent_message_chunk" && update.content.type === "text") answer += update.content.text;
    })
    .connect(acp.ndJsonStream(Writable.toWeb(agent.stdin!) as WritableStream<Uint8Array>, Readable.toWeb(agent.stdout!) as ReadableStream<Uint8Array>));
  return {
    async openSession(cwd, options = {}) {
      await connection.agent.request("initialize", { protocolVersion: acp.PROTOCOL_VERSION, clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false } });
      const { sessionId } = await connection.agent.request("session/new", { cwd, mcpServers: [] });
      if (options.readOnly) await connection.agent.request("session/set_config_option", { sessionId, configId: "mode", value: "read-only" });
      return sessionId;
    },
    async prompt(sessionId, text) {
      answer = "";
      const { stopReason } = await connection.agent.request("session/prompt", { sessionId, prompt: [{ type: "text", text }] });
      // The SDK hands notifications over a few microtasks late (the server waits the same way).
      await new Promise((resolve) => setImmediate(resolve));
      return { stopReason, answer };
    },
    close: () => connection.close(),
  };
}
