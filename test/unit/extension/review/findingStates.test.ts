// A finding's state in the one review model (open, dismissed, fix proposed, fixed): the transitions, how a Codex
// fix's disposition moves the findings it was for (also later, when its change is applied or discarded), which
// findings Fix all with Codex takes, and the task it hands to Codex.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Finding } from "../../../../server/protocol/results";
import { fixOutcome, nextState, ReviewModel, type FindingStatus, type ReviewChange } from "../../../../extension/review/model";
import { fixAllTask } from "../../../../extension/review/findingText";
import type { Placement } from "../../../../extension/review/placement";

const findings: Finding[] = [
  { severity: "major", priority: 1, title: "Guard the retry count", body: "`retries` is unchecked.\n\nClamp it.", file: "src/app.ts", line: 12, endLine: 13 },
  { severity: "minor", title: "Name the timeout", body: "", file: "src/app.ts", line: 5 },
  { severity: "blocker", title: "Vendored file edited", body: "", file: "/usr/lib/x.js", line: 1 },
  { severity: "minor", title: "Add tests", body: "" },
];
const place = (f: Finding): Placement => (!f.file ? { kind: "none" } : f.file.startsWith("/") ? { kind: "outside", path: f.file } : { kind: "file", path: `/ws/${f.file}` });

function loaded(): { model: ReviewModel; seen: string[] } {
  const model = new ReviewModel();
  model.load({ turnId: "t1", summary: "the working tree", reviewer: "prompt", findings }, place);
  const seen: string[] = [];
  model.onDidChange((change: ReviewChange) => seen.push(change.kind === "fixes" ? `fixes ${change.entries.map((e) => `${e.id}=${e.state}`).join(",")}` : change.kind));
  return { model, seen };
}

const states = (model: ReviewModel): FindingStatus[] => (model.review?.entries ?? []).map((entry) => entry.state);

test("state transitions: a fix is proposed from open, lands from open or proposed, a dropped fix reopens; dismissed and fixed stay", () => {
  const table: [FindingStatus, Parameters<typeof nextState>[1], FindingStatus][] = [
    ["open", "proposed", "fix_proposed"],
    ["open", "applied", "fixed"],
    ["open", "dropped", "open"],
    ["open", "dismiss", "dismissed"],
    ["fix_proposed", "applied", "fixed"],
    ["fix_proposed", "dropped", "open"],
    ["fix_proposed", "dismiss", "dismissed"],
    ["fix_proposed", "proposed", "fix_proposed"],
    ["fixed", "dropped", "fixed"],
    ["fixed", "dismiss", "fixed"],
    ["fixed", "proposed", "fixed"],
    ["dismissed", "applied", "dismissed"],
    ["dismissed", "proposed", "dismissed"],
    ["dismissed", "dismiss", "dismissed"],
  ];
  for (const [from, event, to] of table) assert.equal(nextState(from, event), to, `${from} + ${event}`);
  assert.deepEqual(
    (["applied", "proposed", "discarded", "no_changes", "failed", undefined] as const).map(fixOutcome),
    ["applied", "proposed", "dropped", "dropped", "dropped", null],
  );
});

test("model: a proposed fix waits on its change; applying that change later marks its findings fixed, and only those", () => {
  const { model, seen } = loaded();
  assert.deepEqual(model.fixed(["t1#0", "t1#1"], "proposed", "change-a").map((e) => e.id), ["t1#0", "t1#1"]);
  assert.deepEqual(states(model), ["fix_proposed", "fix_proposed", "open", "open"]);
  assert.equal(model.entry("t1#0")?.change, "change-a");
  assert.deepEqual(model.settle("change-other", "applied"), [], "another change moves nothing");
  assert.deepEqual(model.settle("change-a", "applied").map((e) => e.id), ["t1#0", "t1#1"]);
  assert.deepEqual(states(model), ["fixed", "fixed", "open", "open"]);
  assert.equal(model.entry("t1#0")?.change, null);
  assert.deepEqual(model.settle("change-a", "dropped"), [], "a settled change is forgotten");
  assert.deepEqual(seen, ["fixes t1#0=fix_proposed,t1#1=fix_proposed", "fixes t1#0=fixed,t1#1=fixed"]);
  // Fixed findings keep their threads (they say what became of the fix) but leave Fix all.
  assert.deepEqual(model.placed().map((e) => e.id), ["t1#0", "t1#1"]);
  assert.deepEqual(model.fixable().map((e) => e.id), ["t1#3"], "outside the workspace: never handed to Codex");
});

test("model: a discarded change reopens its findings; Dismiss of a proposed fix drops it; a new review starts open", () => {
  const { model, seen } = loaded();
  model.fixed(["t1#0", "t1#1"], "proposed", "change-b");
  assert.equal(model.dismiss("t1#1"), true);
  assert.equal(model.entry("t1#1")?.change, null);
  assert.deepEqual(model.settle("change-b", "dropped").map((e) => e.id), ["t1#0"]);
  assert.deepEqual(states(model), ["open", "dismissed", "open", "open"]);
  assert.deepEqual(model.fixed(["t1#1", "missing"], "applied"), [], "a dismissed finding is not fixed; an unknown id is skipped");
  assert.equal(model.dismiss("t1#1"), false);
  model.fixed(["t1#3"], "applied");
  assert.deepEqual(seen, ["fixes t1#0=fix_proposed,t1#1=fix_proposed", "dismissed", "fixes t1#0=open", "fixes t1#3=fixed"]);
  model.load({ turnId: "t2", summary: "again", findings }, place);
  assert.deepEqual(states(model), ["open", "open", "open", "open"]);
  assert.deepEqual(model.settle("change-b", "applied"), []);
});

test("Fix all task: every open finding numbered with its label, place and text, and the check-first instruction", () => {
  const task = fixAllTask([findings[0]!, findings[3]!]);
  assert.equal(
    task,
    [
      "Codex reviewed this change and reported 2 open findings. Fix them in one change:",
      "1. [P1 · major] Guard the retry count (src/app.ts:12-13): `retries` is unchecked. Clamp it.",
      "2. [minor] Add tests",
      "For each, check whether it is right; if it is, fix it with the smallest change; if it is not, change nothing for it and say why. Say what you changed for each.",
    ].join("\n"),
  );
  assert.match(fixAllTask([findings[1]!]), /^Codex reviewed this change and reported 1 open finding\. /);
  const long = fixAllTask([{ severity: "minor", title: "x", body: "y".repeat(5000) }]);
  assert.ok(long.split("\n")[1]!.length <= 1500, "one finding's line is bounded");
});
