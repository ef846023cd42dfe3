// The guardian end to end against the fake agent: read-only at the source, asks, decisions, timeouts, cancel.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { eventually, isAlive, prompts, startServer, textOf, type Harness } from "./harness";

/** Closes the server and proves every agent process (and grandchild) it started is gone. */
async function closeWithoutOrphans(h: Harness): Promise<void> {
  const pids = h.agentPids();
  await h.close();
  assert.ok(await eventually(() => pids.every((pid) => !isAlive(pid)), 5000), `orphans: ${pids.filter(isAlive)}`);
}

function permissionAnswers(h: Harness): string[] {
  return h
    .log()
    .filter((l) => l.event === "response" && (l as any).result?.outcome)
    .map((l) => {
      const outcome = (l as any).result.outcome;
      return outcome.outcome === "selected" ? outcome.optionId : outcome.outcome;
    });
}

test("read-only at the source: INITIAL_AGENT_MODE and set_config_option mode=read-only, reported by status", async () => {
  const h = await startServer();
  try {
    await h.call("consult", { question: "hi" });
    const start = h.log().find((l) => l.event === "start");
    assert.equal(start?.env?.INITIAL_AGENT_MODE, "read-only");
    const modeSets = h.log().filter((l) => l.method === "session/set_config_option" && l.params.configId === "mode");
    assert.deepEqual(modeSets.map((l) => l.params.value), ["read-only"]);
    const status = await h.call("status");
    assert.equal((status.structuredContent as any).mode, "read-only");
    assert.equal((status.structuredContent as any).modeWarning, null);
  } finally {
    await closeWithoutOrphans(h);
  }
});

test("an agent without a read-only mode: every result and status carry a warning", async () => {
  const h = await startServer({ FAKE_AGENT_NO_MODES: "1" });
  try {
    const result = await h.call("consult", { question: "hi" });
    assert.match(textOf(result), /Note: Warning: the agent offers no read-only mode/);
    const status = await h.call("status");
    assert.match(textOf(status), /offers no read-only mode/);
  } finally {
    await closeWithoutOrphans(h);
  }
});

test("an agent that stays out of read-only is flagged", async () => {
  const h = await startServer({ FAKE_AGENT_MODE_STUCK: "1", FAKE_AGENT_IGNORE_INITIAL_MODE: "1" });
  try {
    const result = await h.call("consult", { question: "hi" });
    assert.match(textOf(result), /stayed in mode "agent" after being set to read-only/);
  } finally {
    await closeWithoutOrphans(h);
  }
});

test("ask → permit allow → the same turn resumes and finishes", async () => {
  const h = await startServer();
  try {
    const asked = await h.call("consult", { question: "run it [[fake:permission]]" });
    assert.ok(!asked.isError);
    assert.match(textOf(asked), /Codex is waiting for a decision before it can continue: it wants to run `touch x` in /);
    const pending = (asked.structuredContent as any).pendingPermission;
    assert.equal(pending.kind, "execute");
    assert.equal(pending.command, "touch x");
    assert.equal((asked.structuredContent as any).stopReason, "permission_required");
    const status = await h.call("status");
    assert.match(textOf(status), /waiting for a permission decision/);
    const done = await h.call("permit", { decision: "allow" });
    assert.ok(!done.isError, textOf(done));
    assert.match(textOf(done), /ran touch x \(option allow_once\)/);
    assert.match(textOf(done), /allowed once by the MCP client/);
    assert.equal((done.structuredContent as any).verdict, "consensus");
    assert.deepEqual(permissionAnswers(h), ["allow_once"]);
    assert.equal(prompts(h.log()).length, 1, "resumed, not re-asked");
  } finally {
    await closeWithoutOrphans(h);
  }
});

test("deny: the agent aborts its turn, a follow-up prompt still gets an answer and a verdict", async () => {
  const h = await startServer();
  try {
    await h.call("consult", { question: "run it [[fake:permission]]" });
    const done = await h.call("permit", { decision: "deny", note: "not on my machine" });
    assert.ok(!done.isError, textOf(done));
    assert.deepEqual(permissionAnswers(h), ["cancel"]);
    const sent = prompts(h.log());
    assert.equal(sent.length, 2);
    assert.match(sent[1], /denied/i);
    assert.match(sent[1], /not on my machine/);
    assert.equal((done.structuredContent as any).verdict, "consensus");
    assert.match(textOf(done), /denied by the MCP client \(permit\) \(not on my machine\)/);
  } finally {
    await closeWithoutOrphans(h);
  }
});

