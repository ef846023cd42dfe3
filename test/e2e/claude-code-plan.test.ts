// The plan checkpoint with the REAL Claude Code CLI: the model writes its plan file in plan mode and leaves plan mode
// (ExitPlanMode); our PostToolUse hook has Codex (the scripted fake agent) review the plan, and the model receives the
// critique before its first implementing turn. Headless Claude Code offers ExitPlanMode only with a permission prompt
// tool, so the run approves prompts over stdio as a person would.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startFakeAnthropic, type FakeAnthropic, type ModelScript } from "../fixtures/fake-anthropic";
import { claudeEnv, runClaude, transcriptAttachments } from "../fixtures/claude-cli";
import { isolatedHome } from "../fixtures/home";
import { FAKE_AGENT, SERVER, prompts, tempDir, type LogLine } from "../integration/harness";
import { mergeHooks, planHook } from "../../extension/claudeCode/claudeHooks";

const PLAN = "# Cache the answers\n1. Add an in-memory cache in src/cache.ts.\n2. Use it in src/app.ts. [[fake:open]]\n";

function setup() {
  const scratch = tempDir("fusion-plan-");
  const workspace = fs.realpathSync(tempDir("fusion-plan-ws-"));
  const logFile = path.join(scratch, "agent.log");
  const merged = mergeHooks(null, { plan: planHook(SERVER, process.platform) });
  assert.ok(merged.ok);
  fs.mkdirSync(path.join(workspace, ".claude"));
  fs.writeFileSync(path.join(workspace, ".claude", "settings.local.json"), merged.text);
  return {
    workspace,
    home: isolatedHome(scratch),
    agentEnv: { CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT]), FAKE_AGENT_LOG: logFile, FAKE_AGENT_INSTANT: "1" },
    agentLog: (): LogLine[] => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line)) : []),
  };
}

/** Plan mode as a model does it: write the plan file Claude Code names, leave plan mode; then `after` per turn. */
function planThenExit(after: ModelScript): ModelScript {
  let planFile = "";
  return (conversation) => {
    if (conversation.index === 0) {
      planFile = /create your plan at (\S+?\.md)/.exec(JSON.stringify(conversation.request.body))?.[1] ?? "no plan file named";
      return [{ type: "tool_use", name: "Write", input: { file_path: planFile, content: PLAN } }];
    }
    if (conversation.index === 1) return [{ type: "tool_use", name: "ExitPlanMode", input: {} }];
    return after(conversation);
  };
}

/**
 * What the model received right after each time it left plan mode: ExitPlanMode's result and the system text Claude
 * Code added (the hook's context lands there). ExitPlanMode is a deferred tool: the fake loads it with ToolSearch.
 */
function afterExits(fake: FakeAnthropic): string[] {
  return fake
    .turns()
    .map((turn) => JSON.stringify(turn.body.messages.slice(-2)))
    .filter((text) => text.includes("User has approved your plan"));
}

test("plan checkpoint: leaving plan mode, Claude receives Codex's critique of the plan before it implements; the same plan is reviewed once", async () => {
  const s = setup();
  const fake = await startFakeAnthropic(
    planThenExit(({ index }) => {
      // Back into plan mode and out again with the unchanged plan: not reviewed a second time.
      if (index === 2) return [{ type: "tool_use", name: "EnterPlanMode", input: {} }];
      if (index === 3) return [{ type: "tool_use", name: "ExitPlanMode", input: {} }];
      return [{ type: "text", text: "Implementing." }];
    }),
  );
  try {
    const run = await runClaude({ cwd: s.workspace, env: claudeEnv(s.home, fake, s.agentEnv), prompt: "Plan a cache.", allowedTools: "Write", args: ["--permission-mode", "plan"], approvePrompts: true });
    assert.equal(run.code, 0, run.stderr);
    const [received, second] = afterExits(fake);
    assert.match(received!, /PostToolUse:ExitPlanMode hook additional context: Codex \(an independent reviewer, read-only in this workspace\) reviewed the plan you just left plan mode with/);
    assert.match(received!, /fake-agent turn 1 of session[^"]*VERDICT: OPEN — needs tests/, "Codex's critique itself");
    const reviews = prompts(s.agentLog());
    assert.equal(reviews.length, 1, "one review per plan");
    assert.match(reviews[0]!, /Add an in-memory cache in src\/cache\.ts/, "Codex was given the plan");
    assert.match(reviews[0]!, /Claude Code has just left plan mode with this plan/);
    assert.ok(second, "left plan mode a second time");
    assert.doesNotMatch(second, /hook additional context/, "the unchanged plan brought no second critique");
  } finally {
    await fake.close();
  }
});

test("plan checkpoint: when Codex cannot run, Claude goes ahead without a critique (never blocked)", async () => {
  const s = setup();
  const fake = await startFakeAnthropic(planThenExit(() => [{ type: "text", text: "Implementing." }]));
  try {
    const env = claudeEnv(s.home, fake, { ...s.agentEnv, FAKE_AGENT_REQUIRE_AUTH: "1" });
    const run = await runClaude({ cwd: s.workspace, env, prompt: "Plan a cache.", allowedTools: "Write", args: ["--permission-mode", "plan"], approvePrompts: true });
    assert.equal(run.code, 0, run.stderr);
    const [received] = afterExits(fake);
    assert.ok(received, "left plan mode");
    assert.doesNotMatch(received, /hook additional context/);
    assert.equal(JSON.stringify(fake.turns().at(-1)!.body.messages.slice(-2)), received, "the turn after leaving plan mode is Claude implementing");
    assert.equal(run.events.at(-1)?.subtype, "success");
    const shown = transcriptAttachments(s.home).find((attachment) => attachment.type === "hook_system_message" && attachment.hookName === "PostToolUse:ExitPlanMode");
    assert.match(shown?.content ?? "", /^Codex plan checkpoint: Codex could not review the plan, so Claude goes ahead without it\. Error auth_required/, "the person is told why");
  } finally {
    await fake.close();
  }
});
