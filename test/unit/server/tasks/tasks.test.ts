// MCP 2026-07-28 helpers and the task store (server/tasks/modern.ts, taskStore.ts): pure logic of ADR 0071.
import { test } from "node:test";
import assert from "node:assert/strict";
import { taskInlineMs } from "../../../../server/tasks/bridge";
import { discoverResult, initializeParamsFor, isModernRequest, modernResult, offersTasks } from "../../../../server/tasks/modern";
import { TASK_TTL_MS, TaskStore } from "../../../../server/tasks/taskStore";

const identity = { info: { name: "codex-fusion", version: "1.2.3" }, capabilities: { tools: {} }, instructions: "Use it." };
const meta = (extra: Record<string, unknown> = {}) => ({
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "claude-code", version: "2.1.332" },
  "io.modelcontextprotocol/clientCapabilities": { roots: {}, ...extra },
});
const request = (method: string, _meta?: Record<string, unknown>) => ({ jsonrpc: "2.0" as const, id: 1, method, params: _meta ? { _meta } : {} });

test("modern requests are told by their _meta; only an offer on the request itself counts for tasks", () => {
  assert.ok(isModernRequest(request("server/discover")));
  assert.ok(isModernRequest(request("tools/call", meta())));
  assert.ok(!isModernRequest(request("tools/call", { progressToken: 1 })), "a 2025 request");
  assert.ok(offersTasks(request("tools/call", meta({ extensions: { "io.modelcontextprotocol/tasks": {} } }))));
  assert.ok(!offersTasks(request("tools/call", meta())));
  assert.ok(!offersTasks(request("tools/call", meta({ extensions: { "other/ext": {} } }))));
});

test("the initialize made below carries the client's identity and capabilities, not its extensions", () => {
  const params = initializeParamsFor(request("tools/list", meta({ extensions: { "io.modelcontextprotocol/tasks": {} } })));
  assert.deepEqual(params, { protocolVersion: "2025-11-25", capabilities: { roots: {} }, clientInfo: { name: "claude-code", version: "2.1.332" } });
});

test("server/discover and modern results: resultType, the Tasks extension, the server named in _meta", () => {
  assert.deepEqual(discoverResult(identity), {
    resultType: "complete",
    supportedVersions: ["2026-07-28"],
    capabilities: { tools: {}, extensions: { "io.modelcontextprotocol/tasks": {} } },
    instructions: "Use it.",
    _meta: { "io.modelcontextprotocol/serverInfo": identity.info },
  });
  assert.deepEqual(modernResult({ content: [], _meta: { keep: 1 } }, identity), { resultType: "complete", content: [], _meta: { keep: 1, "io.modelcontextprotocol/serverInfo": identity.info } });
});

test("a task: working with progress, then one end only; finished tasks expire after their TTL", () => {
  let now = 1_000_000;
  const store = new TaskStore(() => now);
  const task = store.create("Starting Codex…");
  assert.equal(task.status, "working");
  store.progress(task.taskId, "Codex (3s): thinking");
  assert.equal(store.get(task.taskId)!.statusMessage, "Codex (3s): thinking");
  assert.equal(store.size(), 1, "a running task counts");
  assert.ok(store.finish(task.taskId, { status: "cancelled", statusMessage: "stopped" }));
  assert.ok(!store.finish(task.taskId, { status: "completed", result: {} }), "a cancelled task stays cancelled");
  store.progress(task.taskId, "late progress");
  assert.equal(store.get(task.taskId)!.statusMessage, "stopped");
  assert.deepEqual(Object.keys(store.wire(store.get(task.taskId)!)).sort(), ["createdAt", "lastUpdatedAt", "pollIntervalMs", "status", "statusMessage", "taskId", "ttlMs"]);
  assert.equal(store.size(), 1, "a finished task counts while it is kept");
  now += TASK_TTL_MS + 1;
  assert.equal(store.size(), 0, "an expired task no longer counts");
  assert.equal(store.get(task.taskId), null);
});

test("CODEX_FUSION_TASK_INLINE_MS: default 90 s; 0 allowed; nonsense falls back", () => {
  assert.equal(taskInlineMs({}), 90_000);
  assert.equal(taskInlineMs({ CODEX_FUSION_TASK_INLINE_MS: "0" }), 0);
  assert.equal(taskInlineMs({ CODEX_FUSION_TASK_INLINE_MS: "2500" }), 2500);
  assert.equal(taskInlineMs({ CODEX_FUSION_TASK_INLINE_MS: "soon" }), 90_000);
  assert.equal(taskInlineMs({ CODEX_FUSION_TASK_INLINE_MS: "-5" }), 90_000);
});
