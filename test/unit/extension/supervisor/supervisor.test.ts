import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerStatus } from "../../../../server/protocol/results";
import type { ControlEvent } from "../../../../server/protocol/control";
import type { ServerPhase } from "../../../../extension/supervisor/serverConnection";
import { backoffDelay, CrashTracker, DEFAULT_CRASH_POLICY } from "../../../../extension/supervisor/crashPolicy";
import { ControlRequestError } from "../../../../extension/supervisor/rpcClient";
import { Supervisor, type GiveUp, type SupervisorOptions } from "../../../../extension/supervisor/supervisor";

// ── pure policy ────────────────────────────────────────────────────────────────────────────────────

test("backoff: 1, 2, 4, 8, 16 s… capped", () => {
  assert.deepEqual([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt)), [1_000, 2_000, 4_000, 8_000, 16_000]);
  assert.equal(backoffDelay(6), 30_000);
  assert.equal(backoffDelay(20), 30_000);
  assert.equal(backoffDelay(3, { baseDelayMs: 10, maxDelayMs: 25 }), 25);
});

test("crash window: four restarts after 1, 2, 4, 8 s, the fifth crash within 2 minutes gives up", () => {
  const tracker = new CrashTracker();
  const decisions = [0, 2_000, 5_000, 10_000, 20_000].map((time) => tracker.record(time));
  assert.deepEqual(decisions.slice(0, 4), [
    { restart: true, delayMs: 1_000, recent: 1 },
    { restart: true, delayMs: 2_000, recent: 2 },
    { restart: true, delayMs: 4_000, recent: 3 },
    { restart: true, delayMs: 8_000, recent: 4 },
  ]);
  assert.deepEqual(decisions[4], { restart: false, recent: 5 });
});

test("crash window: crashes older than the window no longer count; reset() starts over", () => {
  const tracker = new CrashTracker();
  for (const time of [0, 1_000, 2_000, 3_000]) tracker.record(time);
  // 2 minutes after the first: it has left the window, three remain, so this is the 4th (8 s), not the 5th.
  assert.deepEqual(tracker.record(DEFAULT_CRASH_POLICY.windowMs), { restart: true, delayMs: 8_000, recent: 4 });
  // Spread-out crashes never accumulate.
  const spread = new CrashTracker();
  for (let i = 0; i < 10; i++) assert.deepEqual(spread.record(i * 130_000), { restart: true, delayMs: 1_000, recent: 1 });
  tracker.reset();
  assert.deepEqual(tracker.record(DEFAULT_CRASH_POLICY.windowMs + 1), { restart: true, delayMs: 1_000, recent: 1 });
});

// ── the supervisor against a scripted child ────────────────────────────────────────────────────────

const FAKE_SERVER = String.raw`
const fs = require("fs");
const mode = process.env.FAKE_MODE;
fs.appendFileSync(process.env.FAKE_RECORD, "start " + process.pid + " " + process.argv.slice(2).join(" ") + "\n");
if (mode === "config-error") { process.stderr.write("codex-fusion-mcp: invalid configuration — CODEX_FUSION_EFFORT: expected one of low\n"); process.exit(2); }
if (mode === "crash") { process.stderr.write("boom: something broke\n"); process.exit(1); }
if (mode === "hang") { setInterval(() => {}, 1000); }
else {
  let status = {
    workspace: process.env.CODEX_FUSION_WORKSPACE, agentCommand: [String(process.env.ELECTRON_RUN_AS_NODE), String(process.env.INHERITED)],
    agentAlive: false, agentPid: null, sessionId: null, mode: null, modeWarning: null, startup: null,
    turn: mode === "busy" ? { id: "t1", tool: "consult", client: "test", elapsedMs: 5, waitingForPermission: false } : null,
    queued: 0, pendingPermissions: [], guardian: { allowExternalReads: false, allowWrites: false, allowCommands: false }, lastError: null, lastErrorCode: null, advice: null,
  };
  process.send({ type: "listening", url: "http://127.0.0.1:4321/mcp", token: "tok-" + process.pid, pid: process.pid, version: "9.9.9" });
  process.on("message", (m) => {
    if (m.type !== "request") return;
    if (m.method === "getStatus") process.send({ type: "response", requestId: m.requestId, ok: true, result: status });
    if (m.method === "decidePermission") process.send({ type: "response", requestId: m.requestId, ok: false, error: { code: "not_found", message: "no pending permission with id perm-9" } });
    if (m.method === "cancelTurn") {
      status = { ...status, turn: null };
      process.send({ type: "response", requestId: m.requestId, ok: true, result: { cancelled: true } });
      process.send({ type: "turnFinished", id: "t1", tool: "consult", client: "test", summary: "s", result: {}, activity: [], isError: false, error: null, errorCode: null });
      process.send({ type: "serverState", state: "ready", status });
    }
    if (m.method === "resetSession") process.exit(7); // dies without answering
  });
  if (mode === "stubborn") { process.on("SIGTERM", () => {}); process.on("disconnect", () => {}); setInterval(() => {}, 1000); }
  else {
    process.on("disconnect", () => { fs.appendFileSync(process.env.FAKE_RECORD, "disconnected " + process.pid + "\n"); process.exit(0); });
    process.on("SIGTERM", () => { fs.appendFileSync(process.env.FAKE_RECORD, "terminated " + process.pid + "\n"); process.exit(0); });
  }
}
`;

