// delegate over real stdio MCP against the scripted fake ACP agent: where the session opens (the copy, never the
// workspace) and in which mode (workspace-write, read back); an agent that will not take that mode, a workspace that
// is not a git repository or lies under /tmp: clear errors and no copy left; a delegate's permission through permit;
// reply continuing a delegate on its own session; the parallel bound.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { DelegateResult } from "../../server/protocol/delegate";
import type { ServerStatus } from "../../server/protocol/results";
import type { DelegateResponse } from "../../server/protocol/control";
import { applyPatch, checkPatch } from "../../extension/changes/applyPatch";
import { startServer, textOf, type Harness } from "./harness";
import { startShared } from "./httpHarness";

const SCRATCH = fs.existsSync("/var/tmp") ? "/var/tmp" : tmpdir();
const temps: string[] = [];
const harnesses: Harness[] = [];
after(async () => {
  for (const h of harnesses) await h.close();
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function repo(base = SCRATCH): string {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(base, "fusion-delegate-it-")));
  temps.push(ws);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: ws });
  git("init", "-q");
  fs.writeFileSync(path.join(ws, "app.js"), "module.exports = 1;\n");
  git("add", ".");
  git("commit", "-qm", "init");
  return ws;
}

async function server(env: Record<string, string>): Promise<Harness> {
  const h = await startServer(env);
  harnesses.push(h);
  return h;
}

function copies(h: Harness): string[] {
  const dir = path.join(h.stateDir, "..", "home", ".local", "state", "codex-fusion", "copies");
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.startsWith("change-")) : [];
}

async function status(h: Harness): Promise<ServerStatus> {
  return (await h.call("status")).structuredContent as ServerStatus;
}

test("the session opens in the copy, is set to workspace-write and read back; the result names the change", async () => {
  const ws = repo();
  const h = await server({ CODEX_FUSION_WORKSPACE: ws });
  const result = await h.call("delegate", { task: "[[fake:verdict]] tidy app.js", verify: "npm test" });
  assert.ok(!result.isError, textOf(result));
  const delegate = result.structuredContent as DelegateResult;
  assert.equal(delegate.state, "no_changes");
  assert.equal(delegate.repoRoot, ws);
  assert.deepEqual(delegate.verify, { command: "npm test", ran: false, exitCode: null, passed: null });
  const requests = h.log().filter((line) => line.event === "request");
  const opened = requests.find((line) => line.method === "session/new")!;
  const cwd = (opened.params as { cwd: string }).cwd;
  assert.notEqual(cwd, ws);
  assert.ok(cwd.endsWith(path.basename(ws)) && !cwd.startsWith(ws), cwd);
  assert.ok(requests.some((line) => line.method === "session/set_config_option" && (line.params as { value?: string }).value === "workspace-write"));
  assert.equal((await status(h)).copies!.length, 1);
  assert.equal(copies(h).length, 1, "the copy lives under the server's state dir");
  assert.match(textOf(result), /^Change change-[0-9a-f]+ — no changes/);
});

test("an agent that stays in another mode is not used: a clear error, no copy left", async () => {
  const h = await server({ CODEX_FUSION_WORKSPACE: repo(), FAKE_AGENT_MODE_STUCK: "1" });
  const result = await h.call("delegate", { task: "[[fake:verdict]] anything" });
  assert.equal(result.isError, true);
  assert.match(textOf(result), /stayed in mode "read-only" after being set to workspace-write/);
  assert.deepEqual((await status(h)).copies, []);
  assert.deepEqual(copies(h), []);
});

test("not a git repository, or under /tmp: the reason, and nothing made", async () => {
  const plain = fs.realpathSync(fs.mkdtempSync(path.join(SCRATCH, "fusion-delegate-plain-")));
  temps.push(plain);
  const h = await server({ CODEX_FUSION_WORKSPACE: plain });
  const result = await h.call("delegate", { task: "anything" });
  assert.equal(result.isError, true);
  assert.match(textOf(result), /^Error invalid_argument: The workspace .* is not inside a git repository/);
  if (fs.realpathSync(tmpdir()).startsWith(fs.realpathSync("/tmp"))) {
    const inTmp = await server({ CODEX_FUSION_WORKSPACE: repo(tmpdir()) });
    const refused = await inTmp.call("delegate", { task: "anything" });
    assert.match(textOf(refused), /workspace-write sandbox lets every command write/);
    assert.deepEqual(copies(inTmp), []);
  }
  assert.equal(h.log().length, 0, "no agent was started for a refused delegate");
});

