// The REAL Claude Code CLI (2.1.332) over the HTTP transport (`claude mcp add --transport http … --header
// "Authorization: Bearer …"`): it speaks MCP 2026-07-28 without an Mcp-Session-Id (ADR 0074). Headless, the call is
// answered inline; interactive (tmux), a consult past the inline bound becomes a task whose result reaches the model,
// and stopping it cancels the Codex turn. With `MCP_PROTOCOL_NEGOTIATION=legacy` the same server serves 2025-11-25.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { startFakeAnthropic, toolResultText, type FakeAnthropic } from "../fixtures/fake-anthropic";
import { CLAUDE, claudeEnv, runClaude } from "../fixtures/claude-cli";
import { hasTmux, startInteractiveClaude } from "../fixtures/claude-tmux";
import { isolatedHome, type IsolatedHome } from "../fixtures/home";
import { tempDir, until as waitUntil } from "../integration/harness";
import { startHttp, type HttpServer } from "../integration/httpHarness";

const CONSULT = "mcp__codex-fusion__consult";

/** Polls until done, within a generous limit (the CLI's screen and the server move at their own pace). */
const until = <T>(what: () => T, done: (value: T) => boolean) => waitUntil(what, done, { ms: 180_000, every: 200 });

/** What /healthz says: legacy sessions and modern callers together, and the modern callers alone. */
async function health(server: HttpServer): Promise<{ clients: number; modernCallers: number }> {
  const response = await fetch(new URL("/healthz", server.url), { headers: { authorization: `Bearer ${server.token}` } });
  return (await response.json()) as { clients: number; modernCallers: number };
}

/** Registers the server with Claude Code the documented way, in the isolated home. */
function addHttpServer(server: HttpServer, home: IsolatedHome, cwd: string): void {
  const env = claudeEnv(home, null);
  const add = spawnSync(CLAUDE, ["mcp", "add", "--transport", "http", "codex-fusion", server.url, "--header", `Authorization: Bearer ${server.token}`], { cwd, env, encoding: "utf8", timeout: 60_000 });
  assert.equal(add.status, 0, add.stderr);
}

/** The same registration as a file, for the interactive CLI (whose harness writes its own ~/.claude.json). */
function httpMcpArgs(server: HttpServer, dir: string): string[] {
  const file = `${dir}/mcp-http.json`;
  fs.writeFileSync(file, JSON.stringify({ mcpServers: { "codex-fusion": { type: "http", url: server.url, headers: { Authorization: `Bearer ${server.token}` } } } }));
  return ["--mcp-config", file, "--strict-mcp-config", "--allowedTools", "mcp__codex-fusion"];
}

const askOnce = (question: string) => startFakeAnthropic(({ index }) => (index === 0 ? [{ type: "tool_use", name: CONSULT, input: { question } }] : [{ type: "text", text: `noted ${index}` }]));

function notification(fake: FakeAnthropic): string | undefined {
  return fake
    .turns()
    .map((turn) => JSON.stringify(turn.body.messages.at(-1)))
    .find((text) => text.includes("<task-notification>"));
}

test("claude -p over HTTP: modern (no session) by default, legacy on request; both get Codex's answer", async () => {
  const server = await startHttp({});
  const workspace = fs.realpathSync(tempDir("fusion-cli-http-ws-"));
  const home = isolatedHome();
  try {
    addHttpServer(server, home, workspace);
    const fake = await askOnce("Is the cache right? [[fake:open]]");
    try {
      const run = await runClaude({ cwd: workspace, env: claudeEnv(home, fake), prompt: "Ask Codex about the cache." });
      assert.equal(run.code, 0, run.stderr);
      const [result] = fake.toolResults();
      assert.equal(result?.toolName, CONSULT);
      assert.match(toolResultText(result!), /VERDICT: OPEN/);
      assert.equal((await health(server)).modernCallers, 1, "Claude Code was served as a modern caller");
    } finally {
      await fake.close();
    }
    const legacyFake = await askOnce("Again? [[fake:open]]");
    try {
      const before = await health(server);
      const run = await runClaude({ cwd: workspace, env: claudeEnv(home, legacyFake, { MCP_PROTOCOL_NEGOTIATION: "legacy" }), prompt: "Ask Codex again." });
      assert.equal(run.code, 0, run.stderr);
      assert.match(toolResultText(legacyFake.toolResults()[0]!), /VERDICT: OPEN/);
      assert.equal((await health(server)).modernCallers, before.modernCallers, "the legacy run made no modern caller");
    } finally {
      await legacyFake.close();
    }
  } finally {
    await server.stop();
  }
});

test("interactive claude over HTTP: a consult past the inline bound becomes a task and its result reaches the model; stopping another cancels the Codex turn", { skip: !hasTmux() && "tmux missing: run test/e2e/setup.sh" }, async () => {
  const server = await startHttp({ CODEX_FUSION_TASK_INLINE_MS: "1500" });
  const workspace = fs.realpathSync(tempDir("fusion-cli-http-ws-"));
  const home = isolatedHome();
  const args = httpMcpArgs(server, tempDir("fusion-cli-http-"));
  const fake = await askOnce("Is the cache right? [[fake:slow:6000]]");
  const claude = startInteractiveClaude({ cwd: workspace, home, env: claudeEnv(home, fake), args });
  try {
    await claude.waitForScreen(/❯/, "the prompt");
    claude.type("Ask Codex about the cache.");
    claude.press("Enter");
    const [started] = await until(() => fake.toolResults(), (results) => results.length > 0);
    assert.match(started!.text, /MCP tool "codex-fusion\/consult" started server-side task \S+\. It was moved to the background/);
    const arrived = await until(() => notification(fake), Boolean);
    assert.match(arrived!, /<status>completed<\/status>/);
    assert.match(arrived!, /VERDICT: CONSENSUS — looks good/);
  } finally {
    claude.close();
    await fake.close();
  }
  const stopFake = await askOnce("Take forever [[fake:slow:600000]]");
  const again = startInteractiveClaude({ cwd: workspace, home, env: claudeEnv(home, stopFake), args });
  try {
    await again.waitForScreen(/❯/, "the prompt");
    again.type("Ask Codex.");
    again.press("Enter");
    await again.waitForScreen(/1 MCP task/, "the task in the footer");
    again.press("Down");
    again.press("Enter");
    await again.waitForScreen(/x to stop/, "the task view");
    again.press("x");
    // The first consult's turn ended on its own; this one ends cancelled.
    const log = await until(server.log, (lines) => lines.some((line) => line.event === "stop" && line.stopReason === "cancelled"));
    assert.ok(log.some((line) => line.method === "session/cancel"), "Codex was told to cancel");
  } finally {
    again.close();
    await stopFake.close();
    await server.stop();
  }
});
