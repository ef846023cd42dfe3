// MCP revision 2026-07-28 and the Tasks extension over real stdio (server/tasks/, ADR 0071), driven by a raw JSON-RPC
// client that speaks exactly what Claude Code 2.1.332 sends (per-request `_meta`, no initialize), against the
// scripted fake ACP agent. Legacy clients are covered by every other integration test, unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { hermeticEnv, isolatedHome } from "../fixtures/home";
import { FAKE_AGENT, SERVER, tempDir, until, type LogLine } from "./harness";
import { startHttp } from "./httpHarness";

const CLIENT_META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "claude-code", title: "Claude Code", version: "2.1.332" },
  "io.modelcontextprotocol/clientCapabilities": { roots: { listChanged: true }, elicitation: { form: {} } },
};
const WITH_TASKS = {
  ...CLIENT_META,
  "io.modelcontextprotocol/clientCapabilities": { ...CLIENT_META["io.modelcontextprotocol/clientCapabilities"], extensions: { "io.modelcontextprotocol/tasks": {} } },
};

interface ModernClient {
  request(method: string, params?: Record<string, unknown>, meta?: Record<string, unknown>): Promise<any>;
  notify(method: string, params: Record<string, unknown>): void;
  /** Every message the server sent, in order. */
  received: any[];
  nextId(): number;
  log(): LogLine[];
  close(): Promise<void>;
}

function startModern(env: Record<string, string>, args = ["--standalone"]): ModernClient {
  const scratch = tempDir("fusion-tasks-");
  const workspace = tempDir("fusion-tasks-ws-");
  const logFile = path.join(scratch, "agent.log");
  const child: ChildProcess = spawn(process.execPath, [SERVER, ...args], {
    cwd: workspace,
    stdio: ["pipe", "pipe", "pipe"],
    env: hermeticEnv(isolatedHome(scratch), {
      CODEX_FUSION_WORKSPACE: workspace,
      CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT]),
      FAKE_AGENT_LOG: logFile,
      ...env,
    }),
  });
  child.stderr!.resume();
  const received: any[] = [];
  const waiting = new Map<number | string, (message: any) => void>();
  let buffer = "";
  child.stdout!.setEncoding("utf8");
  child.stdout!.on("data", (chunk: string) => {
    buffer += chunk;
    for (let newline; (newline = buffer.indexOf("\n")) >= 0; ) {
      const message = JSON.parse(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      received.push(message);
      if ("id" in message && !("method" in message)) waiting.get(message.id)?.(message);
    }
  });
  let id = 0;
  const write = (message: unknown) => child.stdin!.write(`${JSON.stringify(message)}\n`);
  return {
    received,
    nextId: () => id + 1,
    request(method, params = {}, meta = CLIENT_META) {
      const requestId = ++id;
      return new Promise((resolve) => {
        waiting.set(requestId, resolve);
        write({ jsonrpc: "2.0", id: requestId, method, params: { ...params, _meta: { ...meta, ...(params._meta as object) } } });
      });
    },
    notify: (method, params) => write({ jsonrpc: "2.0", method, params }),
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line)) : []),
    close: () =>
      new Promise<void>((resolve) => {
        child.on("close", () => resolve());
        child.stdin!.end();
      }),
  };
}

test("server/discover answers 2026-07-28 with the Tasks extension; modern requests work without initialize and carry resultType", async () => {
  const client = startModern({ FAKE_AGENT_INSTANT: "1" });
  try {
    const discover = await client.request("server/discover");
    assert.deepEqual(discover.result.supportedVersions, ["2026-07-28"]);
    assert.deepEqual(discover.result.capabilities, { tools: {}, prompts: {}, extensions: { "io.modelcontextprotocol/tasks": {} } });
    assert.match(discover.result.instructions, /^Codex Fusion lets you consult OpenAI Codex/);
    assert.equal(discover.result._meta["io.modelcontextprotocol/serverInfo"].name, "codex-fusion");
    const tools = await client.request("tools/list");
    assert.equal(tools.result.resultType, "complete");
    assert.ok(tools.result.tools.some((tool: any) => tool.name === "consult"));
    // Without the tasks offer a call is answered inline, as it always was.
    const call = await client.request("tools/call", { name: "consult", arguments: { question: "Inline? [[fake:open]]" }, _meta: { progressToken: 7 } });
    assert.equal(call.result.resultType, "complete");
    assert.equal(call.result.structuredContent.verdict, "open");
    assert.ok(client.received.some((message) => message.method === "notifications/progress" && message.params.progressToken === 7), "progress reaches the client");
    assert.equal(client.log().find((line) => line.method === "session/new") !== undefined, true);
  } finally {
    await client.close();
  }
});

test("a call offering tasks that outlasts the inline bound becomes a task: tasks/get shows Codex's progress, then the result", async () => {
  const client = startModern({ CODEX_FUSION_TASK_INLINE_MS: "300" });
  try {
    const created = await client.request("tools/call", { name: "consult", arguments: { question: "Slow one [[fake:slow:2500]]" } }, WITH_TASKS);
    assert.equal(created.result.resultType, "task");
    assert.equal(created.result.status, "working");
    assert.equal(created.result.pollIntervalMs, 2000);
    const { taskId } = created.result;
    const working = await until(() => client.request("tasks/get", { taskId }), (answer) => /Codex \(\d+s\)/.test(answer.result.statusMessage ?? ""));
    assert.equal(working.result.resultType, "complete");
    assert.equal(working.result.status, "working");
    const done = await until(() => client.request("tasks/get", { taskId }), (answer) => answer.result.status !== "working");
    assert.equal(done.result.status, "completed");
    assert.equal(done.result.result.resultType, "complete");
    assert.equal(done.result.result.structuredContent.verdict, "consensus");
    assert.match(done.result.result.content[0].text, /VERDICT: CONSENSUS/);
    assert.ok(!client.received.some((message) => "id" in message && String(message.id).startsWith("fusion-")), "the bridge's own ids never reach the client");
  } finally {
    await client.close();
  }
});

