// The REAL Claude Code CLI (pinned devDependency) as the client, offline: its model is the scripted fake Anthropic
// API, Codex is the scripted fake ACP agent. Every test asserts on what the model received, as the fake API recorded
// it: the tool_result blocks Claude Code built from our results, the expanded slash commands, the gate's block.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startFakeAnthropic, type ModelScript } from "../fixtures/fake-anthropic";
import { claudeEnv, hookResponses, runClaude, transcriptAttachments, writeMcpConfig } from "../fixtures/claude-cli";
import { isolatedHome } from "../fixtures/home";
import { changeApp, gitRepo } from "../fixtures/git-repo";
import { FAKE_AGENT, SERVER, prompts, tempDir, type LogLine } from "../integration/harness";
import { clearResetHook, gateHook, mergeHooks, type WantedHooks } from "../../extension/claudeCode/claudeHooks";

const tool = (name: string) => `mcp__codex-fusion__${name}`;

interface Setup {
  workspace: string;
  home: ReturnType<typeof isolatedHome>;
  agentLog(): LogLine[];
  /** The fake agent and its log, for the server Claude Code starts and for the gate's hooks. */
  agentEnv: Record<string, string>;
  mcpConfig: string;
}

function setup(workspace = fs.realpathSync(tempDir("fusion-claude-ws-"))): Setup {
  const scratch = tempDir("fusion-claude-");
  const home = isolatedHome(scratch);
  const logFile = path.join(scratch, "agent.log");
  const agentEnv = {
    CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT]),
    FAKE_AGENT_LOG: logFile,
    FAKE_AGENT_INSTANT: "1",
  };
  return {
    workspace,
    home,
    agentEnv,
    mcpConfig: writeMcpConfig(scratch, [SERVER, "--standalone"], agentEnv),
    agentLog: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line)) : []),
  };
}

/** Writes the project's .claude/settings.local.json as the extension's commands do; returns what it wrote. */
function installHooks(workspace: string, wanted: WantedHooks): any {
  const merged = mergeHooks(null, wanted);
  assert.ok(merged.ok);
  fs.mkdirSync(path.join(workspace, ".claude"), { recursive: true });
  fs.writeFileSync(path.join(workspace, ".claude", "settings.local.json"), merged.text);
  return JSON.parse(merged.text);
}

/** A model that calls one tool per step, then answers "done". */
function steps(...calls: Array<[string, Record<string, unknown>]>): ModelScript {
  return ({ index }) => {
    const call = calls[index];
    return call ? [{ type: "tool_use", name: tool(call[0]), input: call[1] }] : [{ type: "text", text: "done" }];
  };
}

