/**
 * The Codex Fusion extension in a real VS Code (code-server 4.139.1 + chromium, see harness.ts): it activates and
 * the status bar says ready; "MCP: List Servers" shows Codex Fusion and starting it discovers the ten tools; Show
 * Status works; killing the server child makes the extension restart it (new pid, ready again); Connect Claude Code
 * runs `claude mcp add` with the expected arguments (a fake `claude` records them), and the real Claude Code CLI set up
 * that way attaches to this window's server and shares its Codex session; Install Codex Agent runs npm into
 * global storage with a progress notification and restarts the server (a fake `npm`); the walkthrough opens.
 *
 * ONE code-server session for the whole file; the steps run in order and share it. Skips visibly when the toolchain
 * is not set up (run test/vscode/setup.sh, or `bash test/vscode/run.sh`).
 * Screenshots: test-results/vscode-ready.png, vscode-mcp-tools.png, vscode-status.png, walkthrough.png.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { after, before, it } from "node:test";
import { REPO_ROOT, type VsCodeSession } from "./harness";
import {
  appSource,
  clearNotifications,
  closeQuickInput,
  openCodexFusionContainer,
  QUICK_INPUT,
  codexStatusText,
  ensureBuilt,
  log,
  pickQuickItem,
  processAlive,
  readDiscovery,
  readJsonLines,
  screenshot,
  step,
  suiteOrSkip,
  tempDir,
  toast,
  verdictPanelRendered,
  waitFor,
  waitForReady,
  writeFakeClaude,
  writeFakeNpm,
  launchWithFakeAgent,
  userHomeWithBin,
} from "./fixtures";
import { startFakeAnthropic } from "../fixtures/fake-anthropic";
import { CLAUDE, claudeEnv, runClaude } from "../fixtures/claude-cli";
import { isolatedHome } from "../fixtures/home";

const PREFIX = "vscode-extension";

interface PackageJson {
  contributes?: { walkthroughs?: Array<{ id: string; title: string; steps?: Array<{ title: string }> }> };
}
const walkthroughs = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as PackageJson).contributes?.walkthroughs ?? [];

suiteOrSkip("Codex Fusion in VS Code: activation, MCP, status, restart, Claude Code", () => {
  let session: VsCodeSession | undefined;
  let tmp = "";
  let stateDir = "";
  let claudeArgsFile = "";
  let npmArgsFile = "";
  let serverPidBefore = 0;
  /** Every server pid seen; none may outlive the session. */
  const serverPids = new Set<number>();

  const s = (): VsCodeSession => {
    if (!session) throw new Error("no VS Code session (launch failed)");
    return session;
  };
  const run = <T>(name: string, fn: () => Promise<T>) => step(session, PREFIX, name, fn);

  before(
    async () => {
      const { vsix, fakeAgent } = await ensureBuilt();
      tmp = await tempDir("ext-test");
      const workspace = join(tmp, "workspace");
      stateDir = join(tmp, "state");
      claudeArgsFile = join(tmp, "claude-calls.jsonl");
      const user = await userHomeWithBin(tmp);
      await mkdir(join(workspace, "src"), { recursive: true });
      await mkdir(stateDir, { recursive: true });
      await writeFile(join(workspace, "src", "app.ts"), appSource());
      await writeFakeClaude(user.bin, claudeArgsFile);
      npmArgsFile = join(tmp, "npm-calls.jsonl");
      await writeFakeNpm(user.bin, npmArgsFile);
      session = await run("launch", () =>
        launchWithFakeAgent({
          vsix,
          fakeAgent,
          workspace,
          stateDir,
          agentLog: join(tmp, "fake-agent.jsonl"),
          env: user.env,
        }),
      );
    },
    { timeout: 720_000 },
  );

  after(
    async () => {
      const pgid = session?.codeServerPid;
      await session?.close();
      if (pgid !== undefined) assert.throws(() => process.kill(-pgid, 0), /ESRCH/, "code-server's process group should be gone after close()");
      // The server child goes with code-server's process group; none may outlive the session.
      for (const record of readDiscovery(stateDir)) serverPids.add(record.pid);
      await waitFor("every server process to be gone", () => [...serverPids].every((pid) => !processAlive(pid)), 60_000);
      if (tmp && process.env.CODEX_FUSION_VSCODE_KEEP_TMP !== "1") await rm(tmp, { recursive: true, force: true });
    },
    { timeout: 180_000 },
  );

  it("activates: the status bar says ready and the server wrote its discovery file", { timeout: 360_000 }, async () => {
    await run("ready", async () => {
      await waitForReady(s().page, 120_000);
      const record = await waitFor("a discovery file with a live server pid", () => readDiscovery(stateDir).find((r) => processAlive(r.pid)), 60_000);
      assert.match(record.url, /^http:\/\/127\.0\.0\.1:\d+\//);
      serverPidBefore = record.pid;
      serverPids.add(record.pid);
      log(`server pid ${record.pid} at ${record.url}`);
      await openCodexFusionContainer(s().page);
      await verdictPanelRendered(s().page);
      await screenshot(s(), "vscode-ready");
    });
  });

  /** The tool counts of the "Discovered N tools" lines in the MCP output channel (when the panel shows it). */
  async function discoveries(): Promise<number[]> {
    const lines = s().page.locator(".part.panel .view-lines");
    if (!(await lines.first().isVisible().catch(() => false))) return [];
    // Monaco renders spaces as U+00A0.
    const text = (await lines.first().innerText()).replace(/\u00a0/g, " ");
    return [...text.matchAll(/Discovered (\d+) tools/g)].map((m) => Number(m[1]));
  }

  /** "MCP: List Servers" → Codex Fusion → `action` (Start Server, Show Output…). */
  async function mcpServerAction(action: string): Promise<void> {
    const { page } = s();
    await closeQuickInput(page);
    await s().runCommand("MCP: List Servers");
    await pickQuickItem(page, "Codex Fusion", 30_000);
    // Case-sensitive, so "Start Server" does not pick "Restart Server". (No \b: a row's text runs into its
    // description, e.g. "Start ServerStatus".)
    await pickQuickItem(page, new RegExp(action), 60_000);
    await page.locator(QUICK_INPUT).waitFor({ state: "hidden", timeout: 60_000 });
  }

  /** Waits until the MCP output channel shows `count` "Discovered N tools" lines (opening it when needed). */
  async function waitForDiscoveries(count: number): Promise<number[]> {
    let opened = 0;
    return waitFor(
      `${count} "Discovered N tools" line(s) in the MCP output`,
      async () => {
        const found = await discoveries();
        if (found.length >= count) return found;
        const onChannel = await s().page.locator(".part.panel .view-lines", { hasText: /Connection\s+state/ }).count();
        if (!onChannel && opened++ < 5) await mcpServerAction("Show Output");
        return null;
      },
      60_000,
      500,
    );
  }

  it("MCP: List Servers shows Codex Fusion; Start Server discovers the ten tools", { timeout: 450_000 }, async () => {
    await run("mcp-start", () => mcpServerAction("Start Server"));
    await run("mcp-tools", async () => {
      assert.deepEqual(await waitForDiscoveries(1), [10]);
      await verdictPanelRendered(s().page);
      await screenshot(s(), "vscode-mcp-tools");
    });
  });

  it("Show Status shows the running server", { timeout: 180_000 }, async () => {
    const { page } = s();
    await run("show-status", async () => {
      await clearNotifications(s());
      await s().runCommand("Codex Fusion: Show Status");
      const dialog = page.locator(".monaco-dialog-box", { hasText: "Codex Fusion status" });
      await dialog.first().waitFor({ state: "visible", timeout: 60_000 });
      const text = await dialog.first().innerText();
      const pid = readDiscovery(stateDir)[0]?.pid;
      assert.match(text, new RegExp(`Server: ready — pid ${pid}\\b`), `status dialog:\n${text}`);
      assert.match(text, /Workspace|workspace/, `status dialog:\n${text}`);
      await screenshot(s(), "vscode-status");
      await page.keyboard.press("Escape");
      await dialog.first().waitFor({ state: "hidden", timeout: 60_000 });
    });
  });

  it("killing the server child: the extension restarts it and the status bar returns to ready", { timeout: 360_000 }, async () => {
    const { page } = s();
    await run("kill-restart", async () => {
      const before = readDiscovery(stateDir)[0];
      assert.ok(before && processAlive(before.pid), "a live server before the kill");
      assert.equal(before.pid, serverPidBefore, "the server pid has not changed since activation");
      process.kill(before.pid, "SIGKILL");
      await waitFor("the killed server to be gone", () => !processAlive(before.pid), 60_000, 50);
      // The supervisor notices at once and restarts after its 1 s backoff: "starting" shows in between.
      const seen = await waitFor("the status bar to leave 'ready'", async () => {
        const text = await codexStatusText(page);
        return text && !/Codex: ready/.test(text) ? text : null;
      }, 15_000, 100);
      log(`status after the kill: ${seen}`);
      assert.match(seen, /starting|error/);
      const after = await waitFor("a discovery file with a NEW live pid", () => readDiscovery(stateDir).find((r) => r.pid !== before.pid && processAlive(r.pid)), 60_000);
      await waitForReady(page, 120_000);
      serverPids.add(after.pid);
      log(`restarted: pid ${before.pid} → ${after.pid}`);
      assert.notEqual(after.pid, before.pid);
    });
  });

  it("after the restart VS Code's MCP client starts again on the new endpoint and finds the ten tools", { timeout: 360_000 }, async () => {
    await run("mcp-after-restart", async () => {
      // The provider announced the new port and token; VS Code stopped its old connection. Start it again, with the
      // MCP output cleared first (the output view renders only the lines in view).
      await mcpServerAction("Show Output");
      await s().runCommand("View: Clear Output");
      await waitFor("the MCP output to be cleared", async () => (await discoveries()).length === 0, 10_000);
      await mcpServerAction("Start Server");
      assert.deepEqual(await waitForDiscoveries(1), [10]);
    });
  });

  it("Connect Claude Code runs `claude mcp add` for a stable copy of the server", { timeout: 180_000 }, async () => {
    const { page } = s();
    await run("connect-claude", async () => {
      await clearNotifications(s());
      await s().runCommand("Codex Fusion: Connect Claude Code");
      await toast(page, "Claude Code is connected").first().waitFor({ state: "visible", timeout: 60_000 });
      const calls = readJsonLines<{ argv: string[]; cwd: string }>(claudeArgsFile);
      assert.equal(calls.length, 1, `claude calls: ${JSON.stringify(calls)}`);
      const copy = join(s().userDataDir, "User", "globalStorage", "codex-fusion.codex-fusion", "server", "codex-fusion-mcp.js");
      assert.deepEqual(calls[0]!.argv, ["mcp", "add", "--scope", "local", "codex-fusion", "--", "node", copy]);
      // `--scope local` registers it for the project claude runs in: the workspace folder.
      assert.equal(realpathSync(calls[0]!.cwd), realpathSync(s().workspace));
      // The copy is the bundled server, byte for byte.
      const installed = readdirSync(s().extensionsDir).find((d) => d.startsWith("codex-fusion.codex-fusion-"));
      assert.ok(installed, `installed extension in ${s().extensionsDir}`);
      const bundled = join(s().extensionsDir, installed, "dist", "server.js");
      assert.ok(existsSync(copy), `${copy} exists`);
      assert.ok(readFileSync(copy).equals(readFileSync(bundled)), "the stable copy equals the bundled dist/server.js");
      // The /clear reset (setting resetOnClaudeClear, on by default) went into the project's local Claude settings.
      const local = JSON.parse(readFileSync(join(s().workspace, ".claude", "settings.local.json"), "utf8"));
      assert.deepEqual(local.hooks.SessionStart, [{ matcher: "clear", hooks: [{ type: "mcp_tool", server: "codex-fusion", tool: "reset" }] }]);
    });
  });

  it("the terminal path: the real Claude Code, set up as Connect Claude Code did, attaches to this window's server and shares its Codex session", { timeout: 240_000 }, async () => {
    await run("claude-terminal", async () => {
      // Replay exactly what Connect Claude Code ran (recorded by the fake `claude`), now with the real CLI, whose
      // model is the scripted fake Anthropic API.
      const [connect] = readJsonLines<{ argv: string[]; cwd: string }>(claudeArgsFile);
      assert.ok(connect, "Connect Claude Code ran claude");
      const fake = await startFakeAnthropic(({ index }) =>
        index === 0 ? [{ type: "tool_use", name: "mcp__codex-fusion__consult", input: { question: "asked from the terminal [[fake:echo]]" } }] : [{ type: "text", text: "done" }],
      );
      try {
        const home = isolatedHome(join(tmp, "claude"));
        // The terminal's server finds the editor's through the same state dir; attached, it never starts an agent.
        const env = claudeEnv(home, fake, { CODEX_FUSION_STATE_DIR: stateDir, CODEX_FUSION_ACP_COMMAND: "codex-acp-never-started-when-attached" });
        const add = spawnSync(CLAUDE, connect.argv, { cwd: connect.cwd, env, encoding: "utf8", timeout: 60_000 });
        assert.equal(add.status, 0, add.stderr);
        const claude = await runClaude({ cwd: connect.cwd, env, prompt: "Ask Codex." });
        assert.equal(claude.code, 0, claude.stderr);
        const [received] = fake.toolResults();
        assert.ok(received && !received.is_error, received?.text);
        const result = JSON.parse(received.text) as { sessionId: string; answer: string };
        // The agent that answered is the editor's: its prompt is in the editor agent's log, in the session it reports,
        // and that agent is a child of the server this window runs.
        const agentLog = readJsonLines<{ event: string; method?: string; pid: number; params?: { sessionId?: string; prompt?: Array<{ text?: string }> } }>(join(tmp, "fake-agent.jsonl"));
        const prompt = agentLog.find((line) => line.method === "session/prompt" && JSON.stringify(line.params?.prompt).includes("asked from the terminal"));
        assert.ok(prompt, "Claude's ask reached the editor's agent");
        assert.equal(prompt.params?.sessionId, result.sessionId);
        assert.match(result.answer, new RegExp(`of session ${result.sessionId}`));
        const server = readDiscovery(stateDir).find((record) => processAlive(record.pid));
        assert.ok(server, "the editor's server is running");
        const parent = Number(readFileSync(`/proc/${prompt.pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
        assert.equal(parent, server.pid, "the agent belongs to the editor's server");
      } finally {
        await fake.close();
      }
    });
  });

  it("the review gate commands write, show and remove the Stop hook in .claude/settings.local.json, keeping the rest", { timeout: 180_000 }, async () => {
    const { page } = s();
    const file = join(s().workspace, ".claude", "settings.local.json");
    const hooks = () => (JSON.parse(readFileSync(file, "utf8")) as { hooks: Record<string, Array<{ hooks: Array<{ type: string; command?: string }> }>> }).hooks;
    await run("review-gate", async () => {
      await clearNotifications(s());
      await s().runCommand("Codex Fusion: Enable Claude Code Review Gate");
      await toast(page, /review gate on for/).first().waitFor({ state: "visible", timeout: 60_000 });
      const copy = join(s().userDataDir, "User", "globalStorage", "codex-fusion.codex-fusion", "server", "codex-fusion-mcp.js");
      assert.deepEqual(hooks().Stop, [{ hooks: [{ type: "command", command: `node ${copy} hook stop --timeout-sec 300`, timeout: 330 }] }]);
      assert.equal(hooks().SessionStart?.length, 1, "the /clear reset is still there, once");

      await clearNotifications(s());
      await s().runCommand("Codex Fusion: Show Claude Code Review Gate");
      await toast(page, /review gate for \S+: on\. \/clear in Claude Code resets Codex: on\./).first().waitFor({ state: "visible", timeout: 60_000 });

      await clearNotifications(s());
      await s().runCommand("Codex Fusion: Disable Claude Code Review Gate");
      await toast(page, /review gate off for/).first().waitFor({ state: "visible", timeout: 60_000 });
      assert.equal(hooks().Stop, undefined);
      assert.equal(hooks().SessionStart?.length, 1);
      await clearNotifications(s());
    });
  });

  it("Install Codex Agent installs the pinned agent into global storage with visible progress, then restarts the server", { timeout: 270_000 }, async () => {
    const { page } = s();
    await run("install-agent", async () => {
      await clearNotifications(s());
      const before = readDiscovery(stateDir)[0];
      assert.ok(before, "a running server before the install");
      await s().runCommand("Codex Fusion: Install Codex Agent");
      await toast(page, /installing the Codex agent/).first().waitFor({ state: "visible", timeout: 60_000 });
      await toast(page, "the Codex agent is installed").first().waitFor({ state: "visible", timeout: 60_000 });
      const calls = readJsonLines<{ argv: string[] }>(npmArgsFile);
      assert.equal(calls.length, 1, `npm calls: ${JSON.stringify(calls)}`);
      const dir = join(s().userDataDir, "User", "globalStorage", "codex-fusion.codex-fusion", "agent");
      assert.deepEqual(calls[0]!.argv.slice(0, 3), ["install", "--prefix", dir]);
      assert.equal(calls[0]!.argv.at(-1), "@agentclientprotocol/codex-acp@2.6.0");
      assert.ok(existsSync(join(dir, "node_modules", "@agentclientprotocol", "codex-acp", "dist", "index.js")));
      const after = await waitFor("the server to restart after the install", () => readDiscovery(stateDir).find((r) => r.pid !== before.pid && processAlive(r.pid)), 60_000);
      serverPids.add(after.pid);
      await waitForReady(page, 120_000);
    });
  });

  it(
    "the walkthrough: Welcome: Open Walkthrough… lists Get started with Codex Fusion and opens it",
    {
      timeout: 180_000,
      skip: walkthroughs.length === 0 ? "package.json has no contributes.walkthroughs yet (add the walkthrough, then this step runs)" : false,
    },
    async () => {
      const { page } = s();
      const title = walkthroughs[0]!.title;
      await run("walkthrough", async () => {
        await clearNotifications(s());
        if (await page.locator(".part.panel").first().isVisible().catch(() => false)) await s().runCommand("View: Toggle Panel Visibility");
        await s().runCommand("Welcome: Open Walkthrough");
        await pickQuickItem(page, title, 20_000);
        const walkthrough = page.locator(".gettingStartedContainer", { hasText: title });
        await walkthrough.first().waitFor({ state: "visible", timeout: 60_000 });
        for (const stepTitle of (walkthroughs[0]!.steps ?? []).map((st) => st.title)) {
          assert.ok((await walkthrough.first().textContent())?.includes(stepTitle), `the walkthrough lists the step "${stepTitle}"`);
        }
        await screenshot(s(), "walkthrough");
      });
    },
  );
});
