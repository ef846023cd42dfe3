// One turn on its own: what the agent says becomes the answer, a waiting caller hears the next thing that happens,
// the turn owns what it waits for (its pending permissions), the idle clock, and what an outcome nobody waited for is.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Turn, type TurnInit } from "../../../../../server/agent/turn/turn";
import type { PermissionView } from "../../../../../server/protocol/results";

const HOUR = 3_600_000;

function turn(over: Partial<TurnInit> = {}): Turn {
  return new Turn({ tool: "consult", client: "tester", summary: "is this safe?", idleTimeoutMs: HOUR, onIdle: () => {}, sessionId: () => "s-1", ...over });
}

function permission(id: string, turnId: string): PermissionView {
  return {
    id,
    turnId,
    kind: "execute",
    category: "command",
    title: "npm test",
    summary: "run `npm test`",
    command: "npm test",
    cwd: null,
    paths: [],
    reason: "command",
    justification: null,
    diffPreview: null,
    options: [],
    createdAt: Date.now(),
  };
}

const say = (text: string) => ({ sessionUpdate: "agent_message_chunk" as const, content: { type: "text" as const, text } });

test("Turn: streamed chunks become the answer; the verdict and findings are parsed from it; the init's fields are on the result", async () => {
  const t = turn({ contextNote: "context kept", workspace: "/ws" });
  assert.equal(t.tool, "consult");
  assert.equal(t.client, "tester");
  assert.equal(t.summary, "is this safe?");
  t.apply(say("Looks fine.\n"));
  t.apply(say("VERDICT: CONSENSUS — ship it"));
  t.apply({ sessionUpdate: "tool_call", toolCallId: "c1", title: "Read file", kind: "read" });
  const outcome = t.finish("end_turn", { input: 1, output: 2, total: 3 });
  assert.equal(outcome.kind, "finished");
  assert.equal(outcome.result.answer, "Looks fine.\nVERDICT: CONSENSUS — ship it");
  assert.equal(outcome.result.verdict, "consensus");
  assert.equal(outcome.result.sessionId, "s-1");
  assert.equal(outcome.result.contextNote, "context kept");
  assert.deepEqual(outcome.result.tokens, { input: 1, output: 2, total: 3 });
  assert.deepEqual(t.activity, ["Read file"]);
  assert.equal(await t.next(null), outcome, "a settled turn answers at once");
  assert.equal(t.fail("internal", "too late"), outcome, "the first outcome stands");
});

test("Turn: a waiting caller hears a permission question, then — after the decision — the end; the turn knows what it waits for", async () => {
  const t = turn();
  const progress: string[] = [];
  const first = t.next({ progress: (line) => progress.push(line()) });
  assert.equal(t.awaited, true);
  t.apply(say("Checking"));
  assert.ok(progress.at(-1)!.includes("Checking"), "the caller sees the answer stream");
  const request = permission("perm-1", t.id);
  t.pause(request);
  const asked = await first;
  assert.equal(asked.kind, "permission");
  assert.equal(asked.kind === "permission" && asked.request.id, "perm-1");
  assert.equal(asked.result.pendingPermission?.id, "perm-1");
  assert.equal(t.waitingForPermission, true);
  assert.deepEqual(t.waitingFor.map((view) => view.id), ["perm-1"]);
  assert.equal(t.awaited, false, "the caller got its answer");

  t.resume("perm-other");
  assert.equal(t.waitingForPermission, true, "resuming another request changes nothing");
  t.resume("perm-1");
  assert.equal(t.waitingForPermission, false);
  const rest = t.next(null);
  t.finish("end_turn");
  assert.equal((await rest).kind, "finished");
  assert.equal(t.uncollected, false, "someone was waiting");
});

test("Turn: an outcome nobody waits for is marked uncollected (for the caller's permit); a permission question is not", () => {
  const t = turn();
  t.pause(permission("perm-1", t.id));
  assert.equal(t.uncollected, false);
  t.resume("perm-1");
  t.fail("timeout", "idle", "timeout");
  assert.equal(t.uncollected, true);
});

test("Turn: the idle clock fires when Codex stays silent, and never while the turn waits for a decision", async (t) => {
  // The idle timer does not hold the process open (unref): this test does, while it waits.
  const keepAlive = setInterval(() => {}, 1000);
  t.after(() => clearInterval(keepAlive));
  let fired = 0;
  const idle = new Promise<void>((resolve) => {
    turn({ idleTimeoutMs: 20, onIdle: () => (fired++, resolve()) });
  });
  await idle;
  assert.equal(fired, 1);

  let pausedFired = false;
  const paused = turn({ idleTimeoutMs: 20, onIdle: () => (pausedFired = true) });
  paused.pause(permission("perm-2", paused.id));
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(pausedFired, false, "waiting for a person is not Codex being silent");
  const resumed = new Promise<void>((resolve) => {
    const again = turn({ idleTimeoutMs: 20, onIdle: () => resolve() });
    again.pause(permission("perm-3", again.id));
    again.resume("perm-3");
  });
  await resumed;
  paused.finish("end_turn");
});

test("Turn: a cancel is begun once, never after the end; a denial is taken once and the answer goes on in a new paragraph", () => {
  const t = turn();
  t.apply(say("Part one."));
  t.recordDenial({ what: "run `rm -rf /`", by: "the guardian" });
  assert.deepEqual(t.takeDenial(), { what: "run `rm -rf /`", by: "the guardian" });
  assert.equal(t.takeDenial(), null);
  t.apply(say("Part two."));
  assert.equal(t.answer, "Part one.\n\nPart two.");
  assert.equal(t.beginCancel("client"), true);
  assert.equal(t.beginCancel("timeout"), false);
  assert.equal(t.cancelReason, "client");
  t.finish("cancelled");
  assert.equal(turn().beginCancel("reset"), true);
});

test("Turn: an over-long answer is cut to its start and end, archived once with a note of where it is", () => {
  const archived: string[] = [];
  const t = turn({ archive: (id, text) => (archived.push(id), `/tmp/${id}.md`) });
  t.apply(say("x".repeat(150_000)));
  const first = t.result("end_turn");
  const second = t.result("end_turn");
  assert.deepEqual(archived, [t.id], "archived once while its length stays");
  assert.ok(first.answer.length < 150_000);
  assert.match(first.answer, new RegExp(`/tmp/${t.id}\\.md`));
  assert.deepEqual(second.fullAnswer, { chars: 150_000, path: `/tmp/${t.id}.md` });
});

test("Turn: Codex's own reviewer is named on the result, with a note that it writes no verdict", () => {
  const t = turn({ tool: "review_diff", reviewer: "codex" });
  const result = t.finish("end_turn").result;
  assert.equal(result.reviewer, "codex");
  assert.equal(result.verdict, null);
  assert.ok(result.notes?.some((note) => note.includes("/review")));
});
