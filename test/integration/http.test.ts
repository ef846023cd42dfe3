// One server, many clients: Streamable HTTP with auth, stdio attach, discovery files and the IPC control channel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ControlEvent } from "../../server/protocol/control";
import { discoveryPath } from "../../server/transports/discovery";
import { isolatedHome } from "../fixtures/home";
import { FAKE_AGENT, SERVER, eventually, isAlive, prompts, startServer, tempDir, textOf } from "./harness";
import { httpClient, startHttp, type HttpServer } from "./httpHarness";
import { CLAUDE, claudeEnv } from "../fixtures/claude-cli";

const INITIALIZE = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } });
const CALL = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "consult", arguments: { question: "sneaky" } } });

/** A raw POST through node:http, which (unlike fetch) lets a test forge the Host header. */
function rawPost(server: HttpServer, headers: Record<string, string>, body = INITIALIZE): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      server.url,
      { method: "POST", headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

test("auth matrix: no token, wrong token, bad Host, bad Origin refused; the right token works; nothing unauthenticated reaches Codex", async () => {
  const server = await startHttp();
  try {
    const auth = { authorization: `Bearer ${server.token}` };
    assert.equal(await rawPost(server, {}), 401, "no token");
    assert.equal(await rawPost(server, { authorization: "Bearer wrong" }), 401, "wrong token");
    assert.equal(await rawPost(server, { authorization: `Basic ${server.token}` }), 401, "wrong scheme");
    assert.equal(await rawPost(server, {}, CALL), 401, "unauthenticated tool call");
    assert.equal(await rawPost(server, { authorization: "Bearer wrong" }, CALL), 401, "wrong-token tool call");
    // A forged Host simulates a DNS-rebinding attack.
    assert.equal(await rawPost(server, { ...auth, host: `evil.example:${server.port}` }), 403, "bad Host");
    assert.equal(await rawPost(server, { ...auth, host: `127.0.0.1:${server.port + 1}` }), 403, "wrong port in Host");
    assert.equal(await rawPost(server, { ...auth, origin: "https://evil.example" }), 403, "bad Origin");
    assert.equal(await rawPost(server, { ...auth, origin: "http://localhost:5173" }), 200, "loopback Origin");
    assert.equal(await rawPost(server, auth), 200, "right token");
    const big = JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "consult", arguments: { question: "x".repeat(9 * 1024 * 1024) } } });
    assert.equal(await rawPost(server, auth, big), 413, "body cap");
    assert.equal(server.log().length, 0, "no agent was ever started: zero unauthenticated tool calls");
  } finally {
    await server.stop();
  }
});

test("refuses to bind anything but loopback", () => {
  for (const host of ["0.0.0.0", "::", "192.168.1.10"]) {
    const run = spawnSync(process.execPath, [SERVER, "--http", "--host", host], { encoding: "utf8", timeout: 10_000 });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /binds loopback only/);
  }
});

test("discovery file: 0600 in a 0700 directory with pid, url and token; removed on exit", async () => {
  const server = await startHttp();
  const file = discoveryPath(server.stateDir, server.workspace);
  try {
    const record = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.equal(record.pid, server.child.pid);
    assert.equal(record.url, server.url);
    assert.equal(record.token, server.token);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700);
    assert.equal(Buffer.from(server.token, "base64url").length, 32, "256 random bits");
  } finally {
    await server.stop();
  }
  assert.equal(fs.existsSync(file), false, "removed on exit");
});

test("a stale discovery file (dead pid) is ignored and cleaned: stdio runs standalone", async () => {
  const workspace = tempDir("fusion-stale-ws-");
  const stateDir = tempDir("fusion-stale-state-");
  const file = discoveryPath(stateDir, workspace);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  fs.writeFileSync(file, JSON.stringify({ pid: Number(dead.stdout), url: "http://127.0.0.1:9/mcp", token: "x", workspace, version: "0", startedAt: "" }));
  const h = await startServer({ CODEX_FUSION_WORKSPACE: workspace, CODEX_FUSION_STATE_DIR: stateDir });
  try {
    const result = await h.call("consult", { question: "standalone?" });
    assert.ok(!result.isError, textOf(result));
    assert.equal(fs.existsSync(file), false);
  } finally {
    await h.close();
  }
});

