// The REAL Claude Code CLI calls `delegate` (its model is the scripted fake Anthropic API; Codex is the scripted fake
// ACP agent, which writes a file in its copy as Codex does in workspace-write mode): the model receives the change —
// the patch, the file list, the command Codex ran — and `next` telling it how to review and land the patch with its
// own tools; the workspace is untouched.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startFakeAnthropic } from "../fixtures/fake-anthropic";
import { claudeEnv, runClaude, writeMcpConfig } from "../fixtures/claude-cli";
import { isolatedHome } from "../fixtures/home";
import { eventually, FAKE_AGENT, SERVER, tempDir } from "../integration/harness";

const tool = (name: string) => `mcp__codex-fusion__${name}`;

/** A repository outside /tmp (a delegate refuses one there: codex-acp's sandbox lets commands write /tmp). */
function repository(): string {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(fs.existsSync("/var/tmp") ? "/var/tmp" : tmpdir(), "fusion-claude-delegate-")));
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: ws });
  git("init", "-q");
  fs.writeFileSync(path.join(ws, "app.js"), "module.exports = 1;\n");
  git("add", ".");
  git("commit", "-qm", "init");
  return ws;
}

test("delegate: Claude Code's model receives the patch, the files, the commands and the next step; the workspace is untouched", async () => {
  const workspace = repository();
  const scratch = tempDir("fusion-claude-delegate-");
  const home = isolatedHome(scratch);
  const mcpConfig = writeMcpConfig(scratch, [SERVER, "--standalone"], { CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT]), FAKE_AGENT_INSTANT: "1" });
  const fake = await startFakeAnthropic(({ index }) =>
    index === 0 ? [{ type: "tool_use", name: tool("delegate"), input: { task: "Add hello.txt [[fake:write-file:hello.txt]]", verify: "test -f hello.txt" } }] : [{ type: "text", text: "done" }],
  );
  try {
    const run = await runClaude({ cwd: workspace, env: claudeEnv(home, fake), prompt: "Have Codex add hello.txt.", mcpConfig });
    assert.equal(run.code, 0, run.stderr);
    const [received] = fake.toolResults();
    assert.equal(received?.toolName, tool("delegate"));
    assert.ok(!received!.is_error, received!.text);
    const result = JSON.parse(received!.text);
    assert.equal(result.state, "proposed");
    assert.deepEqual(result.files.map((file: { path: string; added: number }) => [file.path, file.added]), [["hello.txt", 1]]);
    assert.match(result.patch, /\+\+\+ b\/hello\.txt\n@@ -0,0 \+1 @@\n\+hello from the fake agent/);
    assert.deepEqual(result.commands, [{ command: "printf 'hello from the fake agent\\n' > hello.txt", exitCode: 0 }]);
    assert.match(result.next, /Nothing was written to the workspace\. Review the patch with your own tools/);
    assert.match(result.next, new RegExp(`git -C ${workspace} apply ${result.patchFile.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
    // The server exits with Claude Code, and its copies with it.
    const copies = path.join(home.env.XDG_STATE_HOME, "codex-fusion", "copies");
    assert.ok(result.patchFile.startsWith(copies));
    assert.ok(await eventually(() => !fs.existsSync(copies) || fs.readdirSync(copies).length === 0, 30_000), "no copy left behind");
    assert.ok(!fs.existsSync(path.join(workspace, "hello.txt")), "nothing landed by itself");
    assert.equal(execFileSync("git", ["status", "--porcelain"], { cwd: workspace, encoding: "utf8" }), "");
  } finally {
    await fake.close();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
});
