/**
 * The review in a real VS Code (code-server 4.139.1 + chromium, see harness.ts) against the scripted fake ACP agent:
 *  - Review Current Diff on a change with three findings shows three Problems entries and three inline threads (and
 *    the status bar counts what the answer says);
 *  - Ask Codex in a thread's reply box gets Codex's answer in the thread;
 *  - Fix with Claude Code with only an unrelated terminal open starts Claude Code (a stand-in `claude` on PATH) with
 *    the finding; the next one is typed into that running Claude Code terminal, never into the other terminal; a
 *    `claude` the person started in a terminal of their own is found too (its process tree);
 *  - Dismiss removes the thread and its Problems entry;
 *  - Codex's own reviewer runs from the quick pick (the agent gets `/review`) and replaces the findings; its answer
 *    opens full width in an editor tab;
 *  - the walkthrough's steps tick once their things have happened (however they were done).
 *
 * ONE code-server session for the whole file; the steps run in order and share it. Skips visibly when the toolchain
 * is not set up. Screenshots (README): test-results/review-threads.png, review-ask-codex.png, review-native.png.
 */
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, it } from "node:test";
import type { VsCodeSession } from "./harness";
import {
  appSource,
  clearNotifications,
  closeWithoutOrphans,
  ensureBuilt,
  git,
  launchWithFakeAgent,
  openCodexFusionContainer,
  openFile,
  pickQuickItem,
  processAlive,
  QUICK_INPUT,
  readDiscovery,
  readJsonLines,
  screenshot,
  statusBarItem,
  step,
  suiteOrSkip,
  tempDir,
  toast,
  userHomeWithBin,
  verdictFrame,
  waitFor,
  waitForReady,
  writeStandInClaude,
} from "./fixtures";

const PREFIX = "vscode-review";

interface ClaudeCall {
  argv?: string[];
  stdin?: string;
}
interface AgentLine {
  event: string;
  method?: string;
  params?: { prompt?: Array<{ type: string; text?: string }> };
}

