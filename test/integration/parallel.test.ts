// Parallel asks on forked sessions, against the fake agent through the built server: a quick ask is answered while
// another client's long turn runs, each `reply` continues its own conversation, cancel / reset / a crash / the
// editor's decisions behave with several turns, and the agent that cannot fork falls back to the queue.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { eventually, textOf } from "./harness";
import { promptsBySession, startShared, type SharedServer } from "./httpHarness";

const sc = (result: CallToolResult) => result.structuredContent as Record<string, any>;

async function status(server: SharedServer): Promise<Record<string, any>> {
  const response = await server.command("getStatus", {});
  assert.ok(response.ok);
  return response.result as Record<string, any>;
}

test("while one client's 4 s turn runs, another client's quick ask is answered on a fork; each reply continues its own conversation", async () => {
  const server = await startShared();
  try {
    const slowClient = await server.connect("slow-client");
    const quickClient = await server.connect("quick-client");
    const slow = slowClient.call("consult", { question: "take your time [[fake:slow:4000]]" });
    assert.ok(await eventually(() => promptsBySession(server.log()).length === 1), "the slow turn started");
    const quick = await quickClient.call("consult", { question: "quick one" });
    // The quick answer is in while the slow turn is still running: the server lists it, the agent has not ended it.
    const during = await status(server);
    assert.equal(during.turns.length, 1, JSON.stringify(during.turns));
    assert.equal(during.turns[0].client, "slow-client");
    assert.equal(during.turns[0].forked, false);
    assert.equal(server.log().filter((line) => line.event === "stop").length, 1, "only the quick turn has ended at the agent");
    assert.ok(!quick.isError, textOf(quick));
    assert.equal(sc(quick).verdict, "consensus");
    const slowDone = await slow;
    assert.ok(!slowDone.isError, textOf(slowDone));
    assert.equal(sc(slowDone).verdict, "consensus");

    const mainId = sc(slowDone).sessionId;
    const forkId = sc(quick).sessionId;
    assert.notEqual(forkId, mainId);
    const forks = server.log().filter((line) => line.method === "session/fork");
    assert.equal(forks.length, 1);
    assert.equal(forks[0]!.params.sessionId, mainId, "forked from the main session");
    // Read-only at the source on the fork too.
    assert.ok(server.log().some((line) => line.method === "session/set_config_option" && line.params.sessionId === forkId && line.params.value === "read-only"));
    // The fork knows the conversation so far (the fake agent numbers turns by the history it holds).
    assert.match(sc(quick).answer, new RegExp(`turn 2 of session ${forkId}`));

    const slowReply = await slowClient.call("reply", { message: "about the slow one" });
    const quickReply = await quickClient.call("reply", { message: "about the quick one" });
    assert.equal(sc(slowReply).sessionId, mainId);
    assert.equal(sc(quickReply).sessionId, forkId);
    const sent = promptsBySession(server.log());
    assert.equal(sent.find((p) => p.text.includes("about the slow one"))?.sessionId, mainId, "the slow client's reply went to its session");
    assert.equal(sent.find((p) => p.text.includes("about the quick one"))?.sessionId, forkId, "the quick client's reply went to its fork");
    assert.match(sc(quickReply).answer, new RegExp(`turn 3 of session ${forkId}`));
    assert.match(sc(slowReply).answer, new RegExp(`turn 2 of session ${mainId}`));

    // A client that goes away: its fork is closed.
    await quickClient.close();
    assert.ok(await eventually(() => server.log().some((line) => line.method === "session/close" && line.params.sessionId === forkId)), "the fork was closed");
    assert.equal((await status(server)).parallelSessions, 0);
  } finally {
    await server.stop();
  }
});

