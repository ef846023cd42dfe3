// The REAL interactive Claude Code CLI (in tmux) with long Codex turns: over MCP 2026-07-28 it offers the Tasks
// extension, so a consult that outlasts the inline bound (CODEX_FUSION_TASK_INLINE_MS, small here) becomes a task —
// Claude Code shows Codex's progress in its task view, stopping the task cancels the Codex turn, and the result
// reaches the model as a <task-notification>. With tasks off, Claude Code's own auto-background (120 s by default,
// CLAUDE_CODE_MCP_AUTO_BACKGROUND_MS, small here) still delivers the result.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startFakeAnthropic, toolResultText, type FakeAnthropic } from "../fixtures/fake-anthropic";
import { claudeEnv, writeMcpConfig } from "../fixtures/claude-cli";
import { hasTmux, startInteractiveClaude } from "../fixtures/claude-tmux";
import { isolatedHome } from "../fixtures/home";
import { FAKE_AGENT, SERVER, tempDir, until as waitUntil, type LogLine } from "../integration/harness";

const CONSULT = "mcp__codex-fusion__consult";

/** Polls until done, within a generous limit (the CLI's screen and the server move at their own pace). */
const until = <T>(what: () => T, done: (value: T) => boolean) => waitUntil(what, done, { ms: 180_000, every: 200 });

function setup(serverEnv: Record<string, string>) {
  const scratch = tempDir("fusion-interactive-");
  const workspace = fs.realpathSync(tempDir("fusion-interactive-ws-"));
  const logFile = path.join(scratch, "agent.log");
  const mcpConfig = writeMcpConfig(scratch, [SERVER, "--standalone"], { CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT]), FAKE_AGENT_LOG: logFile, ...serverEnv });
  return {
    workspace,
    home: isolatedHome(scratch),
    args: ["--mcp-config", mcpConfig, "--strict-mcp-config", "--allowedTools", "mcp__codex-fusion"],
    agentLog: (): LogLine[] => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").trim().split("\n").filter(Boolean).map((line) => JSON.parse(line)) : []),
  };
}

/** A model that asks Codex once, then acknowledges whatever comes (the task's start, its notification). */
const askOnce = (question: string) => startFakeAnthropic(({ index }) => (index === 0 ? [{ type: "tool_use", name: CONSULT, input: { question } }] : [{ type: "text", text: `noted ${index}` }]));

/** The <task-notification> Claude Code started a turn with, once it came. */
function notification(fake: FakeAnthropic): string | undefined {
  return fake
    .turns()
    .map((turn) => JSON.stringify(turn.body.messages.at(-1)))
    .find((text) => text.includes("<task-notification>"));
}

test("tasks: a consult past the inline bound becomes a task; Claude Code shows Codex's progress; the result reaches the model", { skip: !hasTmux() && "tmux missing: run test/e2e/setup.sh" }, async () => {
  const s = setup({ CODEX_FUSION_TASK_INLINE_MS: "1500" });
  // Long enough to still run when the test opens the task view on a busy machine.
  const fake = await askOnce("Is the cache right? [[fake:slow:20000]]");
  const claude = startInteractiveClaude({ cwd: s.workspace, home: s.home, env: claudeEnv(s.home, fake), args: s.args });
  try {
    await claude.waitForScreen(/❯/, "the prompt");
    claude.type("Ask Codex about the cache.");
    claude.press("Enter");
    await claude.waitForScreen(/1 MCP task/, "the task in the footer");
    const [started] = await until(() => fake.toolResults(), (results) => results.length > 0);
    assert.equal(started?.toolName, CONSULT);
    assert.match(started!.text, /MCP tool "codex-fusion\/consult" started server-side task \S+\. It was moved to the background/);
    // The task view: Codex's progress is the task's status.
    claude.press("Down");
    claude.press("Enter");
    await claude.waitForScreen(/Status:\s+working · Codex \(\d+s\): /, "Codex's progress in the task view");
    claude.press("Escape");
    const arrived = await until(() => notification(fake), Boolean);
    assert.match(arrived!, /<status>completed<\/status>/);
    const result = JSON.parse(JSON.parse(`"${/<result>\\n(.*?)\\n<\/result>/.exec(arrived!)![1]}"`));
    assert.equal(result.verdict, "consensus");
    assert.match(result.answer, /VERDICT: CONSENSUS — looks good/);
  } finally {
    claude.close();
    await fake.close();
  }
});

test("tasks: stopping the task in Claude Code cancels the Codex turn", { skip: !hasTmux() && "tmux missing: run test/e2e/setup.sh" }, async () => {
  const s = setup({ CODEX_FUSION_TASK_INLINE_MS: "1000" });
  const fake = await askOnce("Take forever [[fake:slow:600000]]");
  const claude = startInteractiveClaude({ cwd: s.workspace, home: s.home, env: claudeEnv(s.home, fake), args: s.args });
  try {
    await claude.waitForScreen(/❯/, "the prompt");
    claude.type("Ask Codex.");
    claude.press("Enter");
    await claude.waitForScreen(/1 MCP task/, "the task in the footer");
    claude.press("Down");
    claude.press("Enter");
    await claude.waitForScreen(/x to stop/, "the task view");
    claude.press("x");
    const log = await until(s.agentLog, (lines) => lines.some((line) => line.event === "stop"));
    assert.ok(log.some((line) => line.method === "session/cancel"), "Codex was told to cancel");
    assert.equal(log.find((line) => line.event === "stop")!.stopReason, "cancelled");
  } finally {
    claude.close();
    await fake.close();
  }
});

test("tasks off: Claude Code's auto-background still delivers Codex's result", { skip: !hasTmux() && "tmux missing: run test/e2e/setup.sh" }, async () => {
  const s = setup({ CODEX_FUSION_TASK_INLINE_MS: "1000" });
  const fake = await askOnce("Is the cache right? [[fake:slow:6000]]");
  const env = claudeEnv(s.home, fake, { CLAUDE_CODE_DISABLE_MCP_TASKS: "1", CLAUDE_CODE_MCP_AUTO_BACKGROUND_MS: "2000" });
  const claude = startInteractiveClaude({ cwd: s.workspace, home: s.home, env, args: s.args });
  try {
    await claude.waitForScreen(/❯/, "the prompt");
    claude.type("Ask Codex about the cache.");
    claude.press("Enter");
    const arrived = await until(() => notification(fake), Boolean);
    const [backgrounded] = await until(() => fake.toolResults(), (results) => results.length > 0);
    assert.match(toolResultText(backgrounded!), /moved to the background/);
    assert.doesNotMatch(toolResultText(backgrounded!), /server-side task/, "no MCP task: the server was not offered tasks");
    assert.match(arrived!, /<status>completed<\/status>/);
    assert.match(arrived!, /VERDICT: CONSENSUS — looks good/);
  } finally {
    claude.close();
    await fake.close();
  }
});
