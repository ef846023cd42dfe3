// MCP 2026-07-28 and the Tasks extension over the real HTTP transport (server/transports/httpModern.ts, ADR 0074):
// raw POSTs shaped exactly as Claude Code 2.1.332 sends them (no Mcp-Session-Id, per-request `_meta`, ids restarting
// at 0 in every instance), beside a legacy 1.x SDK client, with the transport's auth and Host/Origin guards.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as http from "node:http";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { textOf, until } from "./harness";
import { httpClient, startHttp, type HttpServer } from "./httpHarness";

const CLIENT_META = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "claude-code", title: "Claude Code", version: "2.1.332" },
  "io.modelcontextprotocol/clientCapabilities": { roots: { listChanged: true }, elicitation: { form: {}, url: {} } },
};
const WITH_TASKS = {
  ...CLIENT_META,
  "io.modelcontextprotocol/clientCapabilities": { ...CLIENT_META["io.modelcontextprotocol/clientCapabilities"], extensions: { "io.modelcontextprotocol/tasks": {} } },
};

interface Answer {
  status: number;
  /** The JSON-RPC messages of the response (SSE events or one JSON body), in order. */
  messages: any[];
  /** The answer to the request (the last message with its id). */
  reply: any;
}

/** One modern POST, with the headers Claude Code sends (and any forged ones), through node:http (which lets Host be forged). */
function post(server: HttpServer, id: number | string | null, method: string, params: Record<string, unknown> = {}, meta: Record<string, unknown> = CLIENT_META, headers: Record<string, string> = {}): Promise<Answer> {
  const message = { jsonrpc: "2.0", ...(id === null ? {} : { id }), method, params: { ...params, _meta: { ...meta, ...(params._meta as object) } } };
  return new Promise((resolve, reject) => {
    const request = http.request(
      server.url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          authorization: `Bearer ${server.token}`,
          "mcp-protocol-version": "2026-07-28",
          "mcp-method": method,
          ...headers,
        },
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => {
          const messages = (response.headers["content-type"] ?? "").includes("text/event-stream")
            ? body.split("\n").filter((line) => line.startsWith("data: ")).map((line) => JSON.parse(line.slice(6)))
            : body.trim()
              ? [JSON.parse(body)]
              : [];
          resolve({ status: response.statusCode ?? 0, messages, reply: messages.filter((m) => "id" in m && !("method" in m)).at(-1) });
        });
      },
    );
    request.on("error", reject);
    request.end(JSON.stringify(message));
  });
}

test("over HTTP without a session: discover, a call offering tasks becomes a task, tasks/get shows progress then the result; a legacy client alongside is unaffected", async () => {
  const server = await startHttp({ CODEX_FUSION_TASK_INLINE_MS: "300" });
  try {
    const discover = await post(server, "server-discover-1", "server/discover");
    assert.equal(discover.status, 200);
    assert.deepEqual(discover.reply.result.supportedVersions, ["2026-07-28"]);
    assert.deepEqual(discover.reply.result.capabilities.extensions, { "io.modelcontextprotocol/tasks": {} });
    const tools = await post(server, 0, "tools/list");
    assert.equal(tools.reply.id, 0);
    assert.equal(tools.reply.result.resultType, "complete");
    assert.ok(tools.reply.result.tools.some((tool: any) => tool.name === "consult"));

    const legacy = await httpClient(server, "vscode-like");
    try {
      const created = await post(server, 1, "tools/call", { name: "consult", arguments: { question: "Slow one [[fake:slow:2500]]" }, _meta: { progressToken: 1 } }, WITH_TASKS);
      assert.equal(created.reply.id, 1);
      assert.equal(created.reply.result.resultType, "task");
      const { taskId } = created.reply.result;
      // The legacy client's call runs beside the task, answered as it always was.
      const legacyCall = await legacy.callTool({ name: "consult", arguments: { question: "Legacy beside it [[fake:open]]" } }, undefined, { timeout: 120_000 }) as CallToolResult;
      assert.match(textOf(legacyCall), /VERDICT: OPEN/);
      assert.equal("resultType" in legacyCall, false, "a legacy client sees no modern fields");

      const working = await until(() => post(server, 2, "tasks/get", { taskId }), (answer) => /Codex \(\d+s\)/.test(answer.reply.result.statusMessage ?? ""));
      assert.equal(working.reply.result.status, "working");
      const done = await until(() => post(server, 3, "tasks/get", { taskId }), (answer) => answer.reply.result.status !== "working");
      assert.equal(done.reply.result.status, "completed");
      assert.equal(done.reply.result.result.structuredContent.verdict, "consensus");
      assert.match(done.reply.result.result.content[0].text, /VERDICT: CONSENSUS/);
    } finally {
      await legacy.close();
    }
  } finally {
    await server.stop();
  }
});

