// Smoke test: the REAL codex-acp agent (→ codex app-server → native codex) driven directly over ACP, offline, against
// the scripted fake Responses API (test/fixtures/fake-model.ts). Proves the fixtures and pins down the behaviour the
// server's own end-to-end tests rely on. Run: node --import tsx --test test/e2e/codex-acp-direct.test.ts
// Set CODEX_E2E_LOGS=<dir> to keep the app-server's log (APP_SERVER_LOGS) there.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcessByStdio } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Readable, Writable } from "node:stream";
import { test, type TestContext } from "node:test";
import {
  client,
  ndJsonStream,
  type ClientConnection,
  type PromptResponse,
  type RequestPermissionRequest,
  type RequestPermissionResponse,
  type SessionNotification,
} from "@agentclientprotocol/sdk";
import { codexAcpCommand, codexAgentUsable, makeCodexHome } from "../fixtures/codex-home";
import { startFakeModel, VERDICT_CONSENSUS, VERDICT_OPEN, type FakeModel, type RecordedRequest } from "../fixtures/fake-model";

type Update = SessionNotification["update"];
type PermissionKind = "allow_once" | "allow_always" | "reject_once" | "reject_always";
interface PermissionSeen {
  params: RequestPermissionRequest;
  /** Extra facts sampled when the request arrived (e.g. whether the target file already existed). */
  note?: unknown;
}
interface Turn {
  response: PromptResponse;
  updates: Update[];
  text: string;
  thoughts: string;
  permissions: PermissionSeen[];
  requests: RecordedRequest[];
  ms: number;
}

/** One codex-acp process shared by all cases; one ACP session per case. */
class Harness {
  updates = new Map<string, Update[]>();
  permissions = new Map<string, PermissionSeen[]>();
  policies = new Map<string, (p: RequestPermissionRequest) => { kind: PermissionKind; note?: unknown }>();
  stderr = "";
  constructor(
    readonly child: ChildProcessByStdio<Writable, Readable, Readable>,
    readonly model: FakeModel,
    readonly workspace: string,
    public conn: ClientConnection,
  ) {}

  async newSession(): Promise<{ sessionId: string; newResponse: any; setModeResponse: any }> {
    const newResponse = await this.conn.agent.request("session/new", { cwd: this.workspace, mcpServers: [] });
    const sessionId = newResponse.sessionId;
    this.updates.set(sessionId, []);
    this.permissions.set(sessionId, []);
    const setModeResponse = await this.conn.agent.request("session/set_config_option", {
      sessionId,
      configId: "mode",
      value: "read-only",
    });
    return { sessionId, newResponse, setModeResponse };
  }