test("two HTTP clients and one stdio-attached client share one Codex agent and its main session; their asks run side by side on forks", async () => {
  const server = await startHttp();
  const attached = await startServer({ CODEX_FUSION_WORKSPACE: server.workspace, CODEX_FUSION_STATE_DIR: server.stateDir, FAKE_AGENT_LOG: path.join(tempDir("unused-"), "never.log") }, "claude-code");
  const a = await httpClient(server, "client-a");
  const b = await httpClient(server, "client-b");
  try {
    assert.match(attached.stderr(), /attached to the editor's server/);
    const progress: string[] = [];
    const results = (await Promise.all([
      a.callTool({ name: "consult", arguments: { question: "a [[fake:slow:300]]" } }),
      b.callTool({ name: "consult", arguments: { question: "b [[fake:slow:300]]" } }),
      attached.call("consult", { question: "c [[fake:slow:300]]" }, { onprogress: (p) => progress.push(p.message ?? "") }),
    ])) as CallToolResult[];
    for (const result of results) assert.ok(!result.isError, textOf(result));
    const log = server.log();
    assert.equal(log.filter((l) => l.method === "session/new").length, 1, "one main Codex session");
    assert.equal(new Set(log.filter((l) => l.event === "start").map((l) => l.pid)).size, 1, "one agent");
    const sessions = results.map((r) => (r.structuredContent as any).sessionId);
    assert.equal(new Set(sessions).size, 3, "each client's conversation on its own session");
    const forks = log.filter((l) => l.method === "session/fork");
    assert.equal(forks.length, 2, "the two later asks forked from the main session");
    const main = forks[0]!.params.sessionId;
    assert.ok(forks.every((f) => f.params.sessionId === main) && sessions.includes(main));
    assert.equal(log.filter((l) => l.method === "session/prompt").length, 3);
    assert.ok(progress.length > 0, "progress notifications cross the attach proxy");
    const clients = server.events.filter((e) => e.type === "turnStarted").map((e) => (e as any).client).sort();
    assert.deepEqual(clients, ["claude-code", "client-a", "client-b"]);
  } finally {
    await Promise.all([a.close(), b.close(), attached.close()]);
    await server.stop();
  }
});

test("control channel: events for turns and permissions; the editor decides first and permit is told", async () => {
  const server = await startHttp();
  const client = await httpClient(server, "claude-code");
  try {
    const asked = (await client.callTool({ name: "consult", arguments: { question: "run [[fake:permission]]" } })) as CallToolResult;
    const pendingId = (asked.structuredContent as any).pendingPermission.id;
    const pending = server.events.find((e) => e.type === "permissionPending") as Extract<ControlEvent, { type: "permissionPending" }>;
    assert.equal(pending.request.id, pendingId);
    assert.equal(pending.request.command, "touch x");
    const decided = await server.command("decidePermission", { id: pendingId, decision: "allow" });
    assert.equal(decided.ok, true);
    assert.ok(await eventually(() => server.events.some((e) => e.type === "turnFinished")));
    const resolved = server.events.find((e) => e.type === "permissionResolved") as any;
    assert.deepEqual([resolved.id, resolved.decision, resolved.source], [pendingId, "allow", "editor"]);
    // Claude's late permit gets the answer it never received, with who decided.
    const late = (await client.callTool({ name: "permit", arguments: { decision: "deny" } })) as CallToolResult;
    assert.ok(!late.isError, textOf(late));
    assert.match(textOf(late), /allowed once by the person in the editor/);
    assert.match(textOf(late), /ran touch x/);

    // The other way round: permit first, the editor is told who decided.
    const again = (await client.callTool({ name: "consult", arguments: { question: "run [[fake:permission]]" } })) as CallToolResult;
    const id = (again.structuredContent as any).pendingPermission.id;
    await client.callTool({ name: "permit", arguments: { decision: "allow" } });
    const tooLate = await server.command("decidePermission", { id, decision: "deny" });
    assert.ok(!tooLate.ok);
    assert.equal(tooLate.error.code, "already_decided");
    assert.match(tooLate.error.message, /already decided by the MCP client \(permit\) \(allow\)/);

    const status = await server.command("getStatus", {});
    assert.ok(status.ok);
    assert.equal((status.result as any).mode, "read-only");
    const started = server.events.find((e) => e.type === "turnStarted") as any;
    assert.equal(started.client, "claude-code");
    assert.equal(started.tool, "consult");
  } finally {
    await client.close();
    await server.stop();
  }
});

test("control channel: cancel and reset from the editor", async () => {
  const server = await startHttp();
  const client = await httpClient(server, "c");
  try {
    const running = client.callTool({ name: "consult", arguments: { question: "long [[fake:slow:5000]]" } }) as Promise<CallToolResult>;
    assert.ok(await eventually(() => server.events.some((e) => e.type === "turnStarted")));
    const cancelled = await server.command("cancelTurn", {});
    assert.deepEqual(cancelled.ok && cancelled.result, { cancelled: true });
    const result = await running;
    assert.equal((result.structuredContent as any).stopReason, "cancelled");
    const reset = await server.command("resetSession", {});
    assert.match((reset.ok ? (reset.result as any) : {}).message, /dropped/);
  } finally {
    await client.close();
    await server.stop();
  }
});

test("a client that disconnects mid-turn does not wedge the session", async () => {
  const server = await startHttp({ CODEX_FUSION_CANCEL_GRACE_MS: "500" });
  const leaving = await httpClient(server, "leaving");
  const staying = await httpClient(server, "staying");
  try {
    void leaving.callTool({ name: "consult", arguments: { question: "forever [[fake:silent]]" } }).catch(() => undefined);
    assert.ok(await eventually(() => prompts(server.log()).length === 1));
    await leaving.close();
    const result = (await staying.callTool({ name: "consult", arguments: { question: "my turn" } })) as CallToolResult;
    assert.ok(!result.isError, textOf(result));
    assert.ok(server.log().some((line) => line.method === "session/cancel"), "the abandoned turn was cancelled, not waited out");
  } finally {
    await staying.close();
    await server.stop();
  }
});

test("SIGTERM stops the HTTP server and its agent", async () => {
  const server = await startHttp();
  const client = await httpClient(server, "c");
  await client.callTool({ name: "consult", arguments: { question: "hi" } });
  const agentPid = server.log().find((l) => l.event === "start")!.pid;
  await client.close();
  await server.stop();
  assert.ok(await eventually(() => !isAlive(agentPid)));
});

test("Claude Code's own health check: `claude mcp list` reports the server connected", () => {
  const home = isolatedHome(tempDir("fusion-claude-"));
  const env = claudeEnv(home, null, { CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT]) });
  const add = spawnSync(CLAUDE, ["mcp", "add", "codex-fusion", "--", process.execPath, SERVER, "--standalone"], { cwd: home.home, env, encoding: "utf8", timeout: 60_000 });
  assert.equal(add.status, 0, add.stderr);
  const list = spawnSync(CLAUDE, ["mcp", "list"], { cwd: home.home, env, encoding: "utf8", timeout: 60_000 });
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /codex-fusion: .*dist\/server\.js --standalone.*Connected/);
});