test("over HTTP: progress of an inline call comes back on its POST under the client's token; two instances sending the same ids each get their own answer", async () => {
  const server = await startHttp({});
  try {
    const [first, second] = await Promise.all([
      post(server, 1, "tools/call", { name: "consult", arguments: { question: "First [[fake:open]]" }, _meta: { progressToken: 1 } }),
      post(server, 1, "tools/call", { name: "consult", arguments: { question: "Second [[fake:slow:1500]]" }, _meta: { progressToken: 1 } }),
    ]);
    assert.equal(first.reply.id, 1);
    assert.equal(second.reply.id, 1);
    assert.equal(first.reply.result.structuredContent.verdict, "open");
    assert.equal(second.reply.result.structuredContent.verdict, "consensus");
    assert.ok(second.messages.some((message) => message.method === "notifications/progress" && message.params.progressToken === 1), "progress on the slow call's own POST");
    for (const answer of [first, second]) assert.ok(!answer.messages.some((message) => String(message.id ?? message.params?.progressToken ?? "").startsWith("http-")), "the exchange's own ids never reach the client");
  } finally {
    await server.stop();
  }
});

test("over HTTP: tasks/cancel cancels the Codex turn like an MCP cancellation", async () => {
  const server = await startHttp({ CODEX_FUSION_TASK_INLINE_MS: "300" });
  try {
    const created = await post(server, 1, "tools/call", { name: "consult", arguments: { question: "Forever [[fake:slow:600000]]" } }, WITH_TASKS);
    const { taskId } = created.reply.result;
    await until(() => post(server, 2, "tasks/get", { taskId }), (answer) => /Codex \(\d+s\)/.test(answer.reply.result.statusMessage ?? ""));
    const cancel = await post(server, 3, "tasks/cancel", { taskId });
    assert.equal(cancel.reply.error, undefined);
    const after = await post(server, 4, "tasks/get", { taskId });
    assert.equal(after.reply.result.status, "cancelled");
    await until(async () => server.log(), (log) => log.some((line) => line.method === "session/cancel"));
  } finally {
    await server.stop();
  }
});

test("over HTTP: modern requests meet the same guards: token, Host, Origin; nothing refused reaches Codex", async () => {
  const server = await startHttp({ FAKE_AGENT_INSTANT: "1" });
  try {
    const call = ["tools/call", { name: "consult", arguments: { question: "sneaky" } }] as const;
    assert.equal((await post(server, 1, ...call, CLIENT_META, { authorization: "" })).status, 401, "no token");
    assert.equal((await post(server, 1, ...call, CLIENT_META, { authorization: "Bearer wrong" })).status, 401, "wrong token");
    assert.equal((await post(server, 1, "server/discover", {}, CLIENT_META, { host: `evil.example:${server.port}` })).status, 403, "bad Host");
    assert.equal((await post(server, 1, ...call, CLIENT_META, { origin: "https://evil.example" })).status, 403, "bad Origin");
    assert.equal(server.log().some((line) => line.method === "session/prompt"), false, "nothing refused reached Codex");
    const allowed = await post(server, 1, "server/discover", {}, CLIENT_META, { origin: "http://localhost:5173" });
    assert.equal(allowed.status, 200, "loopback Origin");
    // A legacy request without a session is still told to initialize.
    const legacy = await post(server, 1, "tools/list", {}, {}, { "mcp-protocol-version": "2025-11-25" });
    assert.equal(legacy.status, 400);
  } finally {
    await server.stop();
  }
});

test("over HTTP: reply follows the caller key: a modern caller's reply continues its own conversation, a legacy client's its own", async () => {
  const server = await startHttp({});
  const legacy = await httpClient(server, "vscode-like");
  try {
    // The modern caller's slow turn holds the main session, so the legacy client's quick ask runs on a fork.
    const slow = post(server, 1, "tools/call", { name: "consult", arguments: { question: "Slow [[fake:slow:3000]]" } });
    await until(async () => server.log(), (log) => log.some((line) => line.method === "session/prompt"));
    const quick = (await legacy.callTool({ name: "consult", arguments: { question: "Quick one" } }, undefined, { timeout: 120_000 })) as CallToolResult;
    const mainId = (await slow).reply.result.structuredContent.sessionId;
    const forkId = (quick.structuredContent as { sessionId: string }).sessionId;
    assert.notEqual(forkId, mainId);
    // Another instance of the same client (same ids, same identity) is the same caller: it continues the same thread.
    const modernReply = await post(server, 1, "tools/call", { name: "reply", arguments: { message: "about the slow one" } });
    assert.equal(modernReply.reply.result.structuredContent.sessionId, mainId);
    const legacyReply = (await legacy.callTool({ name: "reply", arguments: { message: "about the quick one" } }, undefined, { timeout: 120_000 })) as CallToolResult;
    assert.equal((legacyReply.structuredContent as { sessionId: string }).sessionId, forkId);
  } finally {
    await legacy.close();
    await server.stop();
  }
});

