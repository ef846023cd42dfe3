// Smoke test of the scripted fake ACP agent (test/fixtures/fake-agent.ts), run as a real subprocess
// (`node out/fake-agent.js`) and driven with the SDK's client API.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Readable, Writable } from "node:stream";
import {
  client,
  ndJsonStream,
  RequestError,
  type ClientConnection,
  type RequestPermissionRequest,
  type RequestPermissionResponse,
  type SessionNotification,
} from "@agentclientprotocol/sdk";
import { hermeticEnv, isolatedHome, type IsolatedHome } from "../fixtures/home";

const ROOT = resolve(import.meta.dirname, "../..");
const SOURCE = join(ROOT, "test/fixtures/fake-agent.ts");
const BUNDLE = join(ROOT, "out/fake-agent.js");

type PermissionHandler = (params: RequestPermissionRequest, signal: AbortSignal) => Promise<RequestPermissionResponse>;

interface Agent {
  child: ChildProcess;
  conn: ClientConnection;
  updates: SessionNotification[];
  permissions: RequestPermissionRequest[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  onPermission: PermissionHandler;
  /** Text of the agent_message_chunk updates of a session, from update index `from`. */
  text(sessionId: string, from?: number): string;
  stop(): Promise<void>;
}

const agents: Agent[] = [];
let tmp: string;
let home: IsolatedHome;

function startAgent(extraEnv: Record<string, string> = {}): Agent {
  const child = spawn(process.execPath, [BUNDLE], {
    cwd: tmp,
    env: hermeticEnv(home, extraEnv),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once("exit", (code, signal) => res({ code, signal })),
  );
  const agent: Agent = {
    child,
    conn: undefined as unknown as ClientConnection,
    updates: [],
    permissions: [],
    stderr: () => stderr,
    exited,
    onPermission: async () => ({ outcome: { outcome: "selected", optionId: "allow_once" } }),
    text(sessionId, from = 0) {
      return this.updates
        .slice(from)
        .filter((n) => n.sessionId === sessionId)
        .map((n) => (n.update.sessionUpdate === "agent_message_chunk" && n.update.content.type === "text" ? n.update.content.text : ""))
        .join("");
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin!.end();
        const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  agent.conn = client({ name: "fake-agent-test" })
    .onRequest("session/request_permission", ({ params, signal }) => {
      agent.permissions.push(params);
      return agent.onPermission(params, signal);
    })
    .onNotification("session/update", ({ params }) => {
      agent.updates.push(params);
    })
    .connect(
      ndJsonStream(
        Writable.toWeb(child.stdin!) as WritableStream<Uint8Array>,
        Readable.toWeb(child.stdout!) as unknown as ReadableStream<Uint8Array>,
      ),
    );
  agents.push(agent);
  return agent;
}

/** Notification handlers run a few microtasks after they arrive: let them settle after a response. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

async function init(agent: Agent) {
  return agent.conn.agent.request("initialize", {
    protocolVersion: 1,
    clientCapabilities: {},
    clientInfo: { name: "fake-agent-test", version: "0" },
  });
}

async function newSession(agent: Agent, cwd = tmp) {
  return agent.conn.agent.request("session/new", { cwd, mcpServers: [] });
}

async function prompt(agent: Agent, sessionId: string, text: string) {
  const from = agent.updates.length;
  const response = await agent.conn.agent.request("session/prompt", { sessionId, prompt: [{ type: "text", text }] });
  await settle();
  return { response, text: agent.text(sessionId, from) };
}

before(() => {
  tmp = mkdtempSync(join(tmpdir(), "fake-agent-test-"));
  home = isolatedHome(tmp);
  // Built by `npm test` (npm run build) before any suite starts, so no suite pays for a build inside its time.
  if (!existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < statSync(SOURCE).mtimeMs) {
    throw new Error(`${BUNDLE} is missing or older than ${SOURCE}: run \`npm run build\` first`);
  }
});

after(async () => {
  await Promise.all(agents.map((a) => a.stop()));
  rmSync(tmp, { recursive: true, force: true });
});

// Each test drives its own agent process, so they can run side by side.
describe("fake ACP agent", { concurrency: true, timeout: 120_000 }, () => {
  test("initialize, session/new, verdict, config options, log", async () => {
    const logFile = join(tmp, "basic.log");
    const agent = startAgent({ INITIAL_AGENT_MODE: "read-only", FAKE_AGENT_LOG: logFile });
    const initResponse = await init(agent);
    assert.equal(initResponse.protocolVersion, 1);
    assert.equal(initResponse.agentInfo?.name, "fake-agent");
    assert.equal(initResponse.agentCapabilities?.loadSession, true);
    assert.ok(initResponse.agentCapabilities?.sessionCapabilities?.resume);
    assert.deepEqual(initResponse.authMethods, []);

    const session = await newSession(agent);
    assert.match(session.sessionId, /^fake-\d+-\d+$/);
    assert.equal(session.modes?.currentModeId, "read-only");
    assert.deepEqual(
      session.modes?.availableModes.map((m) => m.id),
      ["read-only", "workspace-write", "agent", "agent-full-access"],
    );
    const ids = (session.configOptions ?? []).map((o) => o.id);
    assert.deepEqual(ids, ["mode", "model", "reasoning_effort"]);
    const mode = session.configOptions!.find((o) => o.id === "mode")!;
    assert.equal(mode.type === "select" && mode.currentValue, "read-only");

    const { response, text } = await prompt(agent, session.sessionId, "Please review.");
    assert.equal(response.stopReason, "end_turn");
    assert.ok(text.startsWith(`fake-agent turn 1 of session ${session.sessionId} (mode read-only)\n`), text);
    assert.match(text, /- \[major\] src\/app\.ts:12 — example finding/);
    assert.match(text, /VERDICT: CONSENSUS — looks good\n$/);
    // `usage` is typed only by the SDK's /unstable entry point.
    const usage = (response as { usage?: { totalTokens: number } | null }).usage;
    assert.ok((usage?.totalTokens ?? 0) > 0);
    assert.ok(agent.updates.some((n) => n.update.sessionUpdate === "usage_update"));

    const open = await prompt(agent, session.sessionId, "again [[fake:open]]");
    assert.match(open.text, /^fake-agent turn 2 of session /);
    assert.match(open.text, /VERDICT: OPEN — needs tests/);

    const set = await agent.conn.agent.request("session/set_config_option", {
      sessionId: session.sessionId,
      configId: "reasoning_effort",
      value: "xhigh",
    });
    const effort = set.configOptions.find((o) => o.id === "reasoning_effort")!;
    assert.equal(effort.type === "select" && effort.currentValue, "xhigh");
    await assert.rejects(
      agent.conn.agent.request("session/set_config_option", { sessionId: session.sessionId, configId: "mode", value: "yolo" }),
      (err: unknown) => err instanceof RequestError && err.code === -32602,
    );
    await agent.conn.agent.request("session/set_config_option", {
      sessionId: session.sessionId,
      configId: "mode",
      value: "workspace-write",
    });
    const third = await prompt(agent, session.sessionId, "[[fake:echo]] hello echo");
    assert.match(third.text, /^fake-agent turn 3 of session \S+ \(mode workspace-write\)\n\[\[fake:echo\]\] hello echo\n/);

    await agent.stop();
    const lines = readFileSync(logFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, any>);
    assert.equal(lines[0]!.event, "start");
    assert.equal(lines[0]!.env.INITIAL_AGENT_MODE, "read-only");
    const methods = lines.filter((l) => l.event === "request").map((l) => l.method);
    assert.deepEqual(methods.slice(0, 3), ["initialize", "session/new", "session/prompt"]);
    assert.equal(lines.at(-1)!.event, "exit");
    assert.equal(lines.at(-1)!.pid, agent.child.pid);
  });

  test("permission: allow, reject, cancel while pending", async () => {
    const agent = startAgent({ INITIAL_AGENT_MODE: "read-only" });
    await init(agent);
    const { sessionId } = await newSession(agent);

    const allowed = await prompt(agent, sessionId, "[[fake:permission]]");
    assert.equal(allowed.response.stopReason, "end_turn");
    assert.match(allowed.text, /ran touch x \(option allow_once\)/);
    const request = agent.permissions.at(-1)!;
    assert.equal(request.toolCall.kind, "execute");
    assert.equal(request.toolCall.status, "pending");
    assert.deepEqual(request.toolCall.rawInput, { command: "touch x", cwd: tmp });
    assert.deepEqual(
      request.options.map((o) => [o.optionId, o.kind]),
      [
        ["allow_once", "allow_once"],
        ["accept_execpolicy_amendment", "allow_always"],
        ["cancel", "reject_once"],
      ],
    );

    agent.onPermission = async () => ({ outcome: { outcome: "selected", optionId: "cancel" } });
    const rejected = await prompt(agent, sessionId, "[[fake:permission]]");
    assert.equal(rejected.response.stopReason, "cancelled");
    assert.equal(rejected.text, "");

    let sawAbort = false;
    agent.onPermission = (_params, signal) =>
      new Promise((res) => {
        signal.addEventListener("abort", () => {
          sawAbort = true;
          res({ outcome: { outcome: "cancelled" } });
        });
      });
    const pending = prompt(agent, sessionId, "[[fake:permission-edit]]");
    while (agent.permissions.length < 3) await new Promise((r) => setTimeout(r, 10));
    assert.equal(agent.permissions[2]!.toolCall.kind, "edit");
    assert.deepEqual(agent.permissions[2]!.toolCall.locations, [{ path: join(tmp, "x.txt") }]);
    await agent.conn.agent.notify("session/cancel", { sessionId });
    const cancelled = await pending;
    assert.equal(cancelled.response.stopReason, "cancelled");
    await settle();
    assert.ok(sawAbort, "the client saw $/cancel_request for the pending permission");

    agent.onPermission = async () => ({ outcome: { outcome: "selected", optionId: "allow_once" } });
    const next = await prompt(agent, sessionId, "after [[fake:verdict]]");
    assert.match(next.text, /^fake-agent turn 4 of session /);
  });

  test("silent ends cancelled on session/cancel", async () => {
    const agent = startAgent();
    await init(agent);
    const { sessionId } = await newSession(agent);
    const pending = prompt(agent, sessionId, "[[fake:silent]]");
    await new Promise((r) => setTimeout(r, 100));
    await agent.conn.agent.notify("session/cancel", { sessionId });
    const { response, text } = await pending;
    assert.equal(response.stopReason, "cancelled");
    assert.equal(text, "");
  });

  test("session/load replays history after a restart", async () => {
    const stateDir = join(tmp, "state");
    const first = startAgent({ FAKE_AGENT_STATE_DIR: stateDir });
    await init(first);
    const { sessionId } = await newSession(first);
    await prompt(first, sessionId, "[[fake:echo]] one");
    await agentSetMode(first, sessionId, "read-only");
    await prompt(first, sessionId, "[[fake:echo]] two");
    first.child.stdin!.end();
    const exit = await first.exited;
    assert.equal(exit.code, 0, "exits cleanly when stdin closes");

    const second = startAgent({ FAKE_AGENT_STATE_DIR: stateDir, INITIAL_AGENT_MODE: "workspace-write" });
    await init(second);
    const loaded = await second.conn.agent.request("session/load", { sessionId, cwd: tmp, mcpServers: [] });
    await settle();
    assert.equal(loaded.modes?.currentModeId, "workspace-write", "mode falls back to INITIAL_AGENT_MODE");
    // The history, in order (the slash commands the agent advertises after a load are not part of it).
    const replay = second.updates
      .filter((n) => n.sessionId === sessionId && n.update.sessionUpdate !== "available_commands_update")
      .map((n) => n.update.sessionUpdate);
    assert.deepEqual(replay, ["user_message_chunk", "agent_message_chunk", "user_message_chunk", "agent_message_chunk"]);
    const { text } = await prompt(second, sessionId, "three");
    assert.match(text, new RegExp(`^fake-agent turn 3 of session ${sessionId} \\(mode workspace-write\\)`));

    await assert.rejects(
      second.conn.agent.request("session/load", { sessionId: "nope", cwd: tmp, mcpServers: [] }),
      (err: unknown) => err instanceof RequestError && err.code === -32002,
    );
  });

  test("crash exits with code 3; auth required; no modes", async () => {
    const agent = startAgent();
    await init(agent);
    const { sessionId } = await newSession(agent);
    await assert.rejects(prompt(agent, sessionId, "[[fake:crash]]"));
    const exit = await agent.exited;
    assert.equal(exit.code, 3);
    assert.match(agent.stderr(), /fake-agent: simulated crash/);

    const auth = startAgent({ FAKE_AGENT_REQUIRE_AUTH: "1" });
    await init(auth);
    await assert.rejects(newSession(auth), (err: unknown) => err instanceof RequestError && err.code === -32000);

    const bare = startAgent({ FAKE_AGENT_NO_MODES: "1", FAKE_AGENT_NO_CONFIG: "1", FAKE_AGENT_NO_LOAD: "1" });
    const caps = await init(bare);
    assert.equal(caps.agentCapabilities?.loadSession, false);
    const s = await newSession(bare);
    assert.equal(s.modes ?? undefined, undefined);
    assert.equal(s.configOptions ?? undefined, undefined);
  });
});

async function agentSetMode(agent: Agent, sessionId: string, modeId: string): Promise<void> {
  await agent.conn.agent.request("session/set_mode", { sessionId, modeId });
}
