// HTTP MCP sessions end when their client goes away without saying so: an idle session is closed after
// CODEX_FUSION_HTTP_SESSION_IDLE_MS, but never while a call of its own is still running.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fork } from "node:child_process";
import * as path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { ServerMessage } from "../../server/protocol/control";
import { hermeticEnv, isolatedHome } from "../fixtures/home";
import { FAKE_AGENT, SERVER, eventually, tempDir } from "./harness";

async function startHttp(idleMs: number) {
  const scratch = tempDir("fusion-http-idle-");
  const child = fork(SERVER, ["--http"], {
    env: hermeticEnv(isolatedHome(scratch), {
      CODEX_FUSION_WORKSPACE: tempDir("fusion-http-idle-ws-"),
      CODEX_FUSION_STATE_DIR: path.join(scratch, "state"),
      CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT]),
      CODEX_FUSION_HTTP_SESSION_IDLE_MS: String(idleMs),
    }),
    stdio: ["ignore", "ignore", "ignore", "ipc"],
  });
  const listening = await new Promise<Extract<ServerMessage, { type: "listening" }>>((resolve, reject) => {
    child.on("message", (message: ServerMessage) => message.type === "listening" && resolve(message));
    child.once("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  const headers = { authorization: `Bearer ${listening.token}` };
  const clients = async (): Promise<number> => ((await (await fetch(new URL("/healthz", listening.url), { headers })).json()) as { clients: number }).clients;
  const connect = async (): Promise<Client> => {
    const client = new Client({ name: "idle-test", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(listening.url), { requestInit: { headers } }));
    return client;
  };
  const stop = async () => {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  };
  return { clients, connect, stop };
}

test("an idle HTTP session is closed; a session whose call is still running is kept", async () => {
  const server = await startHttp(400);
  try {
    const busy = await server.connect();
    const idle = await server.connect();
    assert.equal(await server.clients(), 2);
    // The busy client's call takes far longer than the idle limit; the other client goes away without a DELETE
    // (its process died, say): only the idle limit can clean up after it.
    const running = busy.callTool({ name: "consult", arguments: { question: "long [[fake:slow:3000]]" } });
    await idle.close();
    let counts: number[] = [];
    assert.ok(
      await eventually(async () => {
        counts = [...counts, await server.clients()];
        return counts.at(-1) === 1;
      }, 30_000),
      `the idle session was closed (clients seen: ${counts.join(", ")})`,
    );
    const result = await running;
    assert.ok(!result.isError, "the busy session's call finished");
    assert.equal(await server.clients(), 1, "the busy session is still there after its call");
    await busy.close();
  } finally {
    await server.stop();
  }
});
