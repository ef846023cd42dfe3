// The editor's view of cost and context: meters for the tooltip and the Verdict panel, the warning before an
// expensive review, and the Continue Earlier Session… items. Pure functions; the real UI is in test/vscode/.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ServerStatus } from "../../../../server/protocol/results";
import { estimateTokens, meter, reviewWarning, usagePanelView, usageTooltipLines } from "../../../../extension/usage/usageView";
import { sessionItems } from "../../../../extension/usage/sessionItems";
import { DEFAULT_SETTINGS, readSettings } from "../../../../extension/settings";
import { isWebviewMessage } from "../../../../extension/verdictPanel/protocol";

function status(extra: Partial<ServerStatus> = {}): ServerStatus {
  return {
    workspace: "/ws",
    agentCommand: ["codex-acp"],
    agentAlive: true,
    agentPid: 1,
    sessionId: "s1",
    mode: "read-only",
    modeWarning: null,
    startup: null,
    turn: null,
    turns: [],
    maxParallelTurns: 3,
    parallelSessions: 0,
    queued: 0,
    pendingPermissions: [],
    guardian: { allowExternalReads: false, allowWrites: false, allowCommands: false },
    lastError: null,
    lastErrorCode: null,
    advice: null,
    continuity: { continuedFrom: Date.UTC(2026, 11, 6, 9, 30), note: null, earlierSessions: 2, resumeCommand: "codex resume s1", stateFile: "/state/s.json" },
    usage: {
      context: { used: 51_680, size: 258_400, leftPercent: 80 },
      lastTurnTokens: { total: 1200 },
      sessionTotalTokens: 4800,
      rateLimits: [
        { label: "codex 5h limit", usedPercent: 82, windowMinutes: 300, resets: "14:30", resetsAt: 1 },
        { label: "codex Weekly limit", usedPercent: 10, windowMinutes: 10080, resets: null, resetsAt: null },
      ],
      rateLimitsAt: 5,
    },
    ...extra,
  };
}

test("meters: context and each quota window, for the panel and the tooltip", () => {
  assert.equal(meter(30), "▰▰▰▱▱▱▱▱▱▱");
  assert.equal(meter(0), "▱".repeat(10));
  assert.equal(meter(120), "▰".repeat(10));
  const view = usagePanelView(status());
  assert.deepEqual(
    view.meters.map((m) => [m.label, m.percent]),
    [
      ["Context", 20],
      ["codex 5h limit", 82],
      ["codex Weekly limit", 10],
    ],
  );
  assert.match(view.meters[0]!.detail, /20 % used \(51,680 of 258,400 tokens\), 80 % left/);
  assert.equal(view.meters[1]!.detail, "codex 5h limit: 82 % used, resets 14:30");
  assert.equal(view.conversation, "Continued the conversation from 2026-12-06 09:30 UTC.");
  assert.equal(view.resumeCommand, "codex resume s1");
  assert.ok(isWebviewMessage({ type: "continueInCodex" }), "the panel's Continue in Codex button is a valid message");
  assert.deepEqual(usageTooltipLines(status()), [
    "Context: ▰▰▱▱▱▱▱▱▱▱ 20 % used, 51,680 of 258,400 tokens",
    "codex 5h limit: ▰▰▰▰▰▰▰▰▱▱ 82 % used, resets 14:30",
    "codex Weekly limit: ▰▱▱▱▱▱▱▱▱▱ 10 % used",
    "Continued the conversation from 2026-12-06 09:30 UTC.",
    "2 earlier Codex sessions for this workspace (Continue Earlier Session…)",
    "Tokens since the server started: 4,800",
  ]);
  // An older server (no usage, no continuity) shows nothing extra.
  const bare = status({ usage: undefined, continuity: undefined });
  assert.deepEqual(usagePanelView(bare), { meters: [], conversation: null, resumeCommand: null });
  assert.deepEqual(usageTooltipLines(null), []);
  // A note (why the conversation was not continued) wins over the time.
  assert.match(usagePanelView(status({ continuity: { ...status().continuity!, note: "A new Codex session was started: …" } })).conversation ?? "", /^A new Codex session/);
});

test("the review warning: a large diff, a nearly used quota window, both, or nothing", () => {
  const thresholds = { reviewTokens: 100_000, quotaPercent: 80 };
  assert.equal(estimateTokens(400_000), 100_000);
  assert.equal(reviewWarning(estimateTokens(4_000), status({ usage: { ...status().usage!, rateLimits: [] } }), thresholds), null, "small diff, no quota data");
  assert.equal(
    reviewWarning(120_000, status(), thresholds),
    "This review would send ~120,000 tokens; 82 % of the codex 5h limit is used (resets 14:30).",
  );
  assert.equal(reviewWarning(null, status(), thresholds), "82 % of the codex 5h limit is used (resets 14:30).", "Codex's own reviewer: size unknown");
  assert.equal(reviewWarning(1_000, status(), thresholds), "This review would send ~1,000 tokens; 82 % of the codex 5h limit is used (resets 14:30).");
  const calm = status({ usage: { ...status().usage!, rateLimits: [{ label: "codex 5h limit", usedPercent: 10, windowMinutes: 300, resets: null, resetsAt: null }] } });
  assert.equal(reviewWarning(50_000, calm, thresholds), null);
  assert.equal(reviewWarning(250_000, calm, thresholds), "This review would send ~250,000 tokens; that is more than the 206,720 tokens left in Codex's context.");
  assert.equal(reviewWarning(250_000, status(), { reviewTokens: 0, quotaPercent: 0 }), null, "0 turns both warnings off");
});

test("settings: the warning thresholds default, take valid numbers and refuse the rest", () => {
  assert.equal(DEFAULT_SETTINGS.reviewWarningTokens, 100_000);
  assert.equal(DEFAULT_SETTINGS.quotaWarningPercent, 80);
  const read = readSettings((key) => ({ reviewWarningTokens: 5000, quotaWarningPercent: 150 })[key as string]);
  assert.equal(read.settings.reviewWarningTokens, 5000);
  assert.equal(read.settings.quotaWarningPercent, 80);
  assert.match(read.problems.join(" "), /quotaWarningPercent should be a percentage from 0 to 100/);
});

test("Continue Earlier Session…: earlier sessions by title and last activity, the current one left out", () => {
  const items = sessionItems([
    { sessionId: "s2", title: "Codex Fusion review", updatedAt: "2026-12-06T10:00:00Z", current: true },
    { sessionId: "s1", title: "  ", updatedAt: "2026-12-05T08:15:00Z", current: false },
    { sessionId: "s0", title: "Plan review", updatedAt: null, current: false },
  ]);
  assert.deepEqual(items, [
    { label: "Untitled Codex session", description: "last active 2026-12-05 08:15 UTC", detail: "s1", sessionId: "s1" },
    { label: "Plan review", description: undefined, detail: "s0", sessionId: "s0" },
  ]);
});
