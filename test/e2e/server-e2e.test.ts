// End to end: the built MCP server (dist/server.js) over stdio → the REAL codex-acp agent (→ native codex app-server)
// → the scripted fake Responses API (test/fixtures/fake-model.ts), offline. Covers answers and verdicts, history,
// permission round trips through `permit` (commands and patches, allow and deny), the read-only sandbox, cancel,
// model errors, idle timeouts, and that closing the server leaves no agent process behind.
// Run: node esbuild.mjs && node --import tsx --test test/e2e/server-e2e.test.ts
//
// Two servers, each shared by a group of cases (starting the real agent costs ~0.5–1.7 s):
//   A — consult/reply, commands, the read-only sandbox, patches, then closed idle;
//   B — cancel, HTTP 500, idle timeout, then closed while a permission is pending.
//
// Scenario markers go through `reply`, after a first `consult` on the same server: every other ask tool's prompt
// carries the PREAMBLE ("… may be denied."), and the fake model answers any last user message that mentions
// "denied" with plain text (its post-denial rule), which would swallow the marker. (A fixture fix: match only
// `<permission_denied>` / "was denied" there; then markers work through consult too.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, test, type TestContext } from "node:test";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startServer, textOf, type Harness } from "../integration/harness";
import { codexAcpCommand, codexAgentUsable, makeCodexHome } from "../fixtures/codex-home";
import { startFakeModel, VERDICT_CONSENSUS, type FakeModel, type RecordedRequest } from "../fixtures/fake-model";

const usable = codexAgentUsable();

// ── processes ────────────────────────────────────────────────────────────────────────────────────────────────

interface ProcInfo {
  pid: number;
  ppid: number;
  /** Linux: the start time from /proc/<pid>/stat (guards against pid reuse); "" elsewhere. */
  start: string;
  zombie: boolean;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid … starttime(22) …"; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { pid, ppid: Number(fields[1]), start: fields[19] ?? "", zombie: fields[0] === "Z" || fields[0] === "X" };
  } catch {
    return null;
  }
}

function processTable(): ProcInfo[] {
  if (existsSync("/proc/self/stat")) {
    return readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map((name) => readProc(Number(name)))
      .filter((p): p is ProcInfo => p !== null);
  }
  const ps = spawnSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" });
  return (ps.stdout ?? "")
    .split("\n")
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter((parts) => parts.length === 2 && parts.every(Number.isFinite))
    .map(([pid, ppid]) => ({ pid: pid!, ppid: ppid!, start: "", zombie: false }));
}

function descendantsOf(root: number): ProcInfo[] {
  const children = new Map<number, ProcInfo[]>();
  for (const p of processTable()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: ProcInfo[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child);
      queue.push(child.pid);
    }
  }
  return out;
}

