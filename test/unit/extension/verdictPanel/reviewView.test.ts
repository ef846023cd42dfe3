// The latest review as the verdict panel keeps it in view: its findings with their states from the review model,
// the counts line, what Fix all with Codex would take, and the webview's Fix all message checked on the host.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TurnsModel } from "../../../../extension/verdictPanel/turns";
import { toReviewView, toTurnView } from "../../../../extension/verdictPanel/views";
import { isWebviewMessage, type FindingState } from "../../../../extension/verdictPanel/protocol";
import { renderMarkdown } from "../../../../extension/verdictPanel/markdown";

function reviewTurn() {
  const model = new TurnsModel([], 50, () => 60_000);
  model.apply({
    type: "turnFinished",
    id: "r1",
    tool: "review_diff",
    client: "VS Code (Codex Fusion)",
    summary: "working tree vs HEAD",
    result: {
      answer: "VERDICT: OPEN — fix these",
      verdict: "open",
      verdictText: "fix these",
      findings: [
        { severity: "minor", title: "style", body: "" },
        { severity: "blocker", title: "race", body: "await it", file: "a.ts", line: 8 },
        { severity: "major", title: "leak", body: "", file: "b.ts" },
        { severity: "major", title: "vendored", body: "", file: "/usr/lib/x.js" },
      ],
      stopReason: "end_turn",
      durationMs: 1000,
      sessionId: "s1",
    },
    activity: [],
    isError: false,
    error: null,
    errorCode: null,
  });
  return model.history[0]!;
}

test("the latest review's view: states from the model, counted; Fix all takes the open ones", () => {
  const states: FindingState[] = ["unplaced", "fixed", "fix_proposed", "outside"];
  const turn = toTurnView(reviewTurn(), renderMarkdown, (index) => states[index] ?? null);
  const view = toReviewView(turn, 1);
  assert.equal(view.turnId, "r1");
  assert.match(view.title, /^Diff review · .+ — working tree vs HEAD$/);
  assert.equal(view.counts, "4 findings: 2 open · 1 fix proposed · 1 fixed");
  assert.equal(view.fixable, 1);
  assert.deepEqual(view.findings.map((f) => [f.title, f.state, f.openable]), [
    ["race", "fixed", true],
    ["leak", "fix_proposed", true],
    ["vendored", "outside", false],
    ["style", "unplaced", false],
  ]);
  const dismissed = toReviewView(toTurnView(reviewTurn(), renderMarkdown, () => "dismissed"), 0);
  assert.equal(dismissed.counts, "4 findings: 4 dismissed");
  assert.equal(dismissed.fixable, 0);
  const none = toReviewView({ ...turn, findings: [] }, 0);
  assert.equal(none.counts, "no findings");
});

test("Fix all from the webview is checked: a turn id, nothing else", () => {
  assert.equal(isWebviewMessage({ type: "fixAll", turnId: "r1" }), true);
  assert.equal(isWebviewMessage({ type: "fixAll" }), false);
  assert.equal(isWebviewMessage({ type: "fixAll", turnId: 3 }), false);
});
