// The review gate's decisions (server/hooks/gate.ts): when a stop is reviewed, what a review means for it, what
// Claude Code reads back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { blockReason, DEFAULT_GATE_OPTIONS, gateInstructions, hookOutput, judgeReview, planStop, type Plan } from "../../../../server/hooks/gate";
import { EMPTY_STATE, type GateState } from "../../../../server/hooks/gateState";
import type { ChangesResult } from "../../../../server/hooks/changes";
import type { TurnResult } from "../../../../server/protocol/results";

const changed: ChangesResult = { ok: true, changes: { diff: "+x\n", fingerprint: "f1", truncated: false, bytes: 3 } };
const options = DEFAULT_GATE_OPTIONS;

test("plan: what lets a stop through without a review, and in which order", () => {
  const cases: Array<[string, Parameters<typeof planStop>[0], GateState, ChangesResult, "review" | RegExp | "silent"]> = [
    ["a stop after a stop hook's block", { stop_hook_active: true, prompt_id: "p" }, EMPTY_STATE, changed, "silent"],
    ["the round cap for this prompt", { prompt_id: "p" }, { fingerprint: null, promptKey: "p", blocks: 1 }, changed, /already blocked 1 time\(s\) for this prompt/],
    ["blocks of an earlier prompt do not count", { prompt_id: "p2" }, { fingerprint: null, promptKey: "p", blocks: 1 }, changed, "review"],
    ["without prompt_id the session is the key", { session_id: "s" }, { fingerprint: null, promptKey: "s", blocks: 1 }, changed, /already blocked/],
    ["not a git repository", { prompt_id: "p" }, EMPTY_STATE, { ok: false, reason: "/w is not in a git repository" }, /skipped — \/w is not in a git repository\./],
    ["no changes", { prompt_id: "p" }, EMPTY_STATE, { ok: true, changes: { diff: "", fingerprint: "e", truncated: false, bytes: 0 } }, "silent"],
    ["the changes it already reviewed", { prompt_id: "p" }, { fingerprint: "f1", promptKey: "x", blocks: 0 }, changed, "silent"],
    ["new changes", { prompt_id: "p" }, { fingerprint: "f0", promptKey: "x", blocks: 0 }, changed, "review"],
  ];
  for (const [name, input, state, changes, expected] of cases) {
    let collected = false;
    const plan = planStop(input, state, () => ((collected = true), changes), options);
    if (expected === "review") {
      assert.ok(plan.review, name);
      continue;
    }
    assert.ok(!plan.review, name);
    if (expected === "silent") assert.deepEqual(plan.reply, { kind: "allow" }, name);
    else assert.match(plan.reply.kind === "allow" ? (plan.reply.message ?? "") : "", expected, name);
    if (input.stop_hook_active || state.blocks > 0) assert.equal(collected, name === "blocks of an earlier prompt do not count", `${name}: git only when needed`);
  }
  const capped = planStop({ prompt_id: "p" }, { fingerprint: null, promptKey: "p", blocks: 2 }, () => changed, { ...options, maxRounds: 3 });
  assert.ok(capped.review, "a higher cap allows more rounds");
});

const reviewing: Extract<Plan, { review: true }> = { review: true, promptKey: "p", blocksSoFar: 0, changes: changed.ok ? changed.changes : (undefined as never) };
const review = (overrides: Partial<TurnResult>): TurnResult => ({ answer: "", verdict: "consensus", verdictText: "fine", findings: [], stopReason: "end_turn", durationMs: 1, sessionId: "s", ...overrides });

test("judge: only a blocker blocks; the block is counted and the reviewed changes remembered", () => {
  const blocker = { severity: "blocker" as const, file: "src/a.ts", line: 3, title: "divides by zero", body: "" };
  const minor = { severity: "minor" as const, title: "naming", body: "" };
  const blocked = judgeReview({ kind: "result", result: review({ findings: [blocker, minor], verdict: "open", verdictText: "fix it" }) }, reviewing, EMPTY_STATE);
  assert.equal(blocked.reply.kind, "block");
  assert.deepEqual(blocked.state, { fingerprint: "f1", promptKey: "p", blocks: 1 });

  const clean = judgeReview({ kind: "result", result: review({ findings: [{ severity: "major", title: "slow", body: "" }, minor] }) }, reviewing, EMPTY_STATE);
  assert.deepEqual(clean.reply, { kind: "allow", message: "Codex review gate: no blockers (1 major, 1 minor, verdict CONSENSUS — fine)." });
  assert.deepEqual(clean.state, { fingerprint: "f1", promptKey: "p", blocks: 0 });
});

test("judge: a review that could not run or stopped early never blocks, and is not remembered as done", () => {
  const previous: GateState = { fingerprint: "f0", promptKey: "p0", blocks: 0 };
  const failed = judgeReview({ kind: "error", message: "Error auth_required: Codex is not signed in." }, reviewing, previous);
  assert.equal(failed.reply.kind, "allow");
  assert.match(failed.reply.kind === "allow" ? failed.reply.message! : "", /Codex could not review this turn, so Claude stops without a review\. Error auth_required/);
  assert.deepEqual(failed.state, previous);
  const cancelled = judgeReview({ kind: "result", result: review({ stopReason: "cancelled", findings: [{ severity: "blocker", title: "x", body: "" }] }) }, reviewing, previous);
  assert.equal(cancelled.reply.kind, "allow");
  assert.deepEqual(cancelled.state, previous);
});

test("the block reason lists the blockers with file:line, counts the rest, and says what to do", () => {
  const reason = blockReason(
    [
      { severity: "blocker", file: "src/a.ts", line: 3, title: "divides by zero", body: "" },
      { severity: "blocker", title: "no migration", body: "" },
    ],
    review({ findings: [{ severity: "blocker", title: "a", body: "" }, { severity: "blocker", title: "b", body: "" }, { severity: "minor", title: "c", body: "" }], verdict: "open", verdictText: "fix them" }),
  );
  assert.match(reason, /^Codex reviewed the changes of this turn and found 2 blockers:\n- src\/a\.ts:3 — divides by zero\n- no migration\n/);
  assert.match(reason, /\(and 1 lesser finding\(s\): 1 minor, verdict OPEN — fix them\)/);
  assert.match(reason, /Codex's verdict: OPEN — fix them/);
  assert.match(reason, /Fix each blocker before you finish, or, if you are sure one is not a problem, say why/);
});

test("hook output: block JSON, a message for the person, or nothing", () => {
  assert.deepEqual(JSON.parse(hookOutput({ kind: "block", reason: "r" })), { decision: "block", reason: "r" });
  assert.deepEqual(JSON.parse(hookOutput({ kind: "allow", message: "m" })), { systemMessage: "m" });
  assert.equal(hookOutput({ kind: "allow" }), "");
});

test("gate instructions: what counts as a blocker, Claude's own summary (clipped), and what to do with changes too large to inline", () => {
  const plain = gateInstructions({ last_assistant_message: "I fixed the cache." }, null);
  assert.match(plain, /Mark as \[blocker\] only what must be fixed/);
  assert.match(plain, /Claude's own summary of its turn: I fixed the cache\./);
  assert.doesNotMatch(plain, /too large/);
  assert.match(gateInstructions({}, 900_000), /too large to include \(900000 bytes\): inspect them with git diff and git status yourself/);
  assert.ok(gateInstructions({ last_assistant_message: "x".repeat(10_000) }, null).length < 2000);
});
