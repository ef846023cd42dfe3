// The scheduler's parts on their own: the queue asks wait in, the start-up they share, the places turns hold, whose
// conversation continues where, and the outcomes nobody waited for.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ProgressReporter } from "../../../../../server/progress";
import { AgentError } from "../../../../../server/agent/acp/errors";
import { SharedStart } from "../../../../../server/agent/sessions/sharedStart";
import { MAIN } from "../../../../../server/agent/sessions/sessionState";
import { Conversations } from "../../../../../server/agent/scheduling/conversations";
import { TurnQueue, type Admission } from "../../../../../server/agent/scheduling/turnQueue";
import { TurnSlots } from "../../../../../server/agent/scheduling/turnSlots";
import { UncollectedOutcomes } from "../../../../../server/agent/scheduling/uncollectedOutcomes";
import { Turn, type TurnOutcome } from "../../../../../server/agent/turn/turn";

/** A progress reporter that records every line it would send (no throttling). */
function recorder(): { progress: ProgressReporter; lines: string[] } {
  const lines: string[] = [];
  return { progress: new ProgressReporter(async (_n, message) => void lines.push(message), 0), lines };
}

function turn(summary = "q"): Turn {
  return new Turn({ tool: "consult", client: null, summary, idleTimeoutMs: 3_600_000, onIdle: () => {}, sessionId: () => null });
}

// ── TurnQueue ────────────────────────────────────────────────────────────────────────────────────

test("TurnQueue: an empty queue admits at once; later waiters are admitted in order as places free up", async () => {
  let free = 1;
  const changes: number[] = [];
  const queue = new TurnQueue<string>(() => changes.push(queue.length));
  const gate = (name: string) => (): Admission<string> => (free > 0 ? (free--, { admitted: name }) : { waiting: `${name} waits` });
  assert.equal(await queue.enter(recorder().progress, undefined, gate("a")), "a");
  const b = recorder();
  const c = recorder();
  const order: string[] = [];
  const bDone = queue.enter(b.progress, undefined, gate("b")).then((v) => order.push(v!));
  const cDone = queue.enter(c.progress, undefined, gate("c")).then((v) => order.push(v!));
  assert.equal(queue.length, 2);
  assert.deepEqual(b.lines, ["b waits"]);
  free = 1;
  queue.recheck();
  await bDone;
  assert.equal(queue.length, 1, "only one place freed: c still waits");
  free = 1;
  queue.recheck();
  await cDone;
  assert.deepEqual(order, ["b", "c"]);
  assert.equal(queue.length, 0);
  assert.ok(changes.length > 0, "the queue's changes are reported");
});

test("TurnQueue: a waiter that cannot start does not hold back one behind it that can (a reply waiting for its own conversation)", async () => {
  const queue = new TurnQueue<string>();
  let replyMay = false;
  let forkMay = false;
  const reply = queue.enter(recorder().progress, undefined, () => (replyMay ? { admitted: "reply" } : { waiting: "reply waits for its conversation" }));
  const other = queue.enter(recorder().progress, undefined, () => (forkMay ? { admitted: "fork" } : { waiting: "queued" }));
  forkMay = true;
  queue.recheck();
  assert.equal(await other, "fork");
  assert.equal(queue.length, 1);
  replyMay = true;
  queue.recheck();
  assert.equal(await reply, "reply");
});

test("TurnQueue: each waiter hears its position, and a waiter that gives up leaves the line (null) without admitting anyone wrongly", async () => {
  const queue = new TurnQueue<number>();
  const positions: number[][] = [[], []];
  const controller = new AbortController();
  const first = queue.enter(recorder().progress, controller.signal, (position) => (positions[0]!.push(position), { waiting: "w" }));
  const second = queue.enter(recorder().progress, undefined, (position) => (positions[1]!.push(position), { waiting: "w" }));
  queue.recheck();
  assert.equal(positions[0]!.at(-1), 0);
  assert.equal(positions[1]!.at(-1), 1);
  controller.abort();
  assert.equal(await first, null);
  assert.equal(queue.length, 1);
  assert.equal(positions[1]!.at(-1), 0, "the one behind moves up");
  const gone = new AbortController();
  gone.abort();
  assert.equal(await queue.enter(recorder().progress, gone.signal, () => ({ admitted: 1 })), null, "already given up: never admitted");
  void second;
});

// ── SharedStart ──────────────────────────────────────────────────────────────────────────────────

test("SharedStart: every waiter gets the one start-up's result, and its phase is what the run entered", async () => {
  let runs = 0;
  let finish!: (value: string) => void;
  const start = new SharedStart<string>((_signal, enter) => {
    runs += 1;
    enter("opening_session");
    return new Promise((resolve) => (finish = resolve));
  });
  assert.equal(start.phase, "opening_session");
  const a = start.join();
  const b = start.join();
  finish("agent");
  assert.deepEqual(await Promise.all([a, b]), ["agent", "agent"]);
  assert.equal(runs, 1);
  assert.equal(start.abandoned, false);
});

