// The review gate as Claude Code runs it: `node dist/server.js hook stop` with the hook input on stdin, against the
// scripted fake ACP agent (a `[[fake:…]]` marker in the changed file picks what Codex answers). What the hook prints
// is what Claude Code reads: `{"decision":"block","reason":…}`, `{"systemMessage":…}` or nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { hermeticEnv, isolatedHome } from "../fixtures/home";
import { changeApp, gitRepo } from "../fixtures/git-repo";
import { FAKE_AGENT, SERVER, prompts, tempDir, type LogLine } from "./harness";
import { startHttp } from "./httpHarness";

interface HookRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The JSON the hook printed, or null for an empty answer. */
  reply: { decision?: string; reason?: string; systemMessage?: string } | null;
}

interface GateEnv {
  workspace: string;
  stateDir: string;
  logFile: string;
  env: Record<string, string>;
  log(): LogLine[];
}

function gateEnv(workspace: string, extra: Record<string, string> = {}): GateEnv {
  const scratch = tempDir("fusion-gate-");
  const logFile = path.join(scratch, "agent.log");
  const stateDir = path.join(scratch, "state");
  return {
    workspace,
    stateDir,
    logFile,
    env: hermeticEnv(isolatedHome(scratch), {
      CLAUDE_PROJECT_DIR: workspace,
      CODEX_FUSION_STATE_DIR: stateDir,
      CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT]),
      FAKE_AGENT_LOG: logFile,
      FAKE_AGENT_INSTANT: "1",
      ...extra,
    }),
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line)) : []),
  };
}

