/**
 * Codex's proposed changes in a real VS Code (code-server + chromium, see harness.ts) against the scripted fake ACP
 * agent, whose `write-file` scenario writes a file in its copy as Codex does in workspace-write mode:
 *  - Ask Codex to Do a Task → a notification offers the change → View Changes opens VS Code's multi-file diff →
 *    Apply writes the file into the workspace (the extension's own git apply) and removes the copy;
 *  - Discard leaves nothing in the workspace and no copy;
 *  - a patch made stale by an edit is refused and the workspace is left exactly as it was;
 *  - a change to a protected path asks for an explicit confirmation, and Cancel applies nothing;
 *  - Review Current Diff → Fix with Codex on a finding's thread → Apply writes Codex's fix and the thread says the
 *    finding is fixed (the fake agent's default scenario writes a file: the finding's text carries no marker);
 *  - Fix all with Codex in the verdict panel → one change for the review's open findings → View Changes leaves them
 *    "fix proposed", Apply from the Codex Changes view marks them fixed, and the panel keeps the latest review in view with
 *    those states while a later ask (a consult) is shown.
 * The workspace lives under /var/tmp: a delegate refuses one under /tmp (codex-acp's sandbox lets commands write there).
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, it } from "node:test";
import type { VsCodeSession } from "./harness";
import { appSource, closeWithoutOrphans, ensureBuilt, expandPane, git, openFile, pickQuickItem, QUICK_INPUT, launchWithFakeAgent, screenshot, step, submitInputBox, suiteOrSkip, tempDir, toast, verdictFrame, waitFor, waitForReady } from "./fixtures";

const PREFIX = "vscode-changes";

suiteOrSkip("Codex Fusion in VS Code: Codex's proposed changes — diff, Apply, Discard, stale and protected", () => {
  let session: VsCodeSession | undefined;
  let tmp = "";
  let workspace = "";
  let stateDir = "";
  let agentLog = "";
  const serverPids = new Set<number>();
  const s = (): VsCodeSession => {
    if (!session) throw new Error("no VS Code session (launch failed)");
    return session;
  };
  const run = <T>(name: string, fn: () => Promise<T>) => step(session, PREFIX, name, fn);
  const copies = () => (existsSync(join(stateDir, "copies")) ? readdirSync(join(stateDir, "copies")).filter((name) => name.startsWith("change-")) : []);

  /** Runs a delegate from the command palette and waits for its notification. */
  async function delegate(task: string): Promise<void> {
    await s().runCommand("Codex Fusion: Ask Codex to Do a Task…");
    await submitInputBox(s().page, task, 30_000);
  }

  async function clickOnOffer(button: string): Promise<void> {
    const offer = toast(s().page, /Codex proposes a change/);
    await offer.first().waitFor({ state: "visible", timeout: 120_000 });
    await offer.first().locator(".monaco-button", { hasText: new RegExp(`^${button}$`) }).first().click();
    await offer.first().waitFor({ state: "hidden", timeout: 60_000 });
  }

  before(
    async () => {
      const { vsix, fakeAgent } = await ensureBuilt();
      tmp = await tempDir("changes-test");
      workspace = mkdtempSync(join(existsSync("/var/tmp") ? "/var/tmp" : tmp, "vscode-changes-ws-"));
      stateDir = join(tmp, "state");
      agentLog = join(tmp, "fake-agent.jsonl");
      await mkdir(stateDir, { recursive: true });
      await writeFile(join(workspace, "app.js"), "module.exports = 1;\n");
      await mkdir(join(workspace, "src"), { recursive: true });
      await writeFile(join(workspace, "src", "app.ts"), appSource(30));
      await git(workspace, "init", "-q");
      await git(workspace, "add", ".");
      await git(workspace, "commit", "-q", "-m", "initial");
      // The change a review finds three findings in (the fake Codex answers the marker with them).
      await writeFile(join(workspace, "src", "app.ts"), appSource(30).replace("// src/app.ts line 5", "export const timeoutMs = 30_000; // [[fake:review3]]"));
      session = await run("launch", () =>
        launchWithFakeAgent({ vsix, fakeAgent, workspace, stateDir, agentLog, env: { FAKE_AGENT_INSTANT: "1", FAKE_AGENT_DEFAULT_SCENARIO: "write-file:fixed-by-codex.txt" } }),
      );
      await waitForReady(s().page);
    },
    { timeout: 720_000 },
  );

  after(async () => {
    await closeWithoutOrphans(session, { serverPids, stateDir, agentLog, tmp });
    rmSync(workspace, { recursive: true, force: true });
  }, { timeout: 180_000 });

  it("Ask Codex to Do a Task → the diff opens → Apply writes the file and removes the copy", { timeout: 360_000 }, async () => {
    await run("apply", async () => {
      await delegate("Add fixed.txt [[fake:write-file:fixed.txt]]");
      await clickOnOffer("View Changes");
      await s().page.locator(".tab", { hasText: /Codex's change change-/ }).first().waitFor({ state: "visible", timeout: 60_000 });
      await screenshot(s(), "vscode-codex-change");
      assert.ok(!existsSync(join(workspace, "fixed.txt")), "viewing changes nothing");
      await s().runCommand("Codex Fusion: Apply Codex's Proposed Change");
      await waitFor("the file applied", () => existsSync(join(workspace, "fixed.txt")), 60_000);
      assert.equal(readFileSync(join(workspace, "fixed.txt"), "utf8"), "hello from the fake agent\n");
      await waitFor("the copy removed", () => copies().length === 0, 60_000);
    });
  });

  it("the Codex Changes view lists the proposed change; Discard leaves nothing and empties it", { timeout: 360_000 }, async () => {
    await run("discard", async () => {
      await delegate("Add dropped.txt [[fake:write-file:dropped.txt]]");
      await toast(s().page, /Codex proposes a change/).first().waitFor({ state: "visible", timeout: 120_000 });
      // The view's badge (1 change proposed) sits over the activity-bar icon: click through it.
      if (!(await s().page.locator('.part.sidebar .pane-header[aria-label^="Codex Changes"]').first().isVisible().catch(() => false))) {
        await s().page.locator('.part.activitybar .action-item a[aria-label^="Codex Fusion"]').first().click({ force: true });
      }
      await expandPane(s().page, "Codex Changes");
      const row = s().page.locator(".part.sidebar .monaco-list-row", { hasText: "Add dropped.txt" });
      await row.first().waitFor({ state: "visible", timeout: 60_000 });
      assert.match(await row.first().innerText(), /1 file \(\+1 −0\)/);
      await screenshot(s(), "vscode-codex-changes-view");
      await clickOnOffer("Discard");
      await row.first().waitFor({ state: "detached", timeout: 60_000 });
      await waitFor("the copy removed", () => copies().length === 0, 60_000);
      assert.ok(!existsSync(join(workspace, "dropped.txt")));
    });
  });

  it("a patch made stale by an edit is refused without touching the workspace", { timeout: 360_000 }, async () => {
    await run("stale", async () => {
      await delegate("Rewrite app.js [[fake:write-file:app.js]]");
      const offer = toast(s().page, /Codex proposes a change/);
      await offer.first().waitFor({ state: "visible", timeout: 120_000 });
      await writeFile(join(workspace, "app.js"), "module.exports = 2; // edited meanwhile\n");
      await offer.first().locator(".monaco-button", { hasText: /^Apply$/ }).first().click();
      await toast(s().page, /no longer applies/).first().waitFor({ state: "visible", timeout: 60_000 });
      assert.equal(readFileSync(join(workspace, "app.js"), "utf8"), "module.exports = 2; // edited meanwhile\n");
    });
  });

  it("a protected path asks for an explicit confirmation; Cancel applies nothing", { timeout: 360_000 }, async () => {
    await run("protected", async () => {
      await delegate("Add .envrc [[fake:write-file:.envrc]]");
      await clickOnOffer("Apply");
      const dialog = s().page.locator(".monaco-dialog-box", { hasText: /Apply it anyway\?/ });
      await dialog.first().waitFor({ state: "visible", timeout: 60_000 });
      assert.match(await dialog.first().innerText(), /\.envrc: a protected path/);
      await screenshot(s(), "vscode-codex-change-protected");
      await dialog.first().locator(".monaco-button", { hasText: /^Cancel$/ }).first().click();
      await dialog.first().waitFor({ state: "hidden", timeout: 60_000 });
      assert.ok(!existsSync(join(workspace, ".envrc")));
    });
  });

  it("Review Current Diff → Fix with Codex on a finding's thread → Apply writes the fix; the thread says the finding is fixed", { timeout: 480_000 }, async () => {
    await run("fix-with-codex", async () => {
      const page = s().page;
      await openFile(s(), "src/app.ts");
      await s().runCommand("Codex Fusion: Review Current Diff");
      await pickQuickItem(page, "Working tree vs HEAD", 20_000);
      const thread = page.locator(".monaco-editor .review-widget").filter({ hasText: "Retry count is not validated" }).first();
      await waitFor("the review's threads", async () => (await page.locator(".monaco-editor .review-widget").count()) === 3, 120_000);
      // Bring the thread into view (Monaco draws only what is on screen).
      if (await page.locator(".part.panel").first().isVisible().catch(() => false)) await s().runCommand("View: Toggle Panel Visibility");
      await s().runCommand("Go to Line/Column...");
      await page.keyboard.type("13");
      await page.keyboard.press("Enter");
      await page.locator(QUICK_INPUT).waitFor({ state: "hidden", timeout: 30_000 });
      await thread.locator('.review-actions a[aria-label="Fix with Codex"]').click();
      await clickOnOffer("Apply");
      await waitFor("Codex's fix in the workspace", () => existsSync(join(workspace, "fixed-by-codex.txt")), 60_000);
      await waitFor("the thread's note", async () => /this finding is fixed/.test(await thread.innerText()), 60_000);
      await screenshot(s(), "vscode-fix-with-codex");
    });
  });

  it("Fix all with Codex in the verdict panel: one change for the open findings; the panel keeps the review in view with their states", { timeout: 480_000 }, async () => {
    await run("fix-all-with-codex", async () => {
      const page = s().page;
      // Codex's fix from the test before, gone: the copy starts without it, so writing it again is a change.
      rmSync(join(workspace, "fixed-by-codex.txt"), { force: true });
      const changesBefore = copies().length;
      await openFile(s(), "src/app.ts");
      await s().runCommand("Codex Fusion: Review Current Diff");
      await pickQuickItem(page, "Working tree vs HEAD", 20_000);
      await waitFor("the review's threads", async () => (await page.locator(".monaco-editor .review-widget").count()) === 3, 120_000);
      const frame = await verdictFrame(page);
      const section = frame.locator("#latest-review");
      await section.waitFor({ state: "visible", timeout: 60_000 });
      await waitFor("three open findings counted", async () => /3 findings: 3 open/.test(await frame.locator("#latest-review-counts").innerText()), 60_000);
      const fixAll = frame.locator("#fix-all");
      assert.equal((await fixAll.innerText()).trim(), "Fix all with Codex (3)");
      await fixAll.click();
      // One change for all three: View Changes leaves it proposed.
      await clickOnOffer("View Changes");
      await page.locator(".tab", { hasText: /Codex's change change-/ }).first().waitFor({ state: "visible", timeout: 60_000 });
      await waitFor("three fixes proposed", async () => /3 findings: 3 fix proposed/.test(await frame.locator("#latest-review-counts").innerText()), 60_000);
      assert.equal(copies().length, changesBefore + 1, "one change (one copy) for the three findings");
      assert.ok(await fixAll.isDisabled(), "nothing left open to fix");
      // A later ask becomes the turn shown; the review's findings stay in view above it with their states.
      await s().runCommand("View: Close Editor");
      // A file without the review's marker: the selection goes to Codex with the question.
      await openFile(s(), "app.js");
      await page.locator(".editor-group-container.active .monaco-editor .view-lines").first().click();
      await page.keyboard.press("Control+A");
      await s().runCommand("Codex Fusion: Consult About Selection");
      await submitInputBox(page, "Is this module fine now? [[fake:clean]]");
      await waitFor("the later ask shown", async () => /^Consult/.test(await frame.locator("#result-title").innerText()), 120_000);
      await waitFor("the latest review's list while another turn is shown", async () => (await frame.locator('#latest-review-findings .finding[data-state="fix_proposed"]').count()) === 3, 60_000);
      assert.ok(!existsSync(join(workspace, "fixed-by-codex.txt")), "a proposed fix changes nothing");
      // Apply later, from the Codex Changes view (other tests' changes wait there too): the findings follow the change.
      if (!(await page.locator('.part.sidebar .pane-header[aria-label^="Codex Changes"]').first().isVisible().catch(() => false))) {
        await page.locator('.part.activitybar .action-item a[aria-label^="Codex Fusion"]').first().click({ force: true });
      }
      await expandPane(page, "Codex Changes");
      const row = page.locator(".part.sidebar .monaco-list-row", { hasText: "reported 3 open findings" }).first();
      await row.waitFor({ state: "visible", timeout: 60_000 });
      await row.hover();
      await row.locator(`.action-label[aria-label="Apply Codex's Proposed Change"]`).first().click();
      await waitFor("Codex's fix in the workspace", () => existsSync(join(workspace, "fixed-by-codex.txt")), 60_000);
      await waitFor("the three findings fixed", async () => (await frame.locator('#latest-review-findings .finding[data-state="fixed"]').count()) === 3, 60_000);
      assert.match(await frame.locator("#latest-review-counts").innerText(), /3 findings: 3 fixed/);
      await waitFor("the copy removed", () => copies().length === changesBefore, 60_000);
      await screenshot(s(), "vscode-fix-all-with-codex");
    });
  });
});