suiteOrSkip("Codex Fusion in VS Code: the review — threads, Problems, Ask Codex, Fix with Claude Code, Dismiss, Codex's own reviewer", () => {
  let session: VsCodeSession | undefined;
  let tmp = "";
  let stateDir = "";
  let agentLog = "";
  let claudeCalls = "";
  const serverPids = new Set<number>();

  const s = (): VsCodeSession => {
    if (!session) throw new Error("no VS Code session (launch failed)");
    return session;
  };
  const run = <T>(name: string, fn: () => Promise<T>) => step(session, PREFIX, name, fn);
  const threads = () => s().page.locator(".monaco-editor .review-widget");
  const thread = (text: string | RegExp) => threads().filter({ hasText: text }).first();
  const problemRows = () => s().page.locator(".markers-panel .monaco-list-row", { hasText: "Codex" });
  const prompts = () =>
    readJsonLines<AgentLine>(agentLog)
      .filter((l) => l.event === "request" && l.method === "session/prompt")
      .map((l) => (l.params?.prompt ?? []).map((b) => b.text ?? "").join("\n"));

  async function reviewFromQuickPick(item: string): Promise<void> {
    await s().runCommand("Codex Fusion: Review Current Diff");
    await pickQuickItem(s().page, item, 20_000);
  }

  /**
   * Brings a thread into view: the editor gets the window's height (no panel) and scrolls to the thread's last line
   * (threads sit below it). Monaco draws only what is on screen, so a thread far away cannot be clicked.
   */
  async function revealThreadAt(line: number): Promise<void> {
    if (await s().page.locator(".part.panel").first().isVisible().catch(() => false)) await s().runCommand("View: Toggle Panel Visibility");
    await openFile(s(), "src/app.ts");
    await s().runCommand("Go to Line/Column...");
    await s().page.keyboard.type(String(line));
    await s().page.keyboard.press("Enter");
    await s().page.locator(QUICK_INPUT).waitFor({ state: "hidden", timeout: 30_000 });
  }

  async function showProblems(): Promise<void> {
    await s().runCommand("View: Focus Problems (Errors, Warnings, Infos)");
    await s().page.locator(".markers-panel").first().waitFor({ state: "visible", timeout: 60_000 });
  }

  before(
    async () => {
      const { vsix, fakeAgent } = await ensureBuilt();
      tmp = await tempDir("review-test");
      const workspace = join(tmp, "workspace");
      stateDir = join(tmp, "state");
      agentLog = join(tmp, "fake-agent.jsonl");
      claudeCalls = join(tmp, "claude-calls.jsonl");
      const user = await userHomeWithBin(tmp);
      await writeStandInClaude(user.bin, claudeCalls);
      await mkdir(join(workspace, "src"), { recursive: true });
      await mkdir(stateDir, { recursive: true });
      await writeFile(join(workspace, "src", "app.ts"), appSource(30));
      await git(workspace, "init", "-q");
      await git(workspace, "add", ".");
      await git(workspace, "commit", "-q", "-m", "initial");
      // The change under review; its marker makes the fake Codex answer with three findings on src/app.ts.
      await writeFile(join(workspace, "src", "app.ts"), appSource(30).replace("// src/app.ts line 5", "export const timeoutMs = 30_000; // [[fake:review3]]"));
      session = await run("launch", () =>
        launchWithFakeAgent({
          vsix,
          fakeAgent,
          workspace,
          stateDir,
          agentLog,
          env: user.env,
        }),
      );
    },
    { timeout: 720_000 },
  );

  // Neither the server nor the agents it started (in process groups of their own) may outlive the session.
  after(() => closeWithoutOrphans(session, { serverPids, stateDir, agentLog, tmp }), { timeout: 180_000 });

  it("Review Current Diff with three findings: three Problems entries, three inline threads, the counts in the status bar", { timeout: 360_000 }, async () => {
    const { page } = s();
    await run("review-three", async () => {
      await waitForReady(page, 120_000);
      const record = await waitFor("a discovery file with a live server pid", () => readDiscovery(stateDir).find((r) => processAlive(r.pid)), 60_000);
      serverPids.add(record.pid);
      await openCodexFusionContainer(page);
      await openFile(s(), "src/app.ts");
      await reviewFromQuickPick("Working tree vs HEAD");
      await statusBarItem(page, "Codex review: 1 blocker, 1 major, 1 minor").first().waitFor({ state: "visible", timeout: 90_000 });
      await waitFor("three inline threads in src/app.ts", async () => (await threads().count()) === 3, 60_000);
      for (const [text, label] of [
        ["magic number", "Codex · minor"],
        ["Retry count is not validated", "Codex · major"],
        ["is swallowed", "Codex · blocker"],
      ] as const) {
        assert.match(await thread(text).locator(".review-title").innerText(), new RegExp(label));
      }
      await showProblems();
      await waitFor("three Codex entries in Problems", async () => (await problemRows().count()) === 3, 60_000);
      const rows = (await problemRows().allInnerTexts()).join("\n").replace(/\u00a0/g, " ");
      for (const expected of [/Ln 5/, /Ln 12/, /Ln 20/, /Retry count is not validated/]) assert.match(rows, expected, rows);
      // The panel lists the same three; the VERDICT line is its own paragraph.
      const frame = await verdictFrame(page);
      await frame.locator('#findings .finding[data-state="open"]').nth(2).waitFor({ state: "visible", timeout: 60_000 });
      assert.match(await frame.locator("#answer").innerHTML(), /<p>VERDICT: OPEN — validate the retry count<\/p>/);
      await revealThreadAt(13);
      await s().runCommand("View: Focus Problems (Errors, Warnings, Infos)");
      await screenshot(s(), "review-threads");
    });
  });

  it("Ask Codex in a thread's reply box: the answer appears in the thread", { timeout: 300_000 }, async () => {
    const { page } = s();
    await run("ask-codex", async () => {
      await revealThreadAt(13);
      const target = thread("Retry count is not validated");
      await target.locator(".comment-form").first().click();
      await target.locator(".comment-form .monaco-editor").first().waitFor({ state: "visible", timeout: 30_000 });
      await page.keyboard.type("Is a negative retry count reachable from the config file?");
      await target.locator(".monaco-button", { hasText: /^Ask Codex$/ }).first().click();
      await waitFor("Codex's answer in the thread", async () => /I read the change and the surrounding code/.test(await target.innerText()), 90_000);
      const text = await target.innerText();
      assert.match(text, /You[\s\S]*Is a negative retry count reachable from the config file\?/);
      const [question] = prompts().slice(-1);
      assert.match(question ?? "", /Is a negative retry count reachable/);
      assert.match(question ?? "", /\[major\] Retry count is not validated — src\/app\.ts:12-13/, "the finding went along as context");
      await screenshot(s(), "review-ask-codex");
    });
  });

  it("Fix with Claude Code: starts Claude Code with the finding, then types the next one into that terminal only", { timeout: 300_000 }, async () => {
    const { page } = s();
    await run("fix-with-claude", async () => {
      // An unrelated terminal, active: it must not receive the finding.
      await s().runCommand("Terminal: Create New Terminal");
      await page.locator(".terminal-tab, .single-terminal-tab").first().waitFor({ state: "visible", timeout: 60_000 }).catch(() => undefined);
      await clearNotifications(s());
      await revealThreadAt(13);
      await thread("Retry count is not validated").locator('.review-actions a[aria-label="Fix with Claude Code"]').click();
      await toast(page, /Started Claude Code in a new terminal/).first().waitFor({ state: "visible", timeout: 60_000 });
      const started = await waitFor("the stand-in claude to start with the finding", () => readJsonLines<ClaudeCall>(claudeCalls).find((c) => c.argv), 60_000);
      assert.match(started.argv?.join(" ") ?? "", /P… major|major finding in src\/app\.ts:12-13: Retry count is not validated/);
      await clearNotifications(s());
      await revealThreadAt(20);
      await thread("is swallowed").locator('.review-actions a[aria-label="Fix with Claude Code"]').click();
      await toast(page, /Sent the finding to Claude Code in the terminal “Claude Code”/).first().waitFor({ state: "visible", timeout: 60_000 });
      const typed = await waitFor("the finding typed into the running Claude Code", () => readJsonLines<ClaudeCall>(claudeCalls).find((c) => c.stdin), 60_000);
      assert.match(typed.stdin ?? "", /blocker finding in src\/app\.ts:20: the error from `fetch` is swallowed/);
      assert.equal(readJsonLines<ClaudeCall>(claudeCalls).filter((c) => c.argv).length, 1, "no second Claude Code was started");
      assert.match(await thread("is swallowed").innerText(), /Sent the finding to Claude Code/, "the thread says what happened");
    });
  });

  it("Fix with Claude Code finds Claude Code that the person started in a terminal of their own", { timeout: 240_000 }, async () => {
    const { page } = s();
    await run("fix-into-own-terminal", async () => {
      await s().runCommand("Terminal: Kill All Terminals");
      await s().runCommand("Terminal: Create New Terminal");
      await page.locator(".terminal-wrapper .xterm").first().waitFor({ state: "visible", timeout: 60_000 });
      await page.locator(".terminal-wrapper .xterm").first().click();
      await page.keyboard.type("claude");
      await page.keyboard.press("Enter");
      await waitFor("the person's claude to start", () => readJsonLines<ClaudeCall>(claudeCalls).filter((c) => c.argv).length === 2, 60_000);
      await clearNotifications(s());
      await revealThreadAt(13);
      await thread("Retry count is not validated").locator('.review-actions a[aria-label="Fix with Claude Code"]').click();
      await toast(page, /Sent the finding to Claude Code in the terminal/).first().waitFor({ state: "visible", timeout: 60_000 });
      await waitFor("the finding typed into the person's Claude Code", () => readJsonLines<ClaudeCall>(claudeCalls).some((c) => /Retry count is not validated/.test(c.stdin ?? "")), 60_000);
      assert.equal(readJsonLines<ClaudeCall>(claudeCalls).filter((c) => c.argv).length, 2, "no Claude Code was started for it");
    });
  });

  it("Dismiss removes the thread and its Problems entry", { timeout: 180_000 }, async () => {
    const { page } = s();
    await run("dismiss", async () => {
      await revealThreadAt(5);
      await thread("magic number").locator('.review-actions a[aria-label="Dismiss Finding"]').click();
      await waitFor("two threads left", async () => (await threads().count()) === 2, 60_000);
      assert.equal(await threads().filter({ hasText: "magic number" }).count(), 0);
      await showProblems();
      await waitFor("two Codex entries left in Problems", async () => (await problemRows().count()) === 2, 60_000);
      assert.doesNotMatch((await problemRows().allInnerTexts()).join("\n"), /magic number/);
      // The panel shows the Ask Codex answer now; the review's list marks the finding dismissed.
      const frame = await verdictFrame(page);
      await frame.locator("#history .history-item", { hasText: "Diff review" }).first().click();
      await frame.locator('#findings .finding[data-state="dismissed"]', { hasText: "magic number" }).first().waitFor({ state: "visible", timeout: 60_000 });
    });
  });

  it("Codex's own reviewer runs from the quick pick and replaces the findings", { timeout: 300_000 }, async () => {
    const { page } = s();
    await run("native-review", async () => {
      await clearNotifications(s());
      await reviewFromQuickPick("Codex reviewer: uncommitted changes");
      await statusBarItem(page, "Codex review: 0 blocker, 1 major, 1 minor").first().waitFor({ state: "visible", timeout: 90_000 });
      assert.equal(prompts().at(-1), "/review", "the agent got Codex's review command");
      await openFile(s(), "src/app.ts");
      await waitFor("the two findings of Codex's reviewer as threads", async () => (await threads().count()) === 2, 60_000);
      assert.match(await thread("Guard the retry count").locator(".review-title").innerText(), /Codex · P1 · major/);
      assert.match(await thread("Name the timeout").innerText(), /Codex's own reviewer/);
      await showProblems();
      await waitFor("two Codex entries in Problems", async () => (await problemRows().count()) === 2, 60_000);
      const frame = await verdictFrame(page);
      await waitFor("the native review selected in the panel", async () => /Codex's reviewer: uncommitted changes/.test(await frame.locator("#result-title").innerText()), 60_000);
      assert.equal((await frame.locator("#verdict-badge").innerText()).trim(), "NO VERDICT");
      assert.match(await frame.locator("#result-notes").innerText(), /no VERDICT line/);
      assert.equal((await frame.locator("#answer").innerText()).split("Full review comments:").length - 1, 1, "the doubled rendering is shown once");
      await revealThreadAt(13);
      await screenshot(s(), "review-native");
      // A long review opens full width in an editor tab.
      await frame.locator("#open-editor").click();
      await page.locator(".tabs-container .tab.active", { hasText: /Codex Diff review/ }).first().waitFor({ state: "visible", timeout: 60_000 });
      await waitFor("the answer in the editor tab", async () => /Full review comments:/.test((await page.locator(".editor-group-container.active .view-lines").first().innerText()).replace(/\u00a0/g, " ")), 30_000);
    });
  });

  it("the walkthrough's steps tick from what happened: the agent ran, Codex answered, a review, the panels", { timeout: 180_000 }, async () => {
    const { page } = s();
    await run("walkthrough-ticks", async () => {
      await clearNotifications(s());
      await s().runCommand("Welcome: Open Walkthrough");
      await pickQuickItem(page, "Get started with Codex Fusion", 20_000);
      const step = (id: string) => page.locator(`.gettingStartedContainer button.getting-started-step[data-step-id$="${id}"]`).first();
      await step("review").waitFor({ state: "attached", timeout: 60_000 });
      for (const id of ["agent", "signIn", "review", "panels"]) {
        await waitFor(`the walkthrough step "${id}" to be ticked`, async () => (await step(id).getAttribute("aria-checked")) === "true", 30_000);
      }
      // Claude Code never asked through this window, and Connect Claude Code was not run: that step stays open.
      assert.equal(await step("claude").getAttribute("aria-checked"), "false");
      assert.match(await page.locator(".gettingStartedContainer").first().innerText(), /five steps/);
    });
  });
});