test("an agent that cannot fork: the second ask waits in the queue and hears its position", async () => {
  const server = await startShared({ FAKE_AGENT_NO_LOAD: "1" });
  try {
    const a = await server.connect("a");
    const b = await server.connect("b");
    const first = a.call("consult", { question: "first [[fake:slow:600]]" });
    assert.ok(await eventually(() => promptsBySession(server.log()).length === 1));
    const progress: string[] = [];
    const second = b.call("consult", { question: "second" }, { onprogress: (p) => progress.push(p.message ?? "") });
    const [one, two] = await Promise.all([first, second]);
    assert.ok(!one.isError && !two.isError, `${textOf(one)} | ${textOf(two)}`);
    assert.ok(progress.some((m) => /Queued behind 1 other ask/.test(m)), progress.join(" | "));
    const log = server.log();
    assert.equal(log.filter((line) => line.method === "session/fork").length, 0);
    const [p1, p2] = promptsBySession(log);
    assert.ok(p2!.t >= log.find((line) => line.event === "stop")!.t, "the second prompt went out after the first turn ended");
    assert.equal(p1!.sessionId, p2!.sessionId, "both on the one session");
  } finally {
    await server.stop();
  }
});

test("several turns: cancel one, the other answers; the editor's reply continues the editor's conversation", async () => {
  const server = await startShared();
  try {
    const claude = await server.connect("claude-code");
    const long = claude.call("consult", { question: "long [[fake:slow:3000]]" });
    assert.ok(await eventually(() => promptsBySession(server.log()).length === 1));
    const editorAsk = server.command("ask", { tool: "consult", args: { question: "editor's long one [[fake:slow:20000]]" } });
    assert.ok(await eventually(async () => (await status(server)).turns.length === 2), "two turns side by side");
    const turns = (await status(server)).turns;
    const editorTurn = turns.find((turn: any) => turn.client === "VS Code (Codex Fusion)");
    assert.ok(editorTurn?.forked, JSON.stringify(turns));
    const cancel = await server.command("cancelTurn", { id: editorTurn.id });
    assert.deepEqual(cancel.ok && cancel.result, { cancelled: true });
    const editorResult = await editorAsk;
    assert.ok(editorResult.ok);
    assert.equal((editorResult.result as any).result.stopReason, "cancelled");
    const longDone = await long;
    assert.ok(!longDone.isError, textOf(longDone));
    assert.equal(sc(longDone).verdict, "consensus", "the other turn was not touched");

    const editorReply = await server.command("ask", { tool: "reply", args: { message: "editor follows up" } });
    assert.ok(editorReply.ok);
    assert.equal((editorReply.result as any).result.sessionId, editorTurn.sessionId, "the editor's reply continues its own (forked) conversation");
    const started = server.events.filter((event) => event.type === "turnStarted");
    assert.ok(started.some((event) => event.type === "turnStarted" && event.forked === true && event.sessionId === editorTurn.sessionId));
  } finally {
    await server.stop();
  }
});

test("each turn keeps its own permissions: permit answers its caller's own request; the editor decides another", async () => {
  const server = await startShared();
  try {
    const a = await server.connect("a");
    const b = await server.connect("b");
    const pausedA = sc(await a.call("consult", { question: "run [[fake:permission:touch a]]" }));
    const pausedB = sc(await b.call("consult", { question: "run [[fake:permission:touch b]]" }));
    assert.equal(pausedA.pendingPermission.command, "touch a");
    assert.equal(pausedB.pendingPermission.command, "touch b");
    assert.notEqual(pausedA.pendingPermission.id, pausedB.pendingPermission.id);
    const both = await status(server);
    assert.deepEqual(both.turns.map((turn: any) => turn.waitingForPermission), [true, true]);
    assert.deepEqual(
      both.pendingPermissions.map((view: any) => view.turnId).sort(),
      both.turns.map((turn: any) => turn.id).sort(),
      "each pending request names its turn",
    );
    // b's permit without an id answers b's own request, not the older one of a.
    const doneB = await b.call("permit", { decision: "allow" });
    assert.match(textOf(doneB), /ran touch b \(option allow_once\)/);
    // The editor answers a's; a's permit then gets the outcome it would have received.
    const decided = await server.command("decidePermission", { id: pausedA.pendingPermission.id, decision: "allow" });
    assert.ok(decided.ok);
    assert.ok(await eventually(async () => (await status(server)).turns.length === 0));
    const late = await a.call("permit", { decision: "allow" });
    assert.ok(!late.isError, textOf(late));
    assert.match(textOf(late), /ran touch a \(option allow_once\)/);
    const none = await b.call("permit", { decision: "allow" });
    assert.equal(none.isError, true);
    assert.match(textOf(none), /Nothing to permit/);
  } finally {
    await server.stop();
  }
});