test("over HTTP: a modern client that hangs up mid-call cancels its Codex turn", async () => {
  const server = await startHttp({});
  try {
    const request = http.request(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${server.token}`, "mcp-protocol-version": "2026-07-28" },
    });
    request.on("error", () => undefined);
    request.end(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "consult", arguments: { question: "Forever [[fake:slow:600000]]" }, _meta: CLIENT_META } }));
    await until(async () => server.log(), (log) => log.some((line) => line.method === "session/prompt"));
    request.destroy();
    await until(async () => server.log(), (log) => log.some((line) => line.event === "stop" && line.stopReason === "cancelled"));
    assert.ok(server.log().some((line) => line.method === "session/cancel"), "Codex was told to cancel");
    // The caller is still served afterwards.
    const after = await post(server, 2, "tools/list");
    assert.ok(after.reply.result.tools.length > 0);
  } finally {
    await server.stop();
  }
});

test("over HTTP: a task that pauses for a permission ends with the paused result; each caller's permit answers its own permission, not the oldest", async () => {
  const server = await startHttp({ CODEX_FUSION_TASK_INLINE_MS: "0", FAKE_AGENT_INSTANT: "1" });
  const legacy = await httpClient(server, "vscode-like");
  try {
    // The legacy client's permission is the older one.
    const legacyPaused = (await legacy.callTool({ name: "consult", arguments: { question: "Lint it [[fake:permission:npm run lint]]" } }, undefined, { timeout: 120_000 })) as CallToolResult;
    assert.equal((legacyPaused.structuredContent as { stopReason: string }).stopReason, "permission_required");
    const created = await post(server, 1, "tools/call", { name: "consult", arguments: { question: "Run them [[fake:permission:npm test]]" } }, WITH_TASKS);
    assert.equal(created.reply.result.resultType, "task");
    const paused = await until(() => post(server, 2, "tasks/get", { taskId: created.reply.result.taskId }), (answer) => answer.reply.result.status !== "working");
    assert.equal(paused.reply.result.result.structuredContent.stopReason, "permission_required");
    const permitted = await post(server, 3, "tools/call", { name: "permit", arguments: { decision: "allow" } });
    assert.match(permitted.reply.result.structuredContent.answer, /ran npm test/, "the modern caller answered its own permission");
    const legacyPermitted = (await legacy.callTool({ name: "permit", arguments: { decision: "allow" } }, undefined, { timeout: 120_000 })) as CallToolResult;
    assert.match(textOf(legacyPermitted), /ran npm run lint/);
  } finally {
    await legacy.close();
    await server.stop();
  }
});

test("over HTTP: an idle modern caller is closed like an idle session, but never while its task runs or its result is kept", async () => {
  const server = await startHttp({ CODEX_FUSION_HTTP_SESSION_IDLE_MS: "300", CODEX_FUSION_TASK_INLINE_MS: "0" });
  const callers = async (): Promise<number> => ((await (await fetch(new URL("/healthz", server.url), { headers: { authorization: `Bearer ${server.token}` } })).json()) as { modernCallers: number }).modernCallers;
  try {
    await post(server, 0, "tools/list");
    assert.equal(await callers(), 1);
    await until(callers, (count) => count === 0);
    // A task running well past the idle limit keeps its caller, and so does its kept result (fetched here after the end).
    const created = await post(server, 1, "tools/call", { name: "consult", arguments: { question: "Slow [[fake:slow:2000]]" } }, WITH_TASKS);
    const { taskId } = created.reply.result;
    await until(async () => server.log(), (log) => log.some((line) => line.event === "stop"));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(await callers(), 1, "the caller was kept while its task ran and while its result is kept");
    const done = await post(server, 2, "tasks/get", { taskId });
    assert.equal(done.reply.result.status, "completed");
  } finally {
    await server.stop();
  }
});
