// The plan checkpoint's hook as Claude Code runs it: `node dist/server.js hook plan` with ExitPlanMode's PostToolUse
// input on stdin, against the scripted fake ACP agent (a `[[fake:…]]` marker in the plan picks what Codex answers).
// Here: the review is bounded in time, and the hook's own session ends with it (no agent left behind).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { hermeticEnv, isolatedHome } from "../fixtures/home";
import { FAKE_AGENT, SERVER, tempDir, type LogLine } from "./harness";

function runPlanHook(plan: string, args: string[]): Promise<{ code: number | null; reply: any; log: LogLine[] }> {
  const scratch = tempDir("fusion-plan-hook-");
  const workspace = tempDir("fusion-plan-hook-ws-");
  const logFile = path.join(scratch, "agent.log");
  const env = hermeticEnv(isolatedHome(scratch), {
    CLAUDE_PROJECT_DIR: workspace,
    CODEX_FUSION_STATE_DIR: path.join(scratch, "state"),
    CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT]),
    FAKE_AGENT_LOG: logFile,
  });
  const child = spawn(process.execPath, [SERVER, "hook", "plan", ...args], { cwd: workspace, env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.resume();
  const input = { session_id: "s1", cwd: workspace, hook_event_name: "PostToolUse", tool_name: "ExitPlanMode", tool_input: {}, tool_response: { plan, filePath: null } };
  child.stdin.end(JSON.stringify(input));
  const log = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line)) : []);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, reply: stdout.trim() ? JSON.parse(stdout) : null, log: log() })));
}

test("plan hook: a review that outlasts --timeout-sec is cancelled; Claude goes ahead and the agent is gone", async () => {
  const { code, reply, log } = await runPlanHook("1. Do it. [[fake:slow:600000]]", ["--timeout-sec", "5"]);
  assert.equal(code, 0);
  assert.equal(reply.hookSpecificOutput, undefined, "no critique");
  assert.match(reply.systemMessage, /^Codex plan checkpoint: Codex could not review the plan, so Claude goes ahead without it\. The review did not finish within 5 s\./);
  const pids = [...new Set(log.map((line) => line.pid))];
  assert.equal(pids.length, 1);
  assert.throws(() => process.kill(pids[0]!, 0), /ESRCH/, "the hook's agent ended with it");
});

test("plan hook: input that is not ExitPlanMode's, or has no plan, gets an empty answer and starts nothing", async () => {
  const { code, reply, log } = await runPlanHook("   ", []);
  assert.equal(code, 0);
  assert.equal(reply, null);
  assert.equal(log.length, 0, "no agent started");
});
