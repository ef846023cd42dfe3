// The VS Code terminal path with the REAL Claude Code CLI: what Connect Claude Code sets up (the stable copy of the
// server + `claude mcp add --scope local`) attaches to the editor's running HTTP server through its discovery file,
// so Claude Code in the terminal shares the editor's Codex session. The editor's server here is a standalone
// `dist/server.js --http` with the control channel, run in the same (isolated) home as Claude Code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startFakeAnthropic } from "../fixtures/fake-anthropic";
import { CLAUDE, claudeEnv, runClaude } from "../fixtures/claude-cli";
import { isolatedHome } from "../fixtures/home";
import { SERVER, prompts, tempDir } from "../integration/harness";
import { httpClient, startHttp } from "../integration/httpHarness";
import { claudeAddArgs, ensureStableCopy } from "../../extension/claudeCode/claudeCode";

test("terminal path: Connect Claude Code's setup attaches to the editor's server and shares its Codex session", async () => {
  const home = isolatedHome(tempDir("fusion-terminal-"));
  const workspace = fs.realpathSync(tempDir("fusion-terminal-ws-"));
  const editor = await startHttp({ FAKE_AGENT_INSTANT: "1" }, { workspace, home, stateDir: "home" });
  const fake = await startFakeAnthropic(({ index }) =>
    index === 0 ? [{ type: "tool_use", name: "mcp__codex-fusion__consult", input: { question: "Does the editor see this? [[fake:echo]]" } }] : [{ type: "text", text: "done" }],
  );
  try {
    // The editor asks first, so there is a session to share.
    const client = await httpClient(editor, "VS Code (Codex Fusion)");
    const first = (await client.callTool({ name: "consult", arguments: { question: "hello from the editor" } })) as CallToolResult;
    const editorSession = (first.structuredContent as { sessionId: string }).sessionId;
    await client.close();

    // What Connect Claude Code does: the stable copy, then `claude mcp add --scope local` in the project folder.
    const copy = await ensureStableCopy(SERVER, path.join(home.home, "globalStorage"), "0.0.0-test");
    // Attached, the terminal's server never starts an agent of its own; this one would fail loudly if it tried.
    const env = claudeEnv(home, fake, { CODEX_FUSION_ACP_COMMAND: "codex-acp-never-started-when-attached" });
    const add = spawnSync(CLAUDE, claudeAddArgs(copy!.path), { cwd: workspace, env, encoding: "utf8", timeout: 60_000 });
    assert.equal(add.status, 0, add.stderr);

    const run = await runClaude({ cwd: workspace, env, prompt: "Ask Codex." });
    assert.equal(run.code, 0, run.stderr);
    const [received] = fake.toolResults();
    assert.ok(received && !received.is_error, received?.text);
    const result = JSON.parse(received.text);
    assert.equal(result.sessionId, editorSession, "the same Codex session as the editor's");
    assert.match(result.answer, /fake-agent turn 2 of session/, "Codex's second turn in that session");
    assert.equal(editor.log().filter((line) => line.method === "session/new").length, 1);
    assert.equal(prompts(editor.log()).length, 2, "both asks ran in the editor's agent");
    const clients = editor.events.filter((event) => event.type === "turnStarted").map((event) => (event as { client: string | null }).client);
    assert.equal(clients.length, 2);
    assert.equal(clients[0], "VS Code (Codex Fusion)");
    assert.match(clients[1] ?? "", /claude/i, "the editor sees Claude Code's turn");
  } finally {
    await fake.close();
    await editor.stop();
  }
});