function runHook(gate: GateEnv, input: Record<string, unknown>, args: string[] = []): Promise<HookRun> {
  const child = spawn(process.execPath, [SERVER, "hook", "stop", ...args], { cwd: gate.workspace, env: gate.env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  child.stdin.end(JSON.stringify({ session_id: "session-1", hook_event_name: "Stop", cwd: gate.workspace, stop_hook_active: false, ...input }));
  return new Promise((resolve) => {
    child.on("close", (code) => resolve({ code, stdout, stderr, reply: stdout.trim() ? JSON.parse(stdout) : null }));
  });
}

const change = changeApp;

test("gate: blocks on a blocker with Codex's findings, once per prompt; skips an unchanged tree; allows a clean review", async () => {
  const workspace = gitRepo();
  const gate = gateEnv(workspace);
  change(workspace, "[[fake:blocker]]");

  const blocked = await runHook(gate, { prompt_id: "p1", last_assistant_message: "I changed the answer." });
  assert.equal(blocked.code, 0, blocked.stderr);
  assert.equal(blocked.reply?.decision, "block");
  assert.match(blocked.reply!.reason!, /found a blocker:\n- src\/app\.ts:3 — divides by zero when the list is empty/);
  assert.match(blocked.reply!.reason!, /1 lesser finding/);
  assert.match(blocked.reply!.reason!, /Fix each blocker/);
  const reviewed = prompts(gate.log());
  assert.equal(reviewed.length, 1);
  assert.match(reviewed[0]!, /\+export const answer = 41; \/\/ \[\[fake:blocker\]\]/, "the diff went to Codex");
  assert.match(reviewed[0]!, /I changed the answer\./, "with Claude's own summary");

  // Claude Code lost stop_hook_active: the round cap still lets the same prompt stop.
  const capped = await runHook(gate, { prompt_id: "p1" });
  assert.equal(capped.reply?.decision, undefined);
  assert.match(capped.reply!.systemMessage!, /already blocked 1 time\(s\) for this prompt/);

  // A new prompt that changed nothing: no review at all.
  const unchanged = await runHook(gate, { prompt_id: "p2" });
  assert.equal(unchanged.stdout, "");
  assert.equal(prompts(gate.log()).length, 1, "no second review of the same changes");

  change(workspace, "[[fake:clean]]");
  const clean = await runHook(gate, { prompt_id: "p3" });
  assert.equal(clean.reply?.decision, undefined);
  assert.match(clean.reply!.systemMessage!, /no blockers \(verdict CONSENSUS — ship it\)/);
  assert.equal(prompts(gate.log()).length, 2);
});

test("gate: a stop Claude makes while continuing after a stop hook is never reviewed nor blocked", async () => {
  const workspace = gitRepo();
  const gate = gateEnv(workspace);
  change(workspace, "[[fake:blocker]]");
  const run = await runHook(gate, { prompt_id: "p1", stop_hook_active: true });
  assert.equal(run.code, 0);
  assert.equal(run.stdout, "");
  assert.equal(gate.log().length, 0, "Codex was not even started");
});

test("gate: nothing to review (a clean tree, no git repository) lets Claude stop", async () => {
  const clean = await runHook(gateEnv(gitRepo()), { prompt_id: "p1" });
  assert.equal(clean.stdout, "");
  const plain = fs.realpathSync(tempDir("fusion-gate-plain-"));
  const notGit = await runHook(gateEnv(plain), { prompt_id: "p1" });
  assert.match(notGit.reply!.systemMessage!, /skipped — .* is not in a git repository/);
});

test("gate: when Codex cannot run (agent missing, not signed in, quota, timeout) Claude stops, and is told why", async () => {
  const missing = gitRepo();
  change(missing, "[[fake:blocker]]");
  const agentMissing = await runHook(gateEnv(missing, { CODEX_FUSION_ACP_COMMAND: "codex-acp-that-does-not-exist" }), { prompt_id: "p1" });
  const auth = gitRepo();
  change(auth, "[[fake:blocker]]");
  const notSignedIn = await runHook(gateEnv(auth, { FAKE_AGENT_REQUIRE_AUTH: "1" }), { prompt_id: "p1" });
  const quotaRepo = gitRepo();
  change(quotaRepo, "[[fake:quota]]");
  const quota = await runHook(gateEnv(quotaRepo), { prompt_id: "p1" });
  const slow = gitRepo();
  change(slow, "[[fake:silent]]");
  const slowGate = gateEnv(slow);
  const timedOut = await runHook(slowGate, { prompt_id: "p1" }, ["--timeout-sec", "5"]);

  for (const [run, why] of [
    [agentMissing, /Error agent_missing: Codex agent command not found/],
    [notSignedIn, /Error auth_required: .*codex login/],
    [quota, /Error model_error: .*usage limit/],
    [timedOut, /did not finish within 5 s/],
  ] as const) {
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.reply?.decision, undefined, `no block: ${run.stdout}`);
    assert.match(run.reply!.systemMessage!, /Codex could not review this turn, so Claude stops without a review/);
    assert.match(run.reply!.systemMessage!, why);
  }
  assert.ok(slowGate.log().some((line) => line.method === "session/cancel"), "the timed-out review was cancelled, not left running");
});

test("gate: Codex's permission requests are denied (nobody can answer them while Claude waits) and the review still ends", async () => {
  const workspace = gitRepo();
  const gate = gateEnv(workspace);
  change(workspace, "[[fake:permission]]");
  const run = await runHook(gate, { prompt_id: "p1" });
  assert.equal(run.reply?.decision, undefined);
  assert.match(run.reply!.systemMessage!, /no blockers/);
  assert.ok(gate.log().some((line) => line.event === "response" && JSON.stringify(line.result).includes("cancel")), "the permission was answered with the reject option");
});

test("gate: with the editor's server running, the review runs in the editor's Codex session", async () => {
  const workspace = gitRepo();
  const gate = gateEnv(workspace);
  const server = await startHttp({ FAKE_AGENT_INSTANT: "1" }, { workspace, stateDir: gate.stateDir });
  try {
    change(workspace, "[[fake:blocker]]");
    const run = await runHook(gate, { prompt_id: "p1" });
    assert.equal(run.reply?.decision, "block");
    const started = server.events.find((event) => event.type === "turnStarted") as Extract<(typeof server.events)[number], { type: "turnStarted" }>;
    assert.equal(started.tool, "review_diff");
    assert.equal(started.client, "Codex Fusion review gate");
    assert.equal(prompts(server.log()).length, 1, "the editor's agent reviewed");
    assert.equal(gate.log().length, 0, "no agent of the hook's own");
  } finally {
    await server.stop();
  }
});

test("hook: bad flags, a bad configuration and unknown hooks never block", async () => {
  const workspace = gitRepo();
  change(workspace, "[[fake:blocker]]");
  const bad = await runHook(gateEnv(workspace), { prompt_id: "p1" }, ["--timeout-sec", "0"]);
  assert.equal(bad.code, 0);
  assert.match(bad.reply!.systemMessage!, /could not run \(--timeout-sec must be a whole number from 5 to 3600, got "0"\)/);
  const badConfig = await runHook(gateEnv(workspace, { CODEX_FUSION_TURN_TIMEOUT_MS: "soon" }), { prompt_id: "p1" });
  assert.equal(badConfig.code, 0);
  assert.match(badConfig.reply!.systemMessage!, /could not run \(CODEX_FUSION_TURN_TIMEOUT_MS: .*\); Claude stops without a review/);
  const unknown = spawn(process.execPath, [SERVER, "hook", "nope"], { stdio: ["ignore", "pipe", "pipe"] });
  const code = await new Promise((resolve) => unknown.on("close", resolve));
  assert.equal(code, 1, "a non-blocking error for Claude Code (exit 2 would block)");
});