test("consult: the model receives Codex's answer and verdict, and what to do about an OPEN one, once", async () => {
  const s = setup();
  const fake = await startFakeAnthropic(steps(["consult", { question: "Is the cache invalidation right? [[fake:open]]" }]));
  try {
    const run = await runClaude({ cwd: s.workspace, env: claudeEnv(s.home, fake), prompt: "Ask Codex about the cache.", mcpConfig: s.mcpConfig });
    assert.equal(run.code, 0, run.stderr);
    const [received] = fake.toolResults();
    assert.equal(received?.toolName, tool("consult"));
    assert.ok(!received!.is_error);
    // Claude Code hands the model the structured result, as JSON text.
    const result = JSON.parse(received!.text);
    assert.match(result.answer, /Findings:\n- \[major\] src\/app\.ts:12 — example finding/);
    assert.equal(result.verdict, "open");
    assert.equal(result.verdictText, "needs tests");
    assert.deepEqual(result.findings, [{ severity: "major", title: "example finding", body: "", file: "src/app.ts", line: 12 }]);
    assert.match(result.next, /verdict is OPEN: address its open point, or reply/);
    assert.equal(received!.text.split("I read the change and the surrounding code.").length - 1, 1, "the answer reaches the model once");
    // Deferred tools: the first turn names the tools and carries the server's instructions; the model loads consult.
    const system = JSON.stringify(fake.turns()[0]!.body);
    assert.ok(!fake.turns()[0]!.body.tools.some((offered: any) => offered.name === tool("consult")), "consult is deferred");
    assert.match(system, /deferred tools are now available via ToolSearch[^]*mcp__codex-fusion__consult/);
    assert.match(system, /# MCP Server Instructions[^]*## codex-fusion\\nCodex Fusion lets you consult OpenAI Codex/);
    assert.match(system, /If your tools are deferred \(loaded by a tool search\), load permit and reply together with the ask/);
    assert.deepEqual(fake.toolSearches(), [{ query: `select:${tool("consult")}`, loaded: [tool("consult")] }]);
  } finally {
    await fake.close();
  }
});

test("a permission: the paused result tells the model to call permit and what Codex wants; permit brings the rest of the answer in the same turn", async () => {
  const s = setup();
  const fake = await startFakeAnthropic(({ index, toolResults }) => {
    if (index === 0) return [{ type: "tool_use", name: tool("consult"), input: { question: "Run the tests [[fake:permission:npm test]]" } }];
    const paused = index === 1 ? JSON.parse(String(toolResults[0]?.content ?? "{}")) : null;
    // The scripted model does what the result says: permit, with the decision it names.
    if (paused?.next?.includes('Call permit with decision "allow"')) return [{ type: "tool_use", name: tool("permit"), input: { decision: "allow" } }];
    return [{ type: "text", text: "done" }];
  });
  try {
    const run = await runClaude({ cwd: s.workspace, env: claudeEnv(s.home, fake), prompt: "Have Codex run the tests.", mcpConfig: s.mcpConfig });
    assert.equal(run.code, 0, run.stderr);
    const [asked, permitted] = fake.toolResults();
    const paused = JSON.parse(asked!.text);
    assert.equal(paused.stopReason, "permission_required");
    assert.match(paused.next, /^Codex is waiting for a decision before it can continue: it wants to run `npm test` in the workspace/);
    assert.match(paused.next, /Call permit with decision "allow" \(this once\), "allow_session" .* or "deny"/);
    assert.deepEqual(
      { command: paused.pendingPermission.command, category: paused.pendingPermission.category },
      { command: "npm test", category: "command" },
    );
    assert.equal(paused.pendingPermission.options, undefined, "the agent's option ids are not the model's business");
    assert.equal(permitted?.toolName, tool("permit"));
    const finished = JSON.parse(permitted!.text);
    assert.match(finished.answer, /ran npm test \(option allow_once\)/);
    assert.equal(finished.verdict, "consensus");
    assert.match(finished.notes.join("\n"), /allowed once by the MCP client \(permit\)/);
    assert.equal(prompts(s.agentLog()).length, 1, "one Codex turn, paused and resumed");
  } finally {
    await fake.close();
  }
});

test("deferred tools: a keyword search with the words a person would use finds each ask tool", async () => {
  const s = setup();
  // Each ask tool, the words a person would search it by, and its arguments.
  const asks: Array<[string, string, Record<string, unknown>]> = [
    ["consult", "codex second opinion", { question: "Which cache? [[fake:echo]]" }],
    ["review_plan", "review plan", { plan: "Cache in memory. [[fake:echo]]" }],
    ["review_diff", "codex review changes", { diff: "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n" }],
    ["brainstorm", "brainstorm approaches", { problem: "Caching. [[fake:echo]]" }],
  ];
  // One conversation per tool, so that no earlier search has loaded it already.
  for (const [name, words, args] of asks) {
    const fake = await startFakeAnthropic(steps([name, args]), { toolSearch: { keywords: () => words } });
    try {
      const run = await runClaude({ cwd: s.workspace, env: claudeEnv(s.home, fake), prompt: "Get Codex's view.", mcpConfig: s.mcpConfig });
      assert.equal(run.code, 0, run.stderr);
      const [search] = fake.toolSearches();
      assert.ok(search?.loaded.includes(tool(name)), `"${words}" loads ${name}: ${JSON.stringify(fake.toolSearches())}`);
      assert.equal(fake.toolResults()[0]?.toolName, tool(name));
    } finally {
      await fake.close();
    }
  }
});

test("slash commands: Claude Code lists the prompts; /review expands into a review_diff call against the base", async () => {
  const s = setup();
  const fake = await startFakeAnthropic(({ index, userText }) =>
    index === 0 && userText.includes("call the codex-fusion review_diff tool") ? [{ type: "tool_use", name: tool("review_diff"), input: { base: "main" } }] : [{ type: "text", text: "done" }],
  );
  try {
    const run = await runClaude({ cwd: s.workspace, env: claudeEnv(s.home, fake), prompt: "/mcp__codex-fusion__review main", mcpConfig: s.mcpConfig });
    assert.equal(run.code, 0, run.stderr);
    const init = run.events.find((event) => event.type === "system" && event.subtype === "init");
    for (const name of ["review", "second-opinion", "brainstorm"]) assert.ok(init.slash_commands.includes(`mcp__codex-fusion__${name}`), name);
    const [first] = fake.turns();
    const expanded = JSON.stringify(first!.body.messages);
    assert.match(expanded, /Have Codex review my current changes: call the codex-fusion review_diff tool without a diff/);
    assert.match(expanded, /against `main` \(pass base: \\"main\\"\)/);
    assert.equal(fake.toolResults()[0]?.toolName, tool("review_diff"));
    assert.match(prompts(s.agentLog())[0]!, /git diff main/, "Codex was asked to review against main");
  } finally {
    await fake.close();
  }
});

test("review gate: a blocker sends Claude back with Codex's findings; the next stop (stop_hook_active) is not blocked again", async () => {
  const s = setup(gitRepo());
  changeApp(s.workspace, "[[fake:blocker]]");
  // More rounds than the default one, so that only stop_hook_active stands between the second stop and a block.
  const hook = gateHook(SERVER, process.platform);
  installHooks(s.workspace, { gate: { ...hook, command: `${hook.command} --max-rounds 3` } });
  const app = path.join(s.workspace, "src", "app.ts");
  // After the block Claude edits the file again (still with the blocker marker): only stop_hook_active keeps the
  // gate from reviewing, and blocking, the changed tree a second time.
  const fake = await startFakeAnthropic(({ index }) => {
    if (index === 0) return [{ type: "text", text: "I changed the answer." }];
    if (index === 1) return [{ type: "tool_use", name: "Read", input: { file_path: app } }];
    if (index === 2) return [{ type: "tool_use", name: "Write", input: { file_path: app, content: "export const answer = 40; // [[fake:blocker]] again\n" } }];
    return [{ type: "text", text: "Fixed the division." }];
  });
  try {
    const run = await runClaude({ cwd: s.workspace, env: claudeEnv(s.home, fake, s.agentEnv), prompt: "Change the answer.", allowedTools: "Read,Write" });
    assert.equal(run.code, 0, run.stderr);
    const turns = fake.turns();
    assert.equal(turns.length, 4, "blocked once, then allowed to stop");
    const feedback = JSON.stringify(turns[1]!.body.messages.at(-1));
    assert.match(feedback, /Codex reviewed the changes of this turn and found a blocker/);
    assert.match(feedback, /src\/app\.ts:3 — divides by zero when the list is empty/);
    assert.match(fs.readFileSync(app, "utf8"), /answer = 40/, "Claude changed the file after the block");
    const reviews = prompts(s.agentLog());
    assert.equal(reviews.length, 1, "the stop after the block (stop_hook_active) was not reviewed");
    assert.match(reviews[0]!, /Claude's own summary of its turn: I changed the answer\./);
  } finally {
    await fake.close();
  }
});

test("review gate: a clean review lets Claude stop at once, and the person sees Codex's summary", async () => {
  const s = setup(gitRepo());
  changeApp(s.workspace, "[[fake:clean]]");
  installHooks(s.workspace, { gate: gateHook(SERVER, process.platform) });
  const fake = await startFakeAnthropic(() => [{ type: "text", text: "I changed the answer." }]);
  try {
    const run = await runClaude({ cwd: s.workspace, env: claudeEnv(s.home, fake, s.agentEnv), prompt: "Change the answer.", allowedTools: "Read" });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(fake.turns().length, 1, "not blocked");
    assert.equal(prompts(s.agentLog()).length, 1, "Codex reviewed the change");
    const shown = transcriptAttachments(s.home).find((attachment) => attachment.type === "hook_system_message" && attachment.hookName === "Stop");
    assert.equal(shown?.content, "Codex review gate: no blockers (verdict CONSENSUS — ship it).");
  } finally {
    await fake.close();
  }
});

test("review gate: when Codex cannot run, Claude stops and the person is told why", async () => {
  const s = setup(gitRepo());
  changeApp(s.workspace, "[[fake:blocker]]");
  installHooks(s.workspace, { gate: gateHook(SERVER, process.platform) });
  const fake = await startFakeAnthropic(() => [{ type: "text", text: "I changed the answer." }]);
  try {
    const env = claudeEnv(s.home, fake, { ...s.agentEnv, FAKE_AGENT_REQUIRE_AUTH: "1" });
    const run = await runClaude({ cwd: s.workspace, env, prompt: "Change the answer.", allowedTools: "Read" });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(fake.turns().length, 1, "not blocked");
    const shown = transcriptAttachments(s.home).find((attachment) => attachment.type === "hook_system_message" && attachment.hookName === "Stop");
    assert.match(shown?.content ?? "", /Codex could not review this turn, so Claude stops without a review\. Error auth_required/);
  } finally {
    await fake.close();
  }
});

test("/clear resets the workspace's Codex session (SessionStart hook, source clear)", async () => {
  const s = setup();
  const settings = installHooks(s.workspace, { clearReset: true });
  assert.deepEqual(settings.hooks.SessionStart, [{ matcher: "clear", hooks: [clearResetHook()] }]);
  const fake = await startFakeAnthropic(({ toolResults, userText }) =>
    toolResults.length === 0 && /ask codex/i.test(userText) ? [{ type: "tool_use", name: tool("consult"), input: { question: "Which cache? [[fake:echo]]" } }] : [{ type: "text", text: "done" }],
  );
  try {
    const run = await runClaude({ cwd: s.workspace, env: claudeEnv(s.home, fake), prompt: ["Ask Codex, first.", "/clear", "Ask Codex again."], mcpConfig: s.mcpConfig });
    assert.equal(run.code, 0, run.stderr);
    const cleared = hookResponses(run).find((hook) => hook.name === "SessionStart:clear");
    assert.equal(cleared?.outcome, "success", JSON.stringify(hookResponses(run)));
    assert.match(cleared!.output, /Codex session \S+ dropped; the next ask starts a fresh session/);
    const [before, after] = fake.toolResults().map((result) => JSON.parse(result.text).sessionId);
    assert.ok(before && after);
    assert.notEqual(before, after, "after /clear Codex starts a fresh session");
    assert.equal(s.agentLog().filter((line) => line.method === "session/new").length, 2);
  } finally {
    await fake.close();
  }
});