interface Harness {
  supervisor: Supervisor;
  env: Record<string, string>;
  phases: ServerPhase[];
  events: ControlEvent[];
  giveUps: GiveUp[];
  logs: string[];
  starts(): number[];
  record(): string;
  noFolder: boolean;
  cleanup(): Promise<void>;
}

function harness(mode: string, options: Partial<SupervisorOptions> = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), "cf-supervisor-"));
  const script = join(dir, "server.js");
  const recordFile = join(dir, "record.txt");
  writeFileSync(script, FAKE_SERVER);
  writeFileSync(recordFile, "");
  const logs: string[] = [];
  const h: Harness = {
    env: { FAKE_MODE: mode, FAKE_RECORD: recordFile, CODEX_FUSION_WORKSPACE: dir },
    phases: [],
    events: [],
    giveUps: [],
    logs,
    noFolder: false,
    starts: () => [...readFileSync(recordFile, "utf8").matchAll(/^start (\d+)/gm)].map((match) => Number(match[1])),
    record: () => readFileSync(recordFile, "utf8"),
    supervisor: undefined as unknown as Supervisor,
    cleanup: async () => {
      await h.supervisor.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  h.supervisor = new Supervisor({
    serverScript: script,
    execPath: process.execPath,
    baseEnv: { PATH: process.env.PATH, INHERITED: "yes", FAKE_MODE: "ignored: the launch env wins" },
    resolveLaunch: () => (h.noFolder ? { ok: false, reason: "no folder is open" } : { ok: true, launch: { workspace: dir, env: { ...h.env } } }),
    log: {
      info: (message) => logs.push(`info ${message}`),
      warn: (message) => logs.push(`warn ${message}`),
      error: (message) => logs.push(`error ${message}`),
      serverOutput: (line) => logs.push(`server ${line}`),
      event: (event) => logs.push(`event ${event.type}`),
    },
    crashPolicy: { baseDelayMs: 20, maxDelayMs: 100, windowMs: 60_000, maxCrashes: 3 },
    stopGraceMs: 500,
    ...options,
  });
  h.supervisor.onDidChangePhase((phase) => h.phases.push(phase));
  h.supervisor.onEvent((event) => h.events.push(event));
  h.supervisor.onDidGiveUp((giveUp) => h.giveUps.push(giveUp));
  return h;
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test("start: the child gets --http, the launch env over the inherited one and ELECTRON_RUN_AS_NODE; ready with endpoint and status", async () => {
  const h = harness("ok");
  try {
    await h.supervisor.start();
    const endpoint = await h.supervisor.whenReady(10_000);
    const [pid] = h.starts();
    assert.deepEqual(endpoint, { url: "http://127.0.0.1:4321/mcp", token: `tok-${pid}`, pid });
    assert.match(h.record(), /^start \d+ --http$/m);
    assert.deepEqual(h.phases, ["starting", "ready"]);
    assert.equal(h.supervisor.version, "9.9.9");
    // The status was read before "ready", so views can rely on it.
    const status = h.supervisor.status as ServerStatus;
    assert.equal(status.workspace, h.env.CODEX_FUSION_WORKSPACE);
    assert.deepEqual(status.agentCommand, ["1", "yes"]);
    assert.equal((await h.supervisor.request("getStatus", {})).workspace, h.env.CODEX_FUSION_WORKSPACE);
    await assert.rejects(h.supervisor.request("decidePermission", { id: "perm-9", decision: "allow" }), (error: unknown) => {
      assert.ok(error instanceof ControlRequestError);
      assert.equal(error.code, "not_found", "the server's code reaches the caller");
      assert.match(error.message, /no pending permission with id perm-9/);
      return true;
    });
    assert.ok(!h.logs.some((line) => line.includes(`tok-${pid}`)), "the token never reaches the log");
  } finally {
    await h.cleanup();
  }
});

test("dispose: the child is stopped through the IPC disconnect, nothing restarts, requests fail clearly", async () => {
  const h = harness("ok");
  await h.supervisor.start();
  const { pid } = await h.supervisor.whenReady(10_000);
  await h.supervisor.dispose();
  assert.ok(!alive(pid), "no orphan");
  assert.equal(h.supervisor.phase, "stopped");
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(h.starts().length, 1);
  await h.cleanup();
  await assert.rejects(h.supervisor.request("getStatus", {}), /shutting down/);
});

test("dispose: a child that ignores disconnect and SIGTERM is killed after the grace period", async () => {
  const h = harness("stubborn", { stopGraceMs: 300 });
  await h.supervisor.start();
  const { pid } = await h.supervisor.whenReady(10_000);
  await h.cleanup();
  assert.ok(!alive(pid));
  assert.ok(h.logs.some((line) => /did not stop within .*killing it/.test(line)));
});

test("a child that dies mid-request fails the request with a clear message and is restarted with backoff", async () => {
  const h = harness("ok");
  try {
    await h.supervisor.start();
    const first = await h.supervisor.whenReady(10_000);
    await assert.rejects(h.supervisor.request("resetSession", {}), /The Codex Fusion server exited with code 7 before answering resetSession\. It restarts on its own/);
    await until(() => h.supervisor.phase === "ready" && h.supervisor.endpoint?.pid !== first.pid, "the restart");
    assert.equal(h.starts().length, 2);
    assert.ok(!alive(first.pid));
    assert.deepEqual(h.phases, ["starting", "ready", "starting", "ready"]);
    assert.equal(h.supervisor.lastError, null, "cleared once ready again");
  } finally {
    await h.cleanup();
  }
});

test("crash loop: restarts until maxCrashes within the window, then gives up once; a manual restart starts over", async () => {
  const h = harness("crash");
  try {
    await h.supervisor.start();
    await until(() => h.giveUps.length > 0, "giving up");
    assert.equal(h.starts().length, 3);
    assert.equal(h.supervisor.phase, "error");
    assert.equal(h.giveUps.length, 1);
    assert.equal(h.giveUps[0]!.kind, "crashes");
    assert.match(h.giveUps[0]!.message, /stopped 3 times within 60 s \(exited with code 1; last output: boom: something broke\)/);
    await assert.rejects(h.supervisor.request("getStatus", {}), /not running .*Restart Server/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(h.starts().length, 3, "no more restarts after giving up");

    h.env.FAKE_MODE = "ok";
    await h.supervisor.restart("test");
    await h.supervisor.whenReady(10_000);
    assert.equal(h.starts().length, 4);
  } finally {
    await h.cleanup();
  }
});

test("a configuration the server refuses (exit 2 before listening) is not retried", async () => {
  const h = harness("config-error");
  try {
    await h.supervisor.start();
    await until(() => h.giveUps.length > 0, "giving up");
    assert.equal(h.giveUps[0]!.kind, "config");
    assert.match(h.giveUps[0]!.message, /refused to start: invalid configuration — CODEX_FUSION_EFFORT: expected one of low/);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(h.starts().length, 1);
    // whenReady({start}) is an explicit use: it tries again (and here fails again, with the reason).
    await assert.rejects(h.supervisor.whenReady(5_000, { start: true }), /not running .*invalid configuration/);
    assert.equal(h.starts().length, 2);
  } finally {
    await h.cleanup();
  }
});

test("a child that never reports listening is killed after the start timeout and counts as a crash", async () => {
  const h = harness("hang", { startTimeoutMs: 300, crashPolicy: { baseDelayMs: 10, maxDelayMs: 10, windowMs: 60_000, maxCrashes: 2 } });
  try {
    await h.supervisor.start();
    await until(() => h.giveUps.length > 0, "giving up", 90_000);
    // Counted from the supervisor's side: on a loaded machine a child may be killed before it gets to record itself.
    assert.equal(h.logs.filter((line) => /^info Starting the server/.test(line)).length, 2);
    assert.ok(h.starts().every((pid) => !alive(pid)));
    assert.match(h.giveUps[0]!.message, /ended by SIGKILL/);
  } finally {
    await h.cleanup();
  }
});

test("restartWhenIdle waits for the turn to end (serverState without a turn), then restarts", async () => {
  const h = harness("busy");
  try {
    await h.supervisor.start();
    const first = await h.supervisor.whenReady(10_000);
    assert.equal(h.supervisor.busy, true);
    h.supervisor.restartWhenIdle("settings changed");
    assert.equal(h.supervisor.restartPending, true);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(h.supervisor.endpoint?.pid, first.pid, "not while the turn runs");

    h.env.FAKE_MODE = "ok";
    await h.supervisor.request("cancelTurn", {});
    await until(() => h.supervisor.phase === "ready" && h.supervisor.endpoint?.pid !== first.pid, "the deferred restart");
    assert.equal(h.supervisor.restartPending, false);
    assert.ok(h.events.some((event) => event.type === "turnFinished"), "the turn's end reached the listeners first");
    assert.ok(!alive(first.pid));
  } finally {
    await h.cleanup();
  }
});

test("staleLaunch names what changed; a restart applies it", async () => {
  const h = harness("ok");
  try {
    await h.supervisor.start();
    await h.supervisor.whenReady(10_000);
    assert.deepEqual(h.supervisor.staleLaunch(), []);
    h.env.CODEX_FUSION_MODEL = "m";
    assert.deepEqual(h.supervisor.staleLaunch(), ["CODEX_FUSION_MODEL"]);
    await h.supervisor.restart("settings changed");
    await h.supervisor.whenReady(10_000);
    assert.deepEqual(h.supervisor.staleLaunch(), []);
    assert.match(h.record(), /(disconnected|terminated) \d+/, "the old child was asked to stop (IPC disconnect and SIGTERM)");
  } finally {
    await h.cleanup();
  }
});

test("no folder: nothing is spawned, the phase stays stopped and whenReady says why", async () => {
  const h = harness("ok");
  h.noFolder = true;
  try {
    await h.supervisor.start();
    assert.equal(h.supervisor.phase, "stopped");
    assert.equal(h.starts().length, 0);
    assert.equal(h.supervisor.lastError, "no folder is open");
    await assert.rejects(h.supervisor.whenReady(1_000), /not running \(no folder is open\)/);
    assert.deepEqual(h.supervisor.staleLaunch(), []);
    h.noFolder = false;
    assert.deepEqual(h.supervisor.staleLaunch(), ["workspace"]);
  } finally {
    await h.cleanup();
  }
});

// ── the real server ────────────────────────────────────────────────────────────────────────────────

const BUILT_SERVER = join(import.meta.dirname, "../../..", "..", "dist", "server.js");

test("the real dist/server.js: ready over IPC, status from getStatus, discovery file while running, gone after dispose", { skip: existsSync(BUILT_SERVER) ? false : "dist/server.js not built (node esbuild.mjs)" }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "cf-real-server-"));
  const workspace = join(dir, "work space");
  const stateDir = join(dir, "state");
  mkdirSync(workspace);
  const logs: string[] = [];
  const supervisor = new Supervisor({
    serverScript: BUILT_SERVER,
    execPath: process.execPath,
    baseEnv: { PATH: process.env.PATH, HOME: dir, CODEX_FUSION_STATE_DIR: stateDir },
    resolveLaunch: () => ({ ok: true, launch: { workspace, env: { CODEX_FUSION_WORKSPACE: workspace, CODEX_FUSION_ACP_COMMAND: '["/nonexistent/agent"]', CODEX_FUSION_ALLOW_WRITES: "1" } } }),
    log: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m), serverOutput: (l) => logs.push(`server ${l}`), event: () => undefined },
  });
  try {
    await supervisor.start();
    const endpoint = await supervisor.whenReady(20_000);
    assert.match(endpoint.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    assert.ok(endpoint.token.length >= 32);
    const status = await supervisor.request("getStatus", {});
    assert.equal(status.workspace, workspace);
    assert.deepEqual(status.agentCommand, ["/nonexistent/agent"]);
    assert.equal(status.guardian.allowWrites, true);
    assert.deepEqual(supervisor.status?.workspace, workspace, "seeded before ready");
    const unauthorised = await fetch(endpoint.url, { method: "POST" });
    assert.equal(unauthorised.status, 401);
    assert.equal(readdirSync(join(stateDir, "servers")).length, 1);
    await supervisor.dispose();
    assert.ok(!alive(endpoint.pid), "no orphan");
    assert.deepEqual(readdirSync(join(stateDir, "servers")), [], "the server removed its discovery file");
  } finally {
    await supervisor.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