test("tasks/cancel cancels the Codex turn like an MCP cancellation; a fast call offering tasks stays inline", async () => {
  const client = startModern({ CODEX_FUSION_TASK_INLINE_MS: "300" });
  try {
    const created = await client.request("tools/call", { name: "consult", arguments: { question: "Forever [[fake:slow:600000]]" } }, WITH_TASKS);
    const { taskId } = created.result;
    // Cancelled once Codex's turn runs (its first words are the task's status).
    await until(() => client.request("tasks/get", { taskId }), (answer) => /Codex \(\d+s\)/.test(answer.result.statusMessage ?? ""));
    const cancel = await client.request("tasks/cancel", { taskId });
    assert.deepEqual(cancel.error, undefined);
    const after = await client.request("tasks/get", { taskId });
    assert.equal(after.result.status, "cancelled");
    await until(async () => client.log(), (log) => log.some((line) => line.method === "session/cancel"));
    const stopped = await until(async () => client.log(), (log) => log.some((line) => line.event === "stop"));
    assert.equal(stopped.find((line) => line.event === "stop")!.stopReason, "cancelled", "Codex's turn ended as cancelled");
    const quick = await client.request("tools/call", { name: "consult", arguments: { question: "Quick [[fake:open]]" } }, WITH_TASKS);
    assert.equal(quick.result.resultType, "complete", "within the bound: the result itself");
    assert.equal(quick.result.structuredContent.verdict, "open");
    const unknown = await client.request("tasks/get", { taskId: "no-such-task" });
    assert.match(unknown.error.message, /^Unknown task no-such-task/);
  } finally {
    await client.close();
  }
});

test("an MCP cancellation while the call is still inline cancels the turn, and no task is made of it", async () => {
  const client = startModern({ CODEX_FUSION_TASK_INLINE_MS: "4000" });
  try {
    const id = client.nextId();
    const pending = client.request("tools/call", { name: "consult", arguments: { question: "Long [[fake:slow:600000]]" }, _meta: { progressToken: "p1" } }, WITH_TASKS);
    await until(async () => client.received, (received) => received.some((message) => message.method === "notifications/progress" && /Codex \(\d+s\)/.test(message.params.message)));
    client.notify("notifications/cancelled", { requestId: id, reason: "the person pressed Esc" });
    await until(async () => client.log(), (log) => log.some((line) => line.event === "stop"));
    assert.equal(client.log().find((line) => line.event === "stop")!.stopReason, "cancelled");
    // Past the inline bound (4 s from the call): that is when a task would have been made.
    await new Promise((resolve) => setTimeout(resolve, 4500));
    assert.ok(!client.received.some((message) => message.id === id), "no answer, no task for a cancelled request");
    void pending;
  } finally {
    await client.close();
  }
});

test("a task that pauses for a permission ends with the paused result; permit (a plain call) brings the rest", async () => {
  const client = startModern({ CODEX_FUSION_TASK_INLINE_MS: "0", FAKE_AGENT_INSTANT: "1" });
  try {
    const created = await client.request("tools/call", { name: "consult", arguments: { question: "Run them [[fake:permission:npm test]]" } }, WITH_TASKS);
    assert.equal(created.result.resultType, "task");
    const paused = await until(() => client.request("tasks/get", { taskId: created.result.taskId }), (answer) => answer.result.status !== "working");
    assert.equal(paused.result.status, "completed");
    const result = paused.result.result.structuredContent;
    assert.equal(result.stopReason, "permission_required");
    assert.match(result.next, /Codex is waiting for a decision before it can continue: it wants to run `npm test`/);
    const permitted = await client.request("tools/call", { name: "permit", arguments: { decision: "allow" } });
    assert.match(permitted.result.structuredContent.answer, /ran npm test/);
  } finally {
    await client.close();
  }
});

test("over the stdio attach: the editor's server (2025-11-25) runs the task's turn; cancel crosses the relay", async () => {
  const editor = await startHttp();
  // No --standalone: it finds the editor's discovery file and relays to it, the bridge in front.
  const client = startModern({ CODEX_FUSION_WORKSPACE: editor.workspace, CODEX_FUSION_STATE_DIR: editor.stateDir, CODEX_FUSION_TASK_INLINE_MS: "300" }, []);
  try {
    const created = await client.request("tools/call", { name: "consult", arguments: { question: "Via the editor [[fake:slow:1500]]" } }, WITH_TASKS);
    assert.equal(created.result.resultType, "task");
    const done = await until(() => client.request("tasks/get", { taskId: created.result.taskId }), (answer) => answer.result.status !== "working");
    assert.equal(done.result.status, "completed");
    assert.equal(done.result.result.structuredContent.verdict, "consensus");
    const started = editor.events.filter((event) => event.type === "turnStarted").map((event) => (event as { client: string | null }).client);
    assert.deepEqual(started, ["claude-code"], "the editor saw the turn, and who asked (from the request's clientInfo)");

    const long = await client.request("tools/call", { name: "consult", arguments: { question: "Long [[fake:slow:600000]]" } }, WITH_TASKS);
    await until(() => client.request("tasks/get", { taskId: long.result.taskId }), (answer) => /Codex \(\d+s\)/.test(answer.result.statusMessage ?? ""));
    await client.request("tasks/cancel", { taskId: long.result.taskId });
    await until(async () => editor.log(), (log) => log.some((line) => line.method === "session/cancel"));
  } finally {
    await client.close();
    await editor.stop();
  }
});
