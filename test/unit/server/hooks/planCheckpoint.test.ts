// The plan checkpoint (server/hooks/planCheckpoint.ts, planState.ts, and its hook in extension/claudeHooks.ts): which
// plan is reviewed, once; what Claude and the person read; the PostToolUse hook is added and removed like the gate.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { isGateHook, isPlanHook, mergeHooks, planHook, readHooksState } from "../../../../extension/claudeCode/claudeHooks";
import { judgePlanReview, MAX_PLAN_CHARS, planFingerprint, planHookOutput, planOf } from "../../../../server/hooks/planCheckpoint";
import { parsePlanOptions } from "../../../../server/hooks/planHook";
import { markReviewed, planStatePath, wasReviewed } from "../../../../server/hooks/planState";
import type { TurnResult } from "../../../../server/protocol/results";
import { tempDir } from "../../../integration/harness";

const COPY = "/home/u/.config/Code/User/globalStorage/codex-fusion.codex-fusion/server/codex-fusion-mcp.js";
const noFile = () => null;

test("the plan comes from ExitPlanMode's response, else its input, else its plan file; other tools and empty plans are not reviewed", () => {
  const files: Record<string, string> = { "/h/.claude/plans/a.md": "# From the file\n1. step", "/h/notes.txt": "not a plan" };
  const read = (file: string) => files[file] ?? null;
  assert.equal(planOf({ tool_name: "ExitPlanMode", tool_input: {}, tool_response: { plan: "  1. Cache.\n2. Test.\n", filePath: "/h/.claude/plans/a.md" } }, read), "1. Cache.\n2. Test.");
  assert.equal(planOf({ tool_name: "ExitPlanMode", tool_input: { plan: "old-style plan" }, tool_response: {} }, read), "old-style plan");
  assert.equal(planOf({ tool_name: "ExitPlanMode", tool_input: {}, tool_response: { plan: null, filePath: "/h/.claude/plans/a.md" } }, read), "# From the file\n1. step");
  assert.equal(planOf({ tool_name: "ExitPlanMode", tool_response: { plan: null, filePath: "/h/notes.txt" } }, read), null, "only a .md plan file is read");
  assert.equal(planOf({ tool_name: "Write", tool_input: { plan: "x" } }, read), null);
  assert.equal(planOf({ tool_name: "ExitPlanMode", tool_response: { plan: "   " } }, noFile), null);
  assert.equal(planOf({ tool_name: "ExitPlanMode", tool_response: { plan: "x".repeat(MAX_PLAN_CHARS + 50) } }, noFile)!.length, MAX_PLAN_CHARS);
});

test("one review per plan: a plan is remembered per Claude Code session once Codex answered", () => {
  const stateDir = tempDir("fusion-plan-state-");
  const file = planStatePath(stateDir, "session-1");
  assert.equal(path.dirname(file), path.join(stateDir, "plan-checkpoint"));
  const first = planFingerprint("1. Cache.");
  assert.equal(wasReviewed(file, first), false);
  markReviewed(file, first);
  assert.equal(wasReviewed(file, first), true);
  assert.equal(wasReviewed(file, planFingerprint("1. Cache. 2. Test.")), false, "a changed plan is a new plan");
  assert.equal(wasReviewed(planStatePath(stateDir, "session-2"), first), false, "another session reviews it again");
  for (let i = 0; i < 30; i++) markReviewed(file, planFingerprint(`plan ${i}`));
  assert.equal(wasReviewed(file, planFingerprint("plan 29")), true);
  assert.equal(wasReviewed(file, first), false, "old plans fall off");
});

const result = (over: Partial<TurnResult>): TurnResult => ({
  answer: "Verdict: sound with changes.\n1. [major] Step 2 forgets invalidation.\n\nVERDICT: OPEN — invalidate on write",
  verdict: "open",
  verdictText: "invalidate on write",
  findings: [],
  stopReason: "end_turn",
  durationMs: 5,
  sessionId: "s",
  ...over,
});

test("Claude reads the critique as context before implementing; the person sees the verdict; errors never block", () => {
  const reviewed = judgePlanReview({ kind: "result", result: result({}) });
  assert.match(reviewed.context!, /^Codex \(an independent reviewer, read-only in this workspace\) reviewed the plan you just left plan mode with/);
  assert.match(reviewed.context!, /1\. \[major\] Step 2 forgets invalidation\.\n\nVERDICT: OPEN/, "the critique keeps its lines");
  assert.equal(reviewed.message, "Codex plan checkpoint: Codex reviewed the plan (verdict OPEN — invalidate on write).");
  assert.deepEqual(JSON.parse(planHookOutput(reviewed)), {
    systemMessage: reviewed.message,
    hookSpecificOutput: { hookEventName: "PostToolUse", additionalContext: reviewed.context },
  });

  const failed = judgePlanReview({ kind: "error", message: "Error auth_required: sign in" });
  assert.equal(failed.context, undefined);
  assert.match(failed.message!, /Codex could not review the plan, so Claude goes ahead without it\. Error auth_required/);
  assert.deepEqual(Object.keys(JSON.parse(planHookOutput(failed))), ["systemMessage"], "no decision: nothing blocks");
  assert.match(judgePlanReview({ kind: "result", result: result({ stopReason: "cancelled" }) }).message!, /stopped early \(cancelled\)/);
  assert.equal(planHookOutput({}), "");
  assert.throws(() => parsePlanOptions(["--timeout-sec", "2"]), /--timeout-sec must be a whole number from 5 to 3600, got "2"/);
  assert.deepEqual(parsePlanOptions([]), { timeoutSec: 300 });
});

test("plan hook in settings.local.json: PostToolUse on ExitPlanMode, added and removed without touching the gate or the person's hooks", () => {
  const hook = planHook(COPY, "linux");
  assert.deepEqual(hook, { type: "command", command: `node ${COPY} hook plan --timeout-sec 300`, timeout: 330 });
  assert.ok(isPlanHook(hook) && !isGateHook(hook));
  assert.ok(isPlanHook({ type: "command", command: "node /repo/dist/server.js hook plan" }));
  assert.ok(!isPlanHook({ type: "command", command: "node x.js hook planner" }));
  const mine = { matcher: "Bash", hooks: [{ type: "command", command: "./after-bash.sh" }] };
  const added = mergeHooks(JSON.stringify({ hooks: { PostToolUse: [mine] } }), { plan: hook });
  assert.ok(added.ok && added.change === "changed");
  const json = JSON.parse(added.text);
  assert.deepEqual(json.hooks.PostToolUse, [mine, { matcher: "ExitPlanMode", hooks: [hook] }]);
  assert.deepEqual(readHooksState(json), { gate: false, clearReset: false, plan: true });
  const again = mergeHooks(added.text, { plan: hook });
  assert.ok(again.ok && again.change === "unchanged");
  const removed = mergeHooks(added.text, { plan: null });
  assert.ok(removed.ok);
  assert.deepEqual(JSON.parse(removed.text), { hooks: { PostToolUse: [mine] } });
});