  async prompt(sessionId: string, text: string, opts: { cancelAfterMs?: number } = {}): Promise<Turn> {
    const updates = this.updates.get(sessionId)!;
    const permissions = this.permissions.get(sessionId)!;
    const u0 = updates.length;
    const p0 = permissions.length;
    const r0 = this.model.requests.length;
    const t0 = Date.now();
    const timer =
      opts.cancelAfterMs === undefined
        ? undefined
        : setTimeout(() => void this.conn.agent.notify("session/cancel", { sessionId }), opts.cancelAfterMs);
    try {
      const response = await this.conn.agent.request("session/prompt", { sessionId, prompt: [{ type: "text", text }] });
      const ms = Date.now() - t0;
      const turnUpdates = updates.slice(u0);
      const chunks = (kind: string) =>
        turnUpdates
          .filter((u) => u.sessionUpdate === kind)
          .map((u) => ((u as any).content?.type === "text" ? (u as any).content.text : ""))
          .join("");
      return {
        response,
        updates: turnUpdates,
        text: chunks("agent_message_chunk"),
        thoughts: chunks("agent_thought_chunk"),
        permissions: permissions.slice(p0),
        requests: this.model.requests.slice(r0),
        ms,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** `usage` is an unstable ACP field (typed only in the SDK's /unstable entry); codex-acp sends it, null on errors. */
function usageOf(r: PromptResponse): { totalTokens?: number } | null | undefined {
  return (r as { usage?: { totalTokens?: number } | null }).usage;
}

function threadStatuses(turn: Turn): string[] {
  return turn.updates
    .filter((u) => u.sessionUpdate === "session_info_update")
    .map((u) => (u as any)._meta?.codex?.threadStatus?.type)
    .filter((s): s is string => typeof s === "string");
}

function modelTurns(turn: Turn): RecordedRequest[] {
  return turn.requests.filter((r) => r.kind === "turn" || r.kind === "tool-followup");
}

function userTexts(body: any): string[] {
  return (body?.input ?? [])
    .filter((i: any) => i?.type === "message" && i?.role === "user")
    .map((i: any) => (i.content ?? []).map((c: any) => c?.text ?? "").join(""));
}

function killGroup(child: { pid?: number }, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(pred: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return pred();
}

async function startHarness(t: TestContext): Promise<Harness> {
  // One after-hook tears everything down in order: the agent's whole process group first (it writes into CODEX_HOME
  // until it is gone), then the fake model, then the directories.
  const cleanups: Array<() => unknown> = [];
  t.after(async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        t.diagnostic(`cleanup failed: ${String(err)}`);
      }
    }
  });

  const model = await startFakeModel();
  cleanups.push(() => model.close());
  const home = await makeCodexHome(model.url);
  cleanups.push(() => home.cleanup());
  const workspace = realpathSync(mkdtempSync(path.join(tmpdir(), "codex-ws-")));
  cleanups.push(() => rmSync(workspace, { recursive: true, force: true }));
  spawnSync("git", ["init", "-q"], { cwd: workspace });
  writeFileSync(path.join(workspace, "README.md"), "hello readme\n");

  const [cmd, ...args] = codexAcpCommand();
  // Exactly the isolated environment: the machine's HOME, shell rc files and dotfiles never reach Codex.
  const env: NodeJS.ProcessEnv = { ...home.env };
  if (process.env.CODEX_E2E_LOGS) env.APP_SERVER_LOGS = process.env.CODEX_E2E_LOGS;
  // detached: its own process group (codex-acp → native codex app-server), killed as a group at the end.
  const child = spawn(cmd, args, { cwd: workspace, env, stdio: ["pipe", "pipe", "pipe"], detached: true });
  const pid = child.pid!;
  cleanups.push(async () => {
    child.stdin.end();
    killGroup(child, "SIGTERM");
    if (!(await waitFor(() => !groupAlive(pid), 3000))) {
      killGroup(child, "SIGKILL");
      await waitFor(() => !groupAlive(pid), 2000);
    }
  });

  let harness!: Harness;
  const conn = client()
    .onRequest("session/request_permission", (ctx): RequestPermissionResponse => {
      const params = ctx.params;
      const policy = harness.policies.get(params.sessionId);
      const decision = policy ? policy(params) : { kind: "reject_once" as const };
      harness.permissions.get(params.sessionId)?.push({ params, note: decision.note });
      const option = params.options.find((o) => o.kind === decision.kind);
      if (!option) return { outcome: { outcome: "cancelled" } };
      return { outcome: { outcome: "selected", optionId: option.optionId } };
    })
    .onNotification("session/update", (ctx) => {
      harness.updates.get(ctx.params.sessionId)?.push(ctx.params.update);
    })
    .connect(
      ndJsonStream(
        Writable.toWeb(child.stdin) as WritableStream<Uint8Array>,
        Readable.toWeb(child.stdout) as ReadableStream<Uint8Array>,
      ),
    );
  harness = new Harness(child, model, workspace, conn);
  child.stderr.on("data", (d: Buffer) => {
    harness.stderr = (harness.stderr + d.toString()).slice(-4000);
  });
  cleanups.push(() => conn.close());
  return harness;
}

test("real codex-acp 2.6 against the fake model, over ACP", { timeout: 900_000 }, async (t) => {
  const usable = codexAgentUsable();
  if (!usable.ok) {
    t.skip(usable.why);
    return;
  }
  const t0 = Date.now();
  const h = await startHarness(t);

  const init = await h.conn.agent.request("initialize", { protocolVersion: 1, clientCapabilities: {} });
  t.diagnostic(`spawn→initialize ${Date.now() - t0} ms`);
  assert.equal(init.protocolVersion, 1);
  assert.equal(init.agentInfo?.name, "@agentclientprotocol/codex-acp");
  assert.equal(init.agentInfo?.version, "2.6.0");
  assert.equal(init.agentCapabilities?.loadSession, true);
  for (const cap of ["resume", "list", "close", "delete", "fork"]) {
    assert.ok(cap in (init.agentCapabilities?.sessionCapabilities ?? {}), `sessionCapabilities.${cap}`);
  }
  assert.deepEqual(
    init.authMethods?.map((m) => m.id),
    ["api-key"],
  );

  await t.test("session/new: modes and configOptions; read-only sticks", { timeout: 90_000 }, async () => {
    const s0 = Date.now();
    const { newResponse, setModeResponse } = await h.newSession();
    t.diagnostic(`session/new + set_config_option ${Date.now() - s0} ms`);
    // INITIAL_AGENT_MODE=read-only already selects it at creation.
    assert.equal(newResponse.modes?.currentModeId, "read-only");
    assert.deepEqual(
      newResponse.modes?.availableModes.map((m: any) => m.id),
      ["read-only", "workspace-write", "agent", "agent-full-access"],
    );
    assert.deepEqual(
      newResponse.configOptions?.map((o: any) => o.id),
      ["mode", "collaboration_mode", "model", "reasoning_effort", "fast-mode"],
    );
    const byId = (opts: any[], id: string) => opts.find((o) => o.id === id);
    assert.equal(byId(newResponse.configOptions, "model").currentValue, "gpt-5.5");
    assert.deepEqual(
      byId(newResponse.configOptions, "reasoning_effort").options.map((o: any) => o.value),
      ["low", "medium", "high", "xhigh"],
    );
    assert.equal(byId(setModeResponse.configOptions, "mode").currentValue, "read-only");
    assert.equal(newResponse.models?.currentModelId, "gpt-5.5[medium]");
  });

  await t.test("(a) text scenario: streamed answer carries the VERDICT line", { timeout: 90_000 }, async () => {
    const { sessionId } = await h.newSession();
    const turn = await h.prompt(sessionId, "Review my plan. [[model:text]]");
    t.diagnostic(`text prompt ${turn.ms} ms`);
    assert.equal(turn.response.stopReason, "end_turn");
    assert.ok(turn.text.includes(VERDICT_CONSENSUS), turn.text);
    assert.ok(turn.updates.filter((u) => u.sessionUpdate === "agent_message_chunk").length >= 2, "several chunks");
    assert.equal(usageOf(turn.response)?.totalTokens, 120);
    assert.deepEqual(threadStatuses(turn).slice(-1), ["idle"]);
    const [req] = modelTurns(turn);
    assert.equal(req.scenario, "text");
    assert.equal(req.body.model, "gpt-5.5");
    assert.equal(req.body.stream, true);
    assert.equal(req.authorization, "Bearer test-key");
  });

  await t.test("(a2) reasoning scenario: thought chunks, then text with VERDICT: OPEN", { timeout: 90_000 }, async () => {
    const { sessionId } = await h.newSession();
    const turn = await h.prompt(sessionId, "Think first. [[model:reasoning]]");
    assert.equal(turn.response.stopReason, "end_turn");
    assert.ok(turn.thoughts.includes("tests are missing"), turn.thoughts);
    assert.ok(turn.text.includes(VERDICT_OPEN), turn.text);
    assert.ok(!turn.text.includes("tests are missing"), "reasoning stays out of the message text");
  });

  await t.test("(b) escalated shell command: execute permission; allow_once runs it", { timeout: 90_000 }, async () => {
    const { sessionId } = await h.newSession();
    const file = path.join(h.workspace, "made-by-codex.txt");
    h.policies.set(sessionId, () => ({ kind: "allow_once", note: { existedAtAsk: existsSync(file) } }));
    const turn = await h.prompt(sessionId, "Do it. [[model:shell:touch made-by-codex.txt]]");
    t.diagnostic(`escalated shell (allowed) ${turn.ms} ms`);
    assert.equal(turn.permissions.length, 1);
    const { params, note } = turn.permissions[0];
    assert.deepEqual(note, { existedAtAsk: false });
    assert.equal(params.toolCall.kind, "execute");
    assert.equal(params.toolCall.status, "pending");
    assert.equal(params.toolCall.title, "touch made-by-codex.txt");
    assert.deepEqual(params.toolCall.rawInput, { command: "touch made-by-codex.txt", cwd: h.workspace });
    assert.deepEqual(
      params.options.map((o) => [o.optionId, o.kind]),
      [
        ["allow_once", "allow_once"],
        ["accept_execpolicy_amendment", "allow_always"],
        ["cancel", "reject_once"],
      ],
    );
    assert.equal(turn.response.stopReason, "end_turn");
    assert.ok(existsSync(file), "the allowed command ran in the workspace");
    assert.ok(turn.text.includes("Process exited with code 0"), turn.text);
    assert.ok(turn.text.includes(VERDICT_CONSENSUS), turn.text);
    assert.deepEqual(
      modelTurns(turn).map((r) => `${r.kind}:${r.scenario}`),
      ["turn:shell", "tool-followup:shell"],
    );
    const call = turn.requests[0].body.input.find((i: any) => i.type === "function_call");
    assert.equal(call, undefined, "the first request has no call yet");
    const followup = modelTurns(turn)[1].body.input;
    assert.ok(followup.some((i: any) => i.type === "function_call" && i.name === "exec_command"));
    assert.ok(followup.some((i: any) => i.type === "function_call_output"));
    assert.ok(threadStatuses(turn).length > 0);
  });

  await t.test("(c) escalated shell command rejected: turn cancelled, nothing runs, follow-up answers", { timeout: 90_000 }, async () => {
    const { sessionId } = await h.newSession();
    const file = path.join(h.workspace, "rejected-by-user.txt");
    h.policies.set(sessionId, () => ({ kind: "reject_once" }));
    const turn = await h.prompt(sessionId, "Do it. [[model:shell:touch rejected-by-user.txt]]");
    t.diagnostic(`escalated shell (rejected) ${turn.ms} ms`);
    assert.equal(turn.permissions.length, 1);
    assert.equal(turn.permissions[0].params.toolCall.kind, "execute");
    assert.equal(turn.response.stopReason, "cancelled");
    assert.ok(!existsSync(file), "a rejected command must not run");
    assert.equal(turn.text, "", "no answer text in the aborted turn");
    assert.deepEqual(
      modelTurns(turn).map((r) => r.kind),
      ["turn"],
      "no tool follow-up request after a reject",
    );

    const next = await h.prompt(sessionId, "The request was denied; continue without it and answer in text.");
    assert.equal(next.response.stopReason, "end_turn");
    assert.ok(next.text.includes(VERDICT_CONSENSUS), next.text);
    const body = modelTurns(next)[0].body;
    const output = body.input.find((i: any) => i.type === "function_call_output");
    assert.match(String(output?.output), /aborted by user/);
    assert.ok(userTexts(body).some((s) => s.startsWith("<turn_aborted>")), "Codex adds a <turn_aborted> user message");
  });

  await t.test("(d) plain write in read-only: no permission asked, EROFS, no file", { timeout: 90_000 }, async () => {
    const { sessionId } = await h.newSession();
    const file = path.join(h.workspace, "sandboxed-write.txt");
    h.policies.set(sessionId, () => ({ kind: "allow_once" }));
    const turn = await h.prompt(sessionId, "Write it. [[model:write:touch sandboxed-write.txt]]");
    assert.equal(turn.permissions.length, 0, "the sandbox decides; the client is not asked");
    assert.equal(turn.response.stopReason, "end_turn");
    assert.ok(!existsSync(file), "read-only sandbox blocked the write");
    assert.match(turn.text, /Read-only file system/);
    assert.ok(turn.text.includes(VERDICT_CONSENSUS), turn.text);
  });

  await t.test("(d2) read command runs in the sandbox without asking", { timeout: 90_000 }, async () => {
    const { sessionId } = await h.newSession();
    const turn = await h.prompt(sessionId, "Look. [[model:read:cat README.md]]");
    assert.equal(turn.permissions.length, 0);
    assert.match(turn.text, /hello readme/);
    const call = turn.updates.find((u) => u.sessionUpdate === "tool_call") as any;
    if (call) t.diagnostic(`read tool_call kind=${call.kind} title=${JSON.stringify(call.title)}`);
  });

  await t.test("(e) patch inside the workspace: edit permission; file only after allow", { timeout: 90_000 }, async () => {
    const { sessionId } = await h.newSession();
    const file = path.join(h.workspace, "patched-inside.txt");
    h.policies.set(sessionId, () => ({ kind: "allow_once", note: { existedAtAsk: existsSync(file) } }));
    const turn = await h.prompt(sessionId, "Patch. [[model:patch-inside:patched-inside.txt]]");
    t.diagnostic(`patch inside (allowed) ${turn.ms} ms`);
    assert.equal(turn.permissions.length, 1);
    const { params, note } = turn.permissions[0];
    assert.deepEqual(note, { existedAtAsk: false });
    assert.equal(params.toolCall.kind, "edit");
    assert.equal(params.toolCall.title, "Edit files");
    assert.deepEqual(params.toolCall.locations, [{ path: file }]);
    assert.deepEqual(
      params.options.map((o) => [o.optionId, o.kind]),
      [
        ["allow_once", "allow_once"],
        ["allow_for_session", "allow_always"],
        ["cancel", "reject_once"],
      ],
    );
    const diffCall = turn.updates.find((u) => u.sessionUpdate === "tool_call") as any;
    if (diffCall) {
      assert.deepEqual(diffCall.content?.[0], {
        type: "diff",
        path: file,
        oldText: null,
        newText: "hi from codex\n",
        _meta: { kind: "add" },
      });
    }
    assert.equal(turn.response.stopReason, "end_turn");
    assert.equal(readFileSync(file, "utf8"), "hi from codex\n");
    assert.ok(turn.text.includes(VERDICT_CONSENSUS), turn.text);
    assert.deepEqual(
      modelTurns(turn).map((r) => `${r.kind}:${r.scenario}`),
      ["turn:patch-inside", "tool-followup:patch-inside"],
    );
    assert.ok(modelTurns(turn)[1].body.input.some((i: any) => i.type === "custom_tool_call_output"));
  });

  await t.test("(e2) patch outside the workspace: edit permission; reject cancels; allow WOULD write it", { timeout: 90_000 }, async () => {
    const outsideDir = realpathSync(mkdtempSync(path.join(tmpdir(), "codex-outside-")));
    t.after(() => rmSync(outsideDir, { recursive: true, force: true }));
    const { sessionId } = await h.newSession();
    const rejected = path.join(outsideDir, "rejected.txt");
    h.policies.set(sessionId, () => ({ kind: "reject_once" }));
    const turn = await h.prompt(sessionId, `Patch. [[model:patch-outside:${rejected}]]`);
    assert.equal(turn.permissions.length, 1);
    assert.equal(turn.permissions[0].params.toolCall.kind, "edit");
    assert.deepEqual(turn.permissions[0].params.toolCall.locations, [{ path: rejected }]);
    assert.equal(turn.response.stopReason, "cancelled");
    assert.ok(!existsSync(rejected));

    // Read-only mode does not protect paths outside the workspace once the client says yes.
    const allowed = path.join(outsideDir, "allowed.txt");
    h.policies.set(sessionId, () => ({ kind: "allow_once" }));
    const turn2 = await h.prompt(sessionId, `Patch. [[model:patch-outside:${allowed}]]`);
    assert.equal(turn2.permissions.length, 1);
    assert.equal(turn2.response.stopReason, "end_turn");
    assert.ok(existsSync(allowed), "allow_once writes outside the workspace even in read-only mode");
  });

  await t.test("(f) HTTP 500: end_turn, usage null, error text chunk, systemError thread status", { timeout: 90_000 }, async () => {
    const { sessionId } = await h.newSession();
    const turn = await h.prompt(sessionId, "Fail. [[model:http500]]");
    t.diagnostic(`http500 ${turn.ms} ms; text=${JSON.stringify(turn.text)}; statuses=${threadStatuses(turn).join(",")}`);
    assert.equal(turn.response.stopReason, "end_turn");
    assert.equal(usageOf(turn.response) ?? null, null);
    assert.ok(threadStatuses(turn).includes("systemError"));
    assert.match(turn.text, /experiencing high demand/);
    assert.equal(modelTurns(turn).length, 1, "request_max_retries = 0: no retry");
    // The session is still usable afterwards.
    const next = await h.prompt(sessionId, "Again. [[model:text]]");
    assert.equal(next.response.stopReason, "end_turn");
    assert.ok(next.text.includes(VERDICT_CONSENSUS));
  });

  await t.test("(f2) stalled stream: Codex's own idle timeout (3 s) ends the turn with systemError", { timeout: 90_000 }, async () => {
    const { sessionId } = await h.newSession();
    const turn = await h.prompt(sessionId, "Stall. [[model:stall]]");
    t.diagnostic(`stall ${turn.ms} ms; text=${JSON.stringify(turn.text)}`);
    assert.equal(turn.response.stopReason, "end_turn");
    assert.equal(usageOf(turn.response) ?? null, null);
    assert.ok(threadStatuses(turn).includes("systemError"));
    assert.match(turn.text, /stream disconnected before completion: idle timeout waiting for SSE/);
    assert.ok(turn.ms >= 2500 && turn.ms < 10_000, `took ${turn.ms} ms`);
  });

  await t.test("(f3) model never sends headers: only session/cancel ends the turn", { timeout: 90_000 }, async () => {
    const { sessionId } = await h.newSession();
    const turn = await h.prompt(sessionId, "Hang. [[model:no-headers]]", { cancelAfterMs: 500 });
    t.diagnostic(`no-headers + cancel at 500 ms: ${turn.ms} ms`);
    assert.equal(turn.response.stopReason, "cancelled");
    assert.ok(turn.ms >= 500 && turn.ms < 5000, `took ${turn.ms} ms`);
    const next = await h.prompt(sessionId, "Back? [[model:text]]");
    assert.ok(next.text.includes(VERDICT_CONSENSUS));
  });

  await t.test("(g) the second prompt's request re-sends the history", { timeout: 90_000 }, async () => {
    const { sessionId } = await h.newSession();
    const first = await h.prompt(sessionId, "First question: is the plan OK? [[model:text]]");
    const second = await h.prompt(sessionId, "Second question: and the tests? [[model:reasoning]]");
    assert.ok(first.text.includes(VERDICT_CONSENSUS));
    assert.ok(second.text.includes(VERDICT_OPEN));
    const body = modelTurns(second)[0].body;
    const users = userTexts(body).filter((s) => !s.startsWith("<"));
    assert.deepEqual(users, ["First question: is the plan OK? [[model:text]]", "Second question: and the tests? [[model:reasoning]]"]);
    const assistant = body.input.filter((i: any) => i.type === "message" && i.role === "assistant");
    assert.equal(assistant.length, 1);
    assert.ok(assistant[0].content[0].text.includes(VERDICT_CONSENSUS));
    assert.equal(modelTurns(second)[0].scenario, "reasoning", "the marker is read from the LAST user message");
  });

  t.diagnostic(`side requests: ${h.model.requests.filter((r) => r.kind !== "turn" && r.kind !== "tool-followup").map((r) => `${r.kind}:${r.body?.model ?? r.path}`).join(", ") || "none"}`);
  if (h.stderr.trim()) t.diagnostic(`codex-acp stderr (tail): ${h.stderr.trim().slice(-500)}`);
  t.diagnostic(`total ${Date.now() - t0} ms, ${h.model.requests.length} model requests`);
});