function stillAlive(p: Pick<ProcInfo, "pid" | "start">): boolean {
  if (existsSync("/proc/self/stat")) {
    const now = readProc(p.pid);
    return now !== null && !now.zombie && now.start === p.start;
  }
  try {
    process.kill(p.pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Every process the server started (directly or not) while it ran: sampled every 100 ms and after each call. */
class ProcessTracker {
  readonly seen = new Map<number, ProcInfo>();
  private readonly timer: NodeJS.Timeout;
  constructor(private readonly root: number) {
    this.timer = setInterval(() => this.sample(), 100);
    this.timer.unref();
  }
  sample(): void {
    for (const p of descendantsOf(this.root)) if (!p.zombie && !this.seen.has(p.pid)) this.seen.set(p.pid, p);
  }
  stop(): void {
    clearInterval(this.timer);
  }
  survivors(): ProcInfo[] {
    return [...this.seen.values()].filter(stillAlive);
  }
}

// ── one server with its own workspace and CODEX_HOME ────────────────────────────────────────────────────────

interface E2EServer {
  h: Harness;
  workspace: string;
  serverPid: number;
  /** The server process itself, as first seen (pid + start time). */
  serverProc: Pick<ProcInfo, "pid" | "start">;
  tracker: ProcessTracker;
  closed: boolean;
  call(name: string, args?: Record<string, unknown>, options?: { signal?: AbortSignal; timeout?: number }): Promise<CallToolResult>;
  close(): Promise<void>;
}

let model: FakeModel | null = null;
const servers: E2EServer[] = [];

async function fakeModel(): Promise<FakeModel> {
  model ??= await startFakeModel();
  return model;
}

async function startE2EServer(): Promise<E2EServer> {
  const m = await fakeModel();
  const home = await makeCodexHome(m.url);
  const workspace = realpathSync(mkdtempSync(path.join(tmpdir(), "fusion-e2e-ws-")));
  const git = (...args: string[]) => {
    const r = spawnSync("git", ["-c", "user.name=e2e", "-c", "user.email=e2e@example.invalid", ...args], { cwd: workspace, encoding: "utf8" });
    assert.equal(r.status, 0, `git ${args.join(" ")}: ${r.stderr}`);
  };
  git("init", "-q");
  writeFileSync(path.join(workspace, "README.md"), "hello readme\n");
  git("add", "README.md");
  git("commit", "-q", "-m", "initial");

  const h = await startServer({
    ...home.env,
    CODEX_FUSION_WORKSPACE: workspace,
    CODEX_FUSION_ACP_COMMAND: JSON.stringify(codexAcpCommand()),
  });
  const serverPid = h.serverPid();
  assert.ok(serverPid, "the server process started");
  const serverProc = { pid: serverPid, start: readProc(serverPid)?.start ?? "" };
  const tracker = new ProcessTracker(serverPid);
  const server: E2EServer = {
    h,
    workspace,
    serverPid,
    serverProc,
    tracker,
    closed: false,
    async call(name, args = {}, options = {}) {
      tracker.sample();
      try {
        return await h.call(name, args, options);
      } finally {
        tracker.sample();
      }
    },
    async close() {
      if (server.closed) return;
      server.closed = true;
      tracker.sample();
      tracker.stop();
      await h.close();
      // The agent writes into CODEX_HOME until it is gone: wait for the processes before deleting directories.
      await until(() => tracker.survivors().length === 0 && !stillAlive(serverProc), 60_000);
      for (const p of tracker.survivors()) {
        try {
          process.kill(p.pid, "SIGKILL"); // backstop only: the leak check reports them first
        } catch {
          /* gone */
        }
      }
      await home.cleanup().catch(() => undefined);
      rmSync(workspace, { recursive: true, force: true });
      rmSync(path.dirname(h.logFile), { recursive: true, force: true }); // the harness's scratch dir
    },
  };
  servers.push(server);
  return server;
}

after(async () => {
  for (const s of servers) await s.close().catch(() => undefined);
  await model?.close();
});

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────────────────

async function until(check: () => boolean | Promise<boolean>, ms: number, every = 50): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  return check();
}

/** structuredContent of an ask / permit result. */
function sc(result: CallToolResult): Record<string, any> {
  assert.ok(result.structuredContent, `no structuredContent: ${textOf(result)}`);
  return result.structuredContent as Record<string, any>;
}

function ok(result: CallToolResult, what: string): Record<string, any> {
  assert.ok(!result.isError, `${what} failed: ${textOf(result)}`);
  return sc(result);
}

/** The model's turn / tool follow-up requests made from index `from` on. */
function modelTurns(from: number): RecordedRequest[] {
  return model!.requests.slice(from).filter((r) => r.kind === "turn" || r.kind === "tool-followup");
}

function messages(body: any, role: "user" | "assistant"): string[] {
  return (body?.input ?? [])
    .filter((i: any) => i?.type === "message" && i?.role === role)
    .map((i: any) => (Array.isArray(i.content) ? i.content.map((c: any) => c?.text ?? "").join("") : String(i.content ?? "")));
}

function toolOutputs(body: any): string[] {
  return (body?.input ?? [])
    .filter((i: any) => i?.type === "function_call_output" || i?.type === "custom_tool_call_output")
    .map((i: any) => (typeof i.output === "string" ? i.output : JSON.stringify(i.output)));
}

function assertConsensus(result: CallToolResult, what: string): Record<string, any> {
  const s = ok(result, what);
  assert.equal(s.stopReason, "end_turn", `${what}: ${textOf(result)}`);
  assert.equal(s.verdict, "consensus", `${what}: ${textOf(result)}`);
  assert.equal(s.verdictText, "fake model agrees");
  assert.ok(String(s.answer).includes(VERDICT_CONSENSUS), s.answer);
  return s;
}

/** Skips when the real agent cannot run here; otherwise runs `fn`. */
function e2e(name: string, fn: (t: TestContext) => Promise<void>, options: { timeout?: number; todo?: string } = {}): void {
  test(name, { timeout: options.timeout ?? 180_000, ...(options.todo ? { todo: options.todo } : {}) }, async (t) => {
    if (!usable.ok) {
      t.skip(usable.why);
      return;
    }
    await fn(t);
  });
}

// ── server A: answers, history, permissions, sandbox, patches ───────────────────────────────────────────────

let a: E2EServer | null = null;
async function serverA(): Promise<E2EServer> {
  a ??= await startE2EServer();
  return a;
}

const QUESTION = "Is it safe to cache the parsed config in a module-level variable? [[model:text]]";
const FIRST_ANSWER = "Fake model here: the proposal looks fine.";

e2e("1. consult: answer, parsed verdict and tokens; reply re-sends the history", async (t) => {
  const s = await serverA();
  const t0 = Date.now();
  const first = await s.call("consult", { question: QUESTION });
  t.diagnostic(`first consult (spawns the agent) ${Date.now() - t0} ms`);
  const r = assertConsensus(first, "consult");
  assert.ok(r.answer.startsWith(FIRST_ANSWER), r.answer);
  assert.ok(r.tokens && typeof r.tokens.total === "number" && r.tokens.total > 0, `tokens: ${JSON.stringify(r.tokens)}`);
  assert.equal(typeof r.sessionId, "string");
  assert.equal(r.pendingPermission, undefined);
  assert.match(textOf(first), /— Codex · [\d.]+ s · [\d,]+ tokens \([^)]*\)(?: · context [\d.]+ % left)? · verdict: CONSENSUS$/);

  const r0 = model!.requests.length;
  const second = await s.call("reply", { message: "I still want tests first. [[model:reasoning]]" });
  const rr = ok(second, "reply");
  assert.equal(rr.verdict, "open", textOf(second));
  assert.equal(rr.verdictText, "fake model wants tests");
  assert.equal(rr.sessionId, r.sessionId, "the reply continues the same Codex session");
  const [request] = modelTurns(r0);
  assert.ok(request, "the reply reached the model");
  const users = messages(request.body, "user");
  assert.ok(users.some((u) => u.includes(QUESTION)), "the reply's request carries the earlier question");
  assert.ok(users.at(-1)!.includes("I still want tests first."), "and the reply last");
  assert.ok(messages(request.body, "assistant").some((m) => m.includes(FIRST_ANSWER) && m.includes(VERDICT_CONSENSUS)), "and the earlier answer");
});

e2e("2. a command needing approval: permit allow runs it; permit deny does not, and the caller still gets an answer", async () => {
  const s = await serverA();
  await ensureWarm(s);
  const allowed = path.join(s.workspace, "made-by-codex.txt");
  const asked = await s.call("reply", { message: "Please create the marker file. [[model:shell:touch made-by-codex.txt]]" });
  const pending = ok(asked, "ask (allow case)");
  assert.equal(pending.stopReason, "permission_required", textOf(asked));
  const view = pending.pendingPermission;
  assert.equal(view?.kind, "execute");
  assert.equal(view?.category, "command");
  assert.match(String(view?.command), /touch/);
  assert.equal(view?.cwd, s.workspace);
  assert.match(textOf(asked), /waiting for a decision/);
  assert.ok(!existsSync(allowed), "nothing runs before the decision");
  const status = sc(await s.call("status"));
  assert.equal(status.turn?.waitingForPermission, true);
  assert.deepEqual(status.pendingPermissions.map((p: any) => p.id), [view.id]);

  const permitted = await s.call("permit", { decision: "allow" });
  const done = assertConsensus(permitted, "permit allow");
  assert.ok(existsSync(allowed), "the allowed command ran in the workspace");
  assert.match(done.answer, /The shell tool returned/);
  assert.ok((done.notes ?? []).some((n: string) => /allowed once/.test(n)), JSON.stringify(done.notes));

  const refused = path.join(s.workspace, "refused-by-claude.txt");
  const asked2 = await s.call("reply", { message: "Now this one. [[model:shell:touch refused-by-claude.txt]]" });
  const pending2 = ok(asked2, "ask (deny case)");
  assert.equal(pending2.stopReason, "permission_required", textOf(asked2));
  assert.match(String(pending2.pendingPermission?.command), /touch refused-by-claude\.txt/);
  const r0 = model!.requests.length;
  const denied = await s.call("permit", { decision: "deny", note: "not in a review" });
  const answer = assertConsensus(denied, "permit deny");
  assert.ok(!existsSync(refused), "a denied command must not run");
  assert.ok((answer.notes ?? []).some((n: string) => /denied/.test(n)), JSON.stringify(answer.notes));
  const followUps = modelTurns(r0).filter((r) => /denied/i.test(messages(r.body, "user").at(-1) ?? ""));
  assert.equal(followUps.length, 1, "the server sent one follow-up prompt that says the request was denied");
  assert.match(messages(followUps[0]!.body, "user").at(-1)!, /not in a review/, "with the caller's note");
  assert.equal(sc(await s.call("status")).turn, null);
});

e2e("3. read-only is real: a plain write fails in the sandbox and the model sees why", async () => {
  const s = await serverA();
  await ensureWarm(s);
  const file = path.join(s.workspace, "should-not-exist.txt");
  const r0 = model!.requests.length;
  const result = await s.call("reply", { message: "Write it. [[model:write:touch should-not-exist.txt]]" });
  const r = assertConsensus(result, "write ask");
  assert.equal(r.pendingPermission, undefined, "the sandbox decides; nobody is asked");
  assert.ok(!existsSync(file), "the read-only sandbox blocked the write");
  assert.match(r.answer, /Read-only file system/);
  const followUp = modelTurns(r0).find((req) => req.kind === "tool-followup");
  assert.ok(followUp, "the model got the tool output back");
  assert.ok(toolOutputs(followUp.body).some((o) => /Read-only file system/.test(o)), "function_call_output says Read-only file system");
});

e2e("4. patches: an edit permission; the file lands only after allow, never after deny", async () => {
  const s = await serverA();
  await ensureWarm(s);
  const file = path.join(s.workspace, "patched.txt");
  const asked = await s.call("reply", { message: "Patch it. [[model:patch-inside:patched.txt]]" });
  const pending = ok(asked, "patch ask");
  assert.equal(pending.stopReason, "permission_required", textOf(asked));
  assert.equal(pending.pendingPermission?.kind, "edit");
  assert.equal(pending.pendingPermission?.category, "edit");
  assert.deepEqual(pending.pendingPermission?.paths, [file]);
  assert.ok(!existsSync(file), "nothing is written before the decision");
  const permitted = await s.call("permit", { decision: "allow" });
  assertConsensus(permitted, "permit allow (patch)");
  assert.equal(readFileSync(file, "utf8"), "hi from codex\n");

  const refused = path.join(s.workspace, "patch-refused.txt");
  const asked2 = await s.call("reply", { message: "And this one. [[model:patch-inside:patch-refused.txt]]" });
  const pending2 = ok(asked2, "second patch ask");
  assert.equal(pending2.stopReason, "permission_required", "allow (once) does not carry over to the next patch");
  assert.deepEqual(pending2.pendingPermission?.paths, [refused]);
  const denied = await s.call("permit", { decision: "deny" });
  assertConsensus(denied, "permit deny (patch)");
  assert.ok(!existsSync(refused), "a denied patch never lands");
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.ok(!existsSync(refused), "… not even a moment later");
});

e2e("8a. closing server A leaves no agent process behind", async (t) => {
  await assertNoLeftovers(t, await serverA());
});

// ── server B: cancel, model errors, idle timeout ────────────────────────────────────────────────────────────

let b: E2EServer | null = null;
async function serverB(): Promise<E2EServer> {
  if (!b) {
    b = await startE2EServer();
    await ensureWarm(b);
  }
  return b;
}

const warmed = new WeakSet<E2EServer>();
/** A first consult, so later markers can go through `reply` (see the top of the file). */
async function ensureWarm(s: E2EServer): Promise<void> {
  if (warmed.has(s)) return;
  assertConsensus(await s.call("consult", { question: "Warm-up: is the README fine? [[model:text]]" }), "warm-up consult");
  warmed.add(s);
}

e2e("5. cancel mid-turn: the call rejects, no turn is left running, the next ask works", async (t) => {
  const s = await serverB();
  const r0 = model!.requests.length;
  const controller = new AbortController();
  const t0 = Date.now();
  const call = s.call("reply", { message: "Take your time. [[model:no-headers]]" }, { signal: controller.signal });
  const reached = await until(() => model!.requests.slice(r0).some((r) => r.scenario === "no-headers"), 10_000);
  assert.ok(reached, "the request reached the model");
  controller.abort();
  await assert.rejects(call, "the aborted call rejects");
  t.diagnostic(`aborted after ${Date.now() - t0} ms`);
  let last: Record<string, any> = {};
  const idle = await until(async () => {
    last = sc(await s.call("status"));
    return last.turn === null;
  }, 5000, 100);
  assert.ok(idle, `a turn is still in progress: ${JSON.stringify(last.turn)}`);
  assert.deepEqual(last.pendingPermissions, []);
  assert.equal(last.agentAlive, true, "a cancel does not need an agent restart");
  assertConsensus(await s.call("reply", { message: "Back again? [[model:text]]" }), "ask after cancel");
});

e2e("6. HTTP 500 from the model: isError with a clear line; the next ask works", async () => {
  const s = await serverB();
  const result = await s.call("reply", { message: "Fail please. [[model:http500]]" });
  assert.equal(result.isError, true, textOf(result));
  assert.match(textOf(result).split("\n")[0]!, /^Error model_error: Codex reported a model\/API error: .+/);
  assert.equal(sc(result).stopReason, "error");
  assertConsensus(await s.call("reply", { message: "Better now? [[model:text]]" }), "ask after HTTP 500");
});

e2e("6b. a model error is stated once, not repeated as a \"partial answer\"", async () => {
  const s = await serverB();
  const result = await s.call("reply", { message: "Fail again. [[model:http500]]" });
  assert.equal(result.isError, true);
  const text = textOf(result);
  const occurrences = text.split("experiencing high demand").length - 1;
  assert.equal(occurrences, 1, `the error text appears ${occurrences} times:\n${text}`);
});

e2e("6c. after a model error, a successful ask clears the stale error from status advice", async () => {
  const s = await serverB();
  assert.equal((await s.call("reply", { message: "Fail once more. [[model:http500]]" })).isError, true);
  assertConsensus(await s.call("reply", { message: "Recovered? [[model:text]]" }), "ask after HTTP 500");
  const status = sc(await s.call("status"));
  assert.doesNotMatch(String(status.advice ?? ""), /model\/API error/, "advice still tells the caller to check the model service");
  assert.equal(status.lastError, null);
});

e2e("7. a model that never answers: timeoutSec 2 ends the ask with a timeout error, not before 2 s", async (t) => {
  const s = await serverB();
  const t0 = Date.now();
  const result = await s.call("reply", { message: "Hang. [[model:no-headers]]", timeoutSec: 2 });
  const ms = Date.now() - t0;
  t.diagnostic(`timed out after ${ms} ms`);
  assert.equal(result.isError, true, textOf(result));
  assert.match(textOf(result), /sent nothing for too long \(idle limit reached/);
  assert.equal(sc(result).stopReason, "timeout");
  assert.ok(ms >= 1900, `ended after ${ms} ms, before its 2 s bound`);
  assertConsensus(await s.call("reply", { message: "Still there? [[model:text]]" }), "ask after timeout");
});

e2e("8b. closing server B while a permission is pending leaves no agent process behind", async (t) => {
  const s = await serverB();
  const file = path.join(s.workspace, "never-decided.txt");
  const asked = sc(await s.call("reply", { message: "One more. [[model:shell:touch never-decided.txt]]" }));
  assert.equal(asked.stopReason, "permission_required");
  assert.equal(sc(await s.call("status")).turn?.waitingForPermission, true);
  await assertNoLeftovers(t, s, () => assert.ok(!existsSync(file), "an undecided command never runs"));
});

async function assertNoLeftovers(t: TestContext, s: E2EServer, afterClose?: () => void): Promise<void> {
  const status = sc(await s.call("status"));
  s.tracker.sample();
  const seen = [...s.tracker.seen.values()];
  t.diagnostic(`server ${s.serverPid}: ${seen.length} descendant processes seen while it ran (agent pid ${status.agentPid})`);
  assert.equal(status.agentAlive, true);
  assert.ok(seen.some((p) => p.pid === status.agentPid), "the agent was seen as the server's descendant");
  assert.ok(seen.length >= 2, "codex-acp and the native codex app-server");
  s.tracker.stop();
  const t0 = Date.now();
  await s.h.close();
  // Wait for the exits themselves, with a limit a loaded machine cannot reach (how fast is `npm run bench`'s figure).
  const gone = await until(() => s.tracker.survivors().length === 0 && !stillAlive(s.serverProc), 60_000);
  t.diagnostic(`server and agent processes gone ${Date.now() - t0} ms after close`);
  const survivors = s.tracker.survivors().map((p) => p.pid);
  const serverAlive = stillAlive(s.serverProc);
  afterClose?.();
  await s.close(); // waits, kills any survivor, deletes the directories
  assert.ok(!serverAlive, "the server exited when its client closed");
  assert.ok(gone, `still running after the server closed: ${survivors.join(", ")}`);
}