test("allow_session picks the session-scoped option, never the permanent rule", async () => {
  const h = await startServer();
  try {
    await h.call("consult", { question: "edit [[fake:permission-edit]]" });
    const edit = await h.call("permit", { decision: "allow_session" });
    assert.match(textOf(edit), /applied edit \(option allow_for_session\)/);
    await h.call("consult", { question: "run [[fake:permission]]" });
    const command = await h.call("permit", { decision: "allow_session" });
    // codex-acp's only allow_always for commands writes a permanent execpolicy rule: allowed once instead, and said so.
    assert.match(textOf(command), /ran touch x \(option allow_once\)/);
    assert.match(textOf(command), /no session-scoped approval/);
    assert.ok(!permissionAnswers(h).includes("accept_execpolicy_amendment"));
  } finally {
    await closeWithoutOrphans(h);
  }
});

test("two requests in one turn are answered in order", async () => {
  const h = await startServer();
  try {
    const first = await h.call("consult", { question: "two [[fake:two-permissions]]" });
    assert.equal((first.structuredContent as any).pendingPermission.command, "touch a");
    const second = await h.call("permit", { decision: "allow" });
    assert.equal((second.structuredContent as any).pendingPermission.command, "touch b");
    const done = await h.call("permit", { decision: "allow" });
    assert.equal((done.structuredContent as any).stopReason, "end_turn");
    assert.deepEqual(permissionAnswers(h), ["allow_once", "allow_once"]);
  } finally {
    await closeWithoutOrphans(h);
  }
});

