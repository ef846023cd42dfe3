// The scheduler with the real pieces under it — the agent host, the workspace session, the scripted fake ACP agent —
// but no turns running on the agent: where each ask is admitted, when it waits, forks made and closed, and the
// outcomes it keeps for callers. (Whole asks through the server are in parallel.test.ts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { AgentHost } from "../../server/agent/acp/agentHost";
import { WorkspaceSession } from "../../server/agent/sessions/workspaceSession";
import { MAIN } from "../../server/agent/sessions/sessionState";
import { TurnScheduler, type Admitted } from "../../server/agent/scheduling/scheduler";
import { Turn } from "../../server/agent/turn/turn";
import { ProgressReporter } from "../../server/progress";
import type { PermissionView } from "../../server/protocol/results";
import { hermeticEnv, isolatedHome } from "../fixtures/home";
import { FAKE_AGENT, tempDir } from "./harness";
import { SessionKeeper } from "../../server/sessions/keeper";

function setUp(maxParallelTurns: number) {
  const workspace = tempDir("fusion-sched-ws-");
  const scratch = tempDir("fusion-sched-");
  const host = new AgentHost({
    argv: [process.execPath, FAKE_AGENT],
    cwd: workspace,
    requestTimeoutMs: 30_000,
    baseEnv: hermeticEnv(isolatedHome(scratch), { FAKE_AGENT_STATE_DIR: path.join(scratch, "state") }),
    handlers: { onUpdate: () => {}, onPermission: async () => ({ outcome: { outcome: "cancelled" } }), onStderr: () => {} },
  });
  let changes = 0;
  const keeper = new SessionKeeper({ stateDir: path.join(scratch, "fusion-state"), workspace, agentCommand: [process.execPath, FAKE_AGENT] }, () => {}, (signal) => host.ensure(signal));
  const main = new WorkspaceSession(host, workspace, { changed: () => {}, distrust: (agent) => agent.killNow() }, { keeper });
  const scheduler = new TurnScheduler({ workspace, maxParallelTurns, main, changed: () => changes++ });
  return { host, main, scheduler, changes: () => changes };
}

const progressLines = () => {
  const lines: string[] = [];
  return { lines, progress: new ProgressReporter(async (_n, message) => void lines.push(message), 0) };
};

function ask(caller: string, reply = false) {
  return { caller, reply, progress: new ProgressReporter(null) };
}

function startTurn(scheduler: TurnScheduler, admitted: Admitted): Turn {
  const turn = new Turn({ tool: "consult", client: null, summary: admitted.slot.caller, idleTimeoutMs: 3_600_000, onIdle: () => {}, sessionId: () => admitted.session.id });
  scheduler.started(admitted, turn);
  return turn;
}

test("scheduler: the first ask opens the main session; a second caller's ask meanwhile runs on a fork; the limit queues a third", async (t) => {
  const { host, main, scheduler, changes } = setUp(2);
  t.after(() => host.stop(200));

  const first = await scheduler.admit(ask("a"));
  assert.ok(first);
  assert.equal(first.session.key, MAIN);
  assert.equal(first.session.id, main.sessionId);
  const firstTurn = startTurn(scheduler, first);

  const second = await scheduler.admit(ask("b"));
  assert.ok(second);
  assert.notEqual(second.session.key, MAIN, "the main session is busy: a fork");
  assert.equal(scheduler.forkCount, 1);
  const secondTurn = startTurn(scheduler, second);
  assert.deepEqual(scheduler.turns(), [firstTurn, secondTurn]);
  assert.equal(scheduler.turnOnSession(second.session.id), secondTurn);
  assert.equal(scheduler.sessionIdOf(secondTurn), second.session.id);
  assert.equal(scheduler.turnById(firstTurn.id), firstTurn);
  assert.deepEqual(scheduler.summaries().map((s) => s.forked), [false, true]);

  const waiting = progressLines();
  const third = scheduler.admit({ caller: "c", reply: false, progress: waiting.progress });
  assert.equal(scheduler.queued, 1);
  assert.match(waiting.lines.join("\n"), /Queued behind 2 other asks/);
  const before = changes();
  firstTurn.finish("end_turn");
  scheduler.release(first.slot);
  const admitted = await third;
  assert.ok(admitted);
  assert.equal(admitted.session.key, MAIN, "the main session is free again");
  assert.equal(scheduler.queued, 0);
  assert.ok(changes() > before, "status hears the queue move");
  scheduler.release(admitted.slot);

  // The caller of the fork goes away: its fork is closed once idle.
  secondTurn.finish("end_turn");
  scheduler.release(second.slot);
  assert.equal(scheduler.forkCount, 1, "b's conversation continues on its fork");
  scheduler.forget("b");
  assert.equal(scheduler.forkCount, 0);
});

test("scheduler: a reply waits for its own conversation; a caller is told when every turn ahead waits for a permission", async (t) => {
  const { host, scheduler } = setUp(3);
  t.after(() => host.stop(200));
  const first = await scheduler.admit(ask("a"));
  assert.ok(first);
  const turn = startTurn(scheduler, first);

  const waiting = progressLines();
  const reply = scheduler.admit({ caller: "a", reply: true, progress: waiting.progress });
  assert.equal(scheduler.queued, 1);
  assert.match(waiting.lines.join("\n"), /earlier ask in this conversation/);

  assert.deepEqual(scheduler.stuckBehind(ask("a", true)), [], "Codex is working, not waiting for a person");
  const request: PermissionView = {
    id: "perm-1", turnId: turn.id, kind: "execute", category: "command", title: "t", summary: "run `x`", command: "x", cwd: null, paths: [], reason: "r",
    justification: null, diffPreview: null, options: [], createdAt: Date.now(),
  };
  turn.pause(request);
  assert.deepEqual(scheduler.stuckBehind(ask("a", true)), [turn]);
  turn.resume("perm-1");

  turn.fail("timeout", "idle", "timeout");
  scheduler.release(first.slot);
  const next = await reply;
  assert.ok(next);
  assert.equal(next.session.key, MAIN, "the reply continues where its conversation is");
  assert.equal(scheduler.takeUncollected("a")?.kind, "failed", "the outcome nobody waited for is kept for its caller");
  assert.equal(scheduler.takeUncollected("a"), undefined, "once");
  scheduler.release(next.slot);
});

test("scheduler: a caller that gives up while waiting leaves the line; reset forgets conversations and closes forks", async (t) => {
  const { host, scheduler } = setUp(1);
  t.after(() => host.stop(200));
  const first = await scheduler.admit(ask("a"));
  assert.ok(first);
  startTurn(scheduler, first);
  const controller = new AbortController();
  const waiting = scheduler.admit({ ...ask("b"), signal: controller.signal });
  controller.abort();
  assert.equal(await waiting, null);
  assert.equal(scheduler.queued, 0);
  assert.equal(scheduler.dropAll(host.agent), 0);
  assert.equal(scheduler.takeLostConversation("a"), false);
});