test("reset with two turns running: both end, every session is dropped (the fork closed), the next ask starts afresh", async () => {
  const server = await startShared();
  try {
    const a = await server.connect("a");
    const b = await server.connect("b");
    const one = a.call("consult", { question: "one [[fake:slow:20000]]" });
    assert.ok(await eventually(() => promptsBySession(server.log()).length === 1));
    const two = b.call("consult", { question: "two [[fake:slow:20000]]" });
    assert.ok(await eventually(async () => (await status(server)).turns.length === 2));
    const reset = await a.call("reset");
    assert.match(textOf(reset), /and 1 parallel session closed \(2 turns were cancelled\)/);
    for (const result of await Promise.all([one, two])) {
      assert.equal(result.isError, true);
      assert.match(textOf(result), /was reset while Codex was answering/);
    }
    const closed = server.log().filter((line) => line.method === "session/close").map((line) => line.params.sessionId);
    assert.equal(closed.length, 2, "the main session and the fork");
    const after = sc(await b.call("reply", { message: "still there?" }));
    assert.ok(!closed.includes(after.sessionId), "a fresh session");
  } finally {
    await server.stop();
  }
});

test("a crash fails every running turn, the main session is reloaded, and a lost fork's conversation continues on it", async () => {
  const server = await startShared();
  try {
    const a = await server.connect("a");
    const b = await server.connect("b");
    const long = a.call("consult", { question: "long [[fake:slow:20000]]" });
    assert.ok(await eventually(() => promptsBySession(server.log()).length === 1));
    const mainId = promptsBySession(server.log())[0]!.sessionId;
    const crashed = await b.call("consult", { question: "boom [[fake:crash]]" });
    assert.equal(crashed.isError, true);
    assert.match(textOf(crashed), /The Codex agent exited \(code 3\)/);
    const longResult = await long;
    assert.equal(longResult.isError, true);
    assert.match(textOf(longResult), /The Codex agent exited \(code 3\)/);
    // b's conversation was on the fork, lost with the agent: it starts again on the reloaded main session (idle now,
    // so no fork is needed), and is told so.
    const again = await b.call("reply", { message: "are you back?" });
    assert.ok(!again.isError, textOf(again));
    assert.match(sc(again).contextNote, /reloaded the previous session: context kept|parallel session went with it/);
    const log = server.log();
    assert.ok(log.some((line) => line.method === "session/load" && line.params.sessionId === mainId), "the main session was reloaded");
    assert.equal(sc(again).sessionId, mainId, "b continues on the reloaded main session");
    const aAgain = sc(await a.call("reply", { message: "and you?" }));
    assert.equal(aAgain.sessionId, mainId, "a's conversation continues on the reloaded main session");
  } finally {
    await server.stop();
  }
});

test("Codex's own reviewer on a fork: a fork has its main session's commands (codex-acp announces none for forks)", async () => {
  const server = await startShared();
  try {
    const busy = await server.connect("busy-client");
    const reviewer = await server.connect("reviewer");
    const slow = busy.call("consult", { question: "hold the main session [[fake:slow:3000]]" });
    assert.ok(await eventually(() => promptsBySession(server.log()).length === 1), "the main session is busy");
    const review = await reviewer.call("review_diff", { target: "uncommitted" });
    assert.ok(!review.isError, textOf(review));
    assert.notEqual(sc(review).sessionId, sc(await slow).sessionId, "the review ran on a fork");
    assert.equal(sc(review).reviewer, "codex", "the fork used Codex's reviewer, not the fallback prompt");
    assert.ok(server.log().some((line) => line.method === "session/prompt" && JSON.stringify(line.params.prompt).includes('"/review')));
  } finally {
    await server.stop();
  }
});