test("SharedStart: a waiter can give up alone; when the last one does, the start-up itself is abandoned", async () => {
  let seen: AbortSignal | null = null;
  const start = new SharedStart<string>((signal) => {
    seen = signal;
    return new Promise(() => {});
  });
  const first = new AbortController();
  const second = new AbortController();
  const a = start.join(first.signal);
  const b = start.join(second.signal);
  first.abort();
  await assert.rejects(a, (error: unknown) => error instanceof AgentError && error.code === "cancelled");
  assert.equal(start.abandoned, false, "someone still waits");
  second.abort();
  await assert.rejects(b, (error: unknown) => error instanceof AgentError && error.code === "cancelled");
  assert.equal(start.abandoned, true);
  assert.equal(seen!.aborted, true, "the run is told to stop");
});

test("SharedStart: a failed start-up rejects every waiter with its error; abandon() hands the run its reason", async () => {
  const failing = new SharedStart<string>(async () => {
    throw new AgentError("agent_start_failed", "no agent");
  });
  await assert.rejects(failing.join(), /no agent/);
  await assert.rejects(failing.join(), /no agent/);
  const hanging = new SharedStart<string>(
    (signal) => new Promise((_resolve, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true })),
  );
  const waiter = hanging.join();
  hanging.abandon(new AgentError("cancelled", "reset while starting"));
  await assert.rejects(waiter, /reset while starting/);
});

// ── TurnSlots ────────────────────────────────────────────────────────────────────────────────────

test("TurnSlots: places count towards the limit from admission; turns are found by session, id and caller; forks are marked", () => {
  const slots = new TurnSlots();
  const onMain = slots.reserve("mcp-1", MAIN);
  const forking = slots.reserve("mcp-2", null);
  assert.equal(slots.size, 2);
  assert.deepEqual([...slots.busyKeys()], [MAIN], "a fork being made holds no session yet");
  assert.deepEqual(slots.turns(), [], "no turn has started");

  const first = turn("first");
  onMain.sessionId = "s-main";
  onMain.turn = first;
  const second = turn("second");
  forking.key = "s-fork";
  forking.sessionId = "s-fork";
  forking.turn = second;

  assert.deepEqual(slots.turns(), [first, second]);
  assert.equal(slots.turnOnSession("s-fork"), second);
  assert.equal(slots.turnOnSession("s-other"), null);
  assert.equal(slots.byTurnId(first.id), onMain);
  assert.deepEqual(slots.turnsOf("mcp-2"), [second]);
  assert.deepEqual(
    slots.summaries().map((s) => [s.summary, s.sessionId, s.forked]),
    [
      ["first", "s-main", false],
      ["second", "s-fork", true],
    ],
  );

  first.finish("end_turn");
  assert.deepEqual(slots.turns(), [second], "an ended turn is no longer running");
  assert.equal(slots.turnOnSession("s-main"), null, "updates for an ended turn's session go nowhere");
  slots.release(onMain);
  assert.equal(slots.size, 1);
  assert.deepEqual([...slots.busyKeys()], ["s-fork"]);
});

// ── Conversations ────────────────────────────────────────────────────────────────────────────────

test("Conversations: each caller's conversation moves with its asks; forks lost with the agent are said once", () => {
  const conversations = new Conversations();
  assert.equal(conversations.move("a", MAIN), null);
  assert.equal(conversations.move("b", "fork-1"), null);
  assert.equal(conversations.move("a", "fork-2"), MAIN);
  assert.equal(conversations.continuesOn("fork-2"), true);
  assert.equal(conversations.continuesOn(MAIN), false);
  conversations.loseForks();
  assert.equal(conversations.sessionOf("a"), null);
  assert.equal(conversations.takeLost("a"), true);
  assert.equal(conversations.takeLost("a"), false, "said once");
  assert.equal(conversations.forget("b"), null);
  assert.equal(conversations.takeLost("b"), false, "a caller that went away hears nothing");
});

// ── UncollectedOutcomes ──────────────────────────────────────────────────────────────────────────

test("UncollectedOutcomes: a caller collects its own outcomes, oldest first, once; a new ask drops what it did not collect", () => {
  const kept = new UncollectedOutcomes();
  const outcome = (summary: string): TurnOutcome => turn(summary).finish("end_turn");
  const a1 = outcome("a1");
  const a2 = outcome("a2");
  kept.keep("t1", "a", a1);
  kept.keep("t2", "b", outcome("b1"));
  kept.keep("t3", "a", a2);
  assert.equal(kept.take("a"), a1);
  assert.equal(kept.take("a"), a2);
  assert.equal(kept.take("a"), undefined);
  kept.drop("b");
  assert.equal(kept.take("b"), undefined);
  for (let i = 0; i < 20; i++) kept.keep(`x${i}`, "c", outcome(`c${i}`));
  let count = 0;
  while (kept.take("c")) count += 1;
  assert.ok(count > 0 && count < 20, "only the most recent few are kept");
});