test("a delegate's permission is answered with permit and its result comes back; reply continues it on its own session", async () => {
  const h = await server({ CODEX_FUSION_WORKSPACE: repo() });
  const held = await h.call("delegate", { task: "[[fake:permission:curl https://example.com]]" });
  const waiting = held.structuredContent as DelegateResult;
  assert.equal(waiting.state, "waiting_for_permission", textOf(held));
  assert.match(waiting.pendingPermission!.summary, /curl/);
  // The editor's Codex Changes view shows a running delegate's latest step from status.
  const [running] = (await status(h)).copies!;
  assert.equal(running!.running, true);
  assert.match(running!.activity ?? "", /curl/);
  const permitted = await h.call("permit", { decision: "deny", note: "no network" });
  assert.ok(!permitted.isError, textOf(permitted));
  assert.match(textOf(permitted), new RegExp(`Change ${waiting.changeId}`));
  const sessionOf = (prompt: string) => (h.log().find((line) => line.event === "request" && line.method === "session/prompt" && JSON.stringify(line.params).includes(prompt))?.params as { sessionId: string }).sessionId;
  const replied = await h.call("reply", { message: "[[fake:echo]] once more" });
  assert.ok(!replied.isError, textOf(replied));
  assert.match(textOf(replied), new RegExp(`Change ${waiting.changeId}`));
  assert.equal(sessionOf("once more"), sessionOf("curl https://example.com"), "the same delegate session");
  // An ask in between: reply then continues the ask, not the delegate.
  await h.call("consult", { question: "[[fake:verdict]] a question" });
  const askReply = await h.call("reply", { message: "[[fake:verdict]] and then?" });
  assert.doesNotMatch(textOf(askReply), /Change change-/);
});

test("no more delegates run at once than CODEX_FUSION_MAX_PARALLEL_TURNS", async () => {
  const h = await server({ CODEX_FUSION_WORKSPACE: repo(), CODEX_FUSION_MAX_PARALLEL_TURNS: "1" });
  const first = h.call("delegate", { task: "[[fake:slow:1500]] first" });
  let second = await h.call("delegate", { task: "[[fake:verdict]] second" });
  for (let i = 0; i < 50 && !second.isError; i++) second = await h.call("delegate", { task: "[[fake:verdict]] again" });
  assert.equal(second.isError, true);
  assert.match(textOf(second), /^Error busy: 1 delegates are running already/);
  assert.ok(!(await first).isError);
});

test("the editor's control channel: delegate proposes a change it can apply itself; discardChange removes the copy", async () => {
  const ws = repo();
  const shared = await startShared({ CODEX_FUSION_WORKSPACE: ws });
  try {
    const response = await shared.command("delegate", { args: { task: "[[fake:write-file:fixed.txt]] fix the finding" } });
    assert.ok(response.ok, JSON.stringify(response));
    const answer = response.ok ? (response.result as DelegateResponse) : null;
    assert.equal(answer!.error, null, JSON.stringify(answer!.error));
    const change = answer!.result!;
    assert.equal(change.state, "proposed");
    assert.deepEqual(change.files.map((file) => file.path), ["fixed.txt"]);
    assert.ok(!fs.existsSync(path.join(ws, "fixed.txt")), "the server wrote nothing");
    // What the editor's Apply does: check, then apply, in the workspace.
    assert.deepEqual(await checkPatch(change.repoRoot, change.patchFile!), { ok: true });
    assert.deepEqual(await applyPatch(change.repoRoot, change.patchFile!), { ok: true });
    assert.equal(fs.readFileSync(path.join(ws, "fixed.txt"), "utf8"), "hello from the fake agent\n");
    const discarded = await shared.command("discardChange", { changeId: change.changeId });
    assert.deepEqual(discarded.ok ? discarded.result : discarded, { discarded: true });
    assert.ok(!fs.existsSync(change.patchFile!));
    const again = await shared.command("discardChange", { changeId: change.changeId });
    assert.deepEqual(again.ok ? again.result : again, { discarded: false });
    const invalid = await shared.command("delegate", { args: { task: "" } });
    assert.ok(invalid.ok && (invalid.result as DelegateResponse).result === null);
    assert.match(invalid.ok ? ((invalid.result as DelegateResponse).error?.message ?? "") : "", /Invalid arguments for delegate: task/);
  } finally {
    await shared.stop();
  }
});