test("control channel: turn progress is throttled and never arrives after the turn finished", async () => {
  const server = await startHttp();
  const client = await httpClient(server, "c");
  try {
    const started = Date.now();
    await client.callTool({ name: "consult", arguments: { question: "stream [[fake:stream:25]]" } });
    const elapsed = Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 400)); // longer than one throttle interval
    const mine = server.events.filter((e) => e.type === "turnProgress" || e.type === "turnFinished");
    const finishedAt = mine.findIndex((e) => e.type === "turnFinished");
    assert.ok(finishedAt > 0, "progress came before the end");
    assert.equal(mine.length, finishedAt + 1, "nothing after turnFinished");
    // At most one event per 250 ms interval (plus the first and the last), however long a loaded machine takes.
    assert.ok(finishedAt < 25, `${finishedAt} progress events for 25 chunks: not throttled`);
    assert.ok(finishedAt <= Math.ceil(elapsed / 250) + 2, `${finishedAt} progress events in ${elapsed} ms`);
  } finally {
    await client.close();
    await server.stop();
  }
});

test("the editor decides while the turn still runs: Claude's permit follows the turn to its answer", async () => {
  const server = await startHttp({ FAKE_AGENT_WORK_AFTER_PERMISSION_MS: "800" });
  const client = await httpClient(server, "claude-code");
  try {
    const asked = (await client.callTool({ name: "consult", arguments: { question: "run [[fake:permission]]" } })) as CallToolResult;
    const id = (asked.structuredContent as any).pendingPermission.id;
    assert.equal((await server.command("decidePermission", { id, decision: "allow" })).ok, true);
    const late = (await client.callTool({ name: "permit", arguments: { decision: "allow" } })) as CallToolResult;
    assert.ok(!late.isError, textOf(late));
    assert.match(textOf(late), /ran touch x \(option allow_once\)/);
    assert.match(textOf(late), /allowed once by the person in the editor/);
  } finally {
    await client.close();
    await server.stop();
  }
});