test("a new ask while a permission waits: on a parallel session it answers; with no room left, a clear error, not a hang", async () => {
  const h = await startServer();
  try {
    const paused = await h.call("consult", { question: "run it [[fake:permission]]" });
    const waiting = (paused.structuredContent as any).pendingPermission;
    assert.equal(waiting.command, "touch x");
    const meanwhile = await h.call("consult", { question: "meanwhile" });
    assert.ok(!meanwhile.isError, textOf(meanwhile));
    assert.notEqual((meanwhile.structuredContent as any).sessionId, (paused.structuredContent as any).sessionId, "it ran on a forked session");
    const status = (await h.call("status")).structuredContent as any;
    assert.deepEqual(status.pendingPermissions.map((p: any) => p.id), [waiting.id], "the first turn still waits for its own decision");
    const done = await h.call("permit", { decision: "allow" });
    assert.match(textOf(done), /ran touch x \(option allow_once\)/);
  } finally {
    await closeWithoutOrphans(h);
  }
  const serial = await startServer({ CODEX_FUSION_MAX_PARALLEL_TURNS: "1" });
  try {
    await serial.call("consult", { question: "run it [[fake:permission]]" });
    const blocked = await serial.call("consult", { question: "meanwhile" });
    assert.equal(blocked.isError, true);
    assert.match(textOf(blocked), /waiting for a decision on the current ask \(run `touch x`.*answer it with permit/);
    await serial.call("permit", { decision: "allow" });
  } finally {
    await closeWithoutOrphans(serial);
  }
});

test("a permission left unanswered is denied at the timeout; the turn continues and its answer is kept for permit", async () => {
  const h = await startServer({ CODEX_FUSION_PERMISSION_TIMEOUT_MS: "300" });
  try {
    await h.call("consult", { question: "run it [[fake:permission]]" });
    assert.ok(await eventually(() => prompts(h.log()).length === 2), "follow-up sent after the timeout");
    assert.ok(await eventually(() => h.log().filter((l) => l.event === "stop").length === 2));
    const late = await h.call("permit", { decision: "allow" });
    assert.ok(!late.isError, textOf(late));
    assert.match(textOf(late), /denied by the permission timeout/);
    assert.equal((late.structuredContent as any).verdict, "consensus");
  } finally {
    await closeWithoutOrphans(h);
  }
});

test("the guardian allows reads inside the workspace by itself and asks for reads outside", async () => {
  const h = await startServer();
  try {
    fs.writeFileSync(path.join(h.workspace, "README.md"), "hi");
    const inside = await h.call("consult", { question: "read [[fake:permission-read]]" });
    assert.match(textOf(inside), /read ok \(option allow_once\)/);
    const outside = await h.call("consult", { question: "read [[fake:permission-read:/etc/passwd]]" });
    assert.match(textOf(outside), /it wants to read \/etc\/passwd/);
    await h.call("permit", { decision: "deny" });
  } finally {
    await closeWithoutOrphans(h);
  }
});

test("flags: ALLOW_COMMANDS lets commands through; ALLOW_WRITES lets inside edits through but never protected paths", async () => {
  const commands = await startServer({ CODEX_FUSION_ALLOW_COMMANDS: "1" });
  try {
    const ran = await commands.call("consult", { question: "run [[fake:permission]]" });
    assert.match(textOf(ran), /ran touch x \(option allow_once\)/);
  } finally {
    await closeWithoutOrphans(commands);
  }
  const writes = await startServer({ CODEX_FUSION_ALLOW_WRITES: "1" });
  try {
    const edited = await writes.call("consult", { question: "edit [[fake:permission-edit]]" });
    assert.match(textOf(edited), /applied edit \(option allow_once\)/);
    const settings = path.join(writes.workspace, ".vscode/settings.json");
    const guarded = await writes.call("consult", { question: `edit [[fake:permission-edit:${settings}]]` });
    assert.match(textOf(guarded), /Codex is waiting for a decision/);
    assert.match((guarded.structuredContent as any).pendingPermission.reason, /protected/);
    await writes.call("permit", { decision: "deny" });
  } finally {
    await closeWithoutOrphans(writes);
  }
});

test("cooperative cancel: the partial turn stops and the session is kept", async () => {
  const h = await startServer();
  try {
    await h.call("consult", { question: "first" });
    const controller = new AbortController();
    const cancelled = h.call("consult", { question: "long [[fake:slow:5000]]" }, { signal: controller.signal });
    await eventually(() => prompts(h.log()).length === 2);
    controller.abort();
    await assert.rejects(cancelled);
    assert.ok(await eventually(() => h.log().some((l) => l.method === "session/cancel")));
    assert.ok(await eventually(() => h.log().filter((l) => l.event === "stop").at(-1)?.stopReason === "cancelled"));
    // Once the cancelled turn has ended, the next ask continues on the same (main) session.
    assert.ok(await eventually(async () => ((await h.call("status")).structuredContent as any).turns.length === 0));
    const next = await h.call("consult", { question: "still there?" });
    assert.match((next.structuredContent as any).answer, /turn 3 of session fake-\d+-1/);
    assert.equal(h.agentPids().length, 1, "no respawn");
  } finally {
    await closeWithoutOrphans(h);
  }
});

test("a cancel the agent ignores: its process group is killed, the next ask respawns and reloads", async () => {
  const h = await startServer({ CODEX_FUSION_CANCEL_GRACE_MS: "300" });
  try {
    await h.call("consult", { question: "first" });
    const controller = new AbortController();
    const stuck = h.call("consult", { question: "stuck [[fake:ignore-cancel]]" }, { signal: controller.signal });
    await eventually(() => prompts(h.log()).length === 2);
    const [firstPid] = h.agentPids();
    controller.abort();
    await assert.rejects(stuck);
    assert.ok(await eventually(() => !isAlive(firstPid), 3000), "the agent was killed after the grace period");
    const next = await h.call("consult", { question: "back?" });
    assert.ok(!next.isError, textOf(next));
    assert.match((next.structuredContent as any).contextNote, /context kept/);
    assert.equal(h.agentPids().length, 2);
  } finally {
    await closeWithoutOrphans(h);
  }
});

test("cancelling while a permission is pending withdraws it", async () => {
  const h = await startServer();
  try {
    await h.call("consult", { question: "run [[fake:permission]]" });
    const status = await h.call("status");
    assert.equal((status.structuredContent as any).pendingPermissions.length, 1);
    const reset = await h.call("reset");
    assert.match(textOf(reset), /its turn was cancelled/);
    assert.ok(await eventually(() => h.log().some((l) => l.method === "session/cancel")));
    const after = await h.call("status");
    assert.equal((after.structuredContent as any).pendingPermissions.length, 0);
    const late = await h.call("permit", { decision: "allow", id: (status.structuredContent as any).pendingPermissions[0].id });
    assert.equal(late.isError, true);
    assert.match(textOf(late), /withdrawn/);
  } finally {
    await closeWithoutOrphans(h);
  }
});
