// Settings VS Code does not honour in a remote window are reported with where to set them; the walkthrough ticks
// from what happened.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MACHINE_SETTINGS, unhonouredSettings } from "../../../extension/settings";
import { walkthroughKeysFor, walkthroughStepId } from "../../../extension/walkthroughEvents";
import { WalkthroughKeys } from "../../../extension/commandIds";
import type { ControlEvent } from "../../../server/protocol/control";
import type { ServerStatus, TurnResult } from "../../../server/protocol/results";

test("a machine setting in the local User settings of a remote window is reported, with where to set it", () => {
  assert.deepEqual(MACHINE_SETTINGS, ["agentCommand", "logFile"]);
  const [unhonoured, ...rest] = unhonouredSettings(
    [
      { key: "agentCommand", local: ["/opt/codex-acp"], remote: undefined, effective: [] },
      { key: "logFile", local: undefined, remote: undefined, effective: "" },
    ],
    "ssh-remote",
  );
  assert.deepEqual(rest, []);
  assert.equal(unhonoured?.key, "agentCommand");
  const problem = unhonoured?.problem;
  assert.match(problem ?? "", /^codexFusion\.agentCommand is set in your User settings, but this is a remote window \(ssh-remote\)/);
  assert.match(problem ?? "", /Preferences: Open Remote Settings/);
});

test("honoured settings are not reported: a local window, a value also set remotely, nothing set", () => {
  assert.deepEqual(unhonouredSettings([{ key: "agentCommand", local: ["a"], remote: undefined, effective: ["a"] }], undefined), []);
  assert.deepEqual(unhonouredSettings([{ key: "agentCommand", local: ["a"], remote: ["b"], effective: ["b"] }], "wsl"), []);
  assert.deepEqual(unhonouredSettings([{ key: "logFile", local: undefined, remote: undefined, effective: "" }], "codespaces"), []);
});

const status = (agentAlive: boolean) => ({ agentAlive }) as ServerStatus;
const result = { answer: "", verdict: null, verdictText: null, findings: [], stopReason: "end_turn", durationMs: 1, sessionId: null } satisfies TurnResult;

test("walkthrough steps tick from what happened", () => {
  const finished = (tool: "consult" | "review_diff", isError = false): ControlEvent => ({ type: "turnFinished", id: "t", tool, client: null, summary: "", result, activity: [], isError, error: null, errorCode: null });
  assert.deepEqual(walkthroughKeysFor({ type: "serverState", state: "ready", status: status(true) }), [WalkthroughKeys.agentRuns]);
  assert.deepEqual(walkthroughKeysFor({ type: "serverState", state: "ready", status: status(false) }), []);
  assert.deepEqual(walkthroughKeysFor(finished("consult")), [WalkthroughKeys.agentRuns, WalkthroughKeys.codexAnswered]);
  assert.deepEqual(walkthroughKeysFor(finished("review_diff")), [WalkthroughKeys.agentRuns, WalkthroughKeys.codexAnswered, WalkthroughKeys.reviewed]);
  assert.deepEqual(walkthroughKeysFor(finished("review_diff", true)), []);
  assert.deepEqual(walkthroughKeysFor({ type: "turnStarted", id: "t", tool: "consult", client: "claude-code", summary: "", startedAt: 0 }), [WalkthroughKeys.claudeAsked]);
  assert.deepEqual(walkthroughKeysFor({ type: "turnStarted", id: "t", tool: "consult", client: "VS Code (Codex Fusion)", summary: "", startedAt: 0 }), []);
});

test("each key completes its step, by VS Code's step id", () => {
  assert.equal(walkthroughStepId("codex-fusion.codex-fusion", WalkthroughKeys.reviewed), "codex-fusion.codex-fusion#codexFusion.gettingStarted#review");
  assert.equal(walkthroughStepId("x.y", WalkthroughKeys.codexAnswered), "x.y#codexFusion.gettingStarted#signIn");
});

test("every walkthrough key completes a step of package.json's walkthrough, whose onContext event names the same key", async () => {
  const { readFileSync } = await import("node:fs");
  const manifest = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8"));
  const walkthrough = manifest.contributes.walkthroughs[0];
  for (const key of Object.values(WalkthroughKeys)) {
    const stepId = walkthroughStepId("e", key).split("#")[2];
    const step = walkthrough.steps.find((s: { id: string }) => s.id === stepId);
    assert.ok(step, `${key} → step ${stepId}`);
    assert.ok(step.completionEvents.includes(`onContext:${key}`), `${stepId} completes on ${key}`);
    assert.equal(walkthroughStepId("e", key).split("#")[1], walkthrough.id);
  }
  assert.match(walkthrough.description, new RegExp(`${["zero", "one", "two", "three", "four", "five", "six"][walkthrough.steps.length]} steps`), "the description counts the steps");
});
