/**
 * What a person sees of the debate, in a real VS Code (code-server 4.139.1 + chromium, see harness.ts), against the
 * scripted fake ACP agent (out/fake-agent.js, selected through CODEX_FUSION_ACP_COMMAND):
 *  - a permission request from the agent shows a notification; clicking Deny reaches the agent (its log records the
 *    reject option) and the Permissions tree lists the decision;
 *  - when Claude (an MCP client of the same server) decides first, the tree says so and a late click on the
 *    notification is told who decided;
 *  - Review Current Diff on a repository with a change shows the answer, the CONSENSUS badge and the finding in the
 *    verdict panel; clicking the finding opens src/app.ts at line 12; the Problems view shows the diagnostic.
 *
 * ONE code-server session for the whole file; the steps run in order and share it. Skips visibly when the toolchain
 * is not set up. Screenshots (used in the README): test-results/permission-notification.png, permissions-tree.png,
 * panel-verdict.png, problems.png.
 */
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { VsCodeSession } from "./harness";
import {
  appSource,
  clearNotifications,
  closeWithoutOrphans,
  ensureBuilt,
  expandPane,
  git,
  openCodexFusionContainer,
  permissionsPane,
  pickQuickItem,
  processAlive,
  readDiscovery,
  readJsonLines,
  statusBarItem,
  screenshot,
  step,
  suiteOrSkip,
  submitInputBox,
  tempDir,
  toast,
  verdictFrame,
  waitFor,
  openFile,
  resizePane,
  widenSidebar,
  launchWithFakeAgent,
  type AgentLogLine,
} from "./fixtures";

const PREFIX = "vscode-features";
const CACHE_SOURCE = `// Parsed configs, cached per workspace folder.
// [[fake:permission]] <- test marker: the fake Codex agent asks to run \`touch x\`
export const configCache = new Map<string, unknown>();
`;

suiteOrSkip("Codex Fusion in VS Code: permissions, verdict panel, Review Current Diff, Problems", () => {
  let session: VsCodeSession | undefined;
  let tmp = "";
  let stateDir = "";
  let agentLog = "";
  /** Every server pid seen; none may outlive the session. */
  const serverPids = new Set<number>();

  const s = (): VsCodeSession => {
    if (!session) throw new Error("no VS Code session (launch failed)");
    return session;
  };
  const run = <T>(name: string, fn: () => Promise<T>) => step(session, PREFIX, name, fn);
  const agentResponses = () => readJsonLines<AgentLogLine>(agentLog).filter((l) => l.event === "response");

  /** Waits until the verdict panel shows `count` finished turns and no live one. */
  async function waitForHistory(count: number, timeoutMs = 60_000): Promise<void> {
    await waitFor(
      `${count} finished turn(s) in the verdict panel`,
      async () => {
        const frame = await verdictFrame(s().page, 10_000);
        const items = await frame.locator("#history .history-item").count();
        const live = await frame.locator("#live").isVisible();
        return items >= count && !live;
      },
      timeoutMs,
      300,
    );
  }

  before(
    async () => {
      const { vsix, fakeAgent } = await ensureBuilt();
      tmp = await tempDir("features-test");
      const workspace = join(tmp, "workspace");
      stateDir = join(tmp, "state");
      agentLog = join(tmp, "fake-agent.jsonl");
      await mkdir(join(workspace, "src"), { recursive: true });
      await mkdir(stateDir, { recursive: true });
      // A repository with one committed file and an uncommitted change to it.
      await writeFile(join(workspace, "src", "app.ts"), appSource());
      await writeFile(join(workspace, "README.md"), "# demo\n");
      // Selected and sent as the context of a consult: the marker makes the fake agent ask to run `touch x`, and the
      // question shown in the panel stays clean. Committed, so the working-tree review below does not carry it.
      await writeFile(join(workspace, "src", "cache.ts"), CACHE_SOURCE);
      await git(workspace, "init", "-q");
      await git(workspace, "add", ".");
      await git(workspace, "commit", "-q", "-m", "initial");
      await writeFile(join(workspace, "src", "app.ts"), appSource().replace("// src/app.ts line 5", "export const timeoutMs = 30_000; // changed"));
      session = await run("launch", () =>
        launchWithFakeAgent({
          vsix,
          fakeAgent,
          workspace,
          stateDir,
          agentLog: agentLog,
        }),
      );
    },
    { timeout: 720_000 },
  );

  // Neither the server nor the agents it started (in process groups of their own) may outlive the session.
  after(() => closeWithoutOrphans(session, { serverPids, stateDir, agentLog, tmp }), { timeout: 180_000 });

  it("the Codex Fusion views open: Permissions (nothing waiting) and an empty Verdict panel", { timeout: 360_000 }, async () => {
    const { page } = s();
    await run("views", async () => {
      await statusBarItem(page, "Codex: ready").first().waitFor({ state: "visible", timeout: 90_000 });
      const record = await waitFor("a discovery file with a live server pid", () => readDiscovery(stateDir).find((r) => processAlive(r.pid)), 60_000);
      serverPids.add(record.pid);
      await openCodexFusionContainer(page);
      await expandPane(page, "Permissions");
      await expandPane(page, "Verdict");
      await widenSidebar(page, 560);
      await resizePane(page, "Permissions", 170);
      await permissionsPane(page).getByText("Nothing is waiting for a decision").first().waitFor({ state: "visible", timeout: 60_000 });
      const frame = await verdictFrame(page);
      await frame.locator("#empty").waitFor({ state: "visible", timeout: 60_000 });
    });
  });

  it("a permission request shows a notification; Deny reaches the agent; the tree lists the decision", { timeout: 360_000 }, async () => {
    const { page } = s();
    await run("permission-notification", async () => {
      // Consult About Selection with src/cache.ts selected; app.ts stays open behind it for the screenshot.
      await openFile(s(), "src/app.ts");
      await openFile(s(), "src/cache.ts");
      await page.locator(".editor-group-container.active .monaco-editor .view-lines").first().click();
      await page.keyboard.press("Control+A");
      await s().runCommand("Codex Fusion: Consult About Selection");
      await submitInputBox(page, "Is a per-folder config cache safe across window reloads?");
      await s().runCommand("View: Close Editor");
      await page.locator(".tabs-container .tab.active", { hasText: "app.ts" }).first().waitFor({ state: "visible", timeout: 60_000 });
      const notification = toast(page, /Codex wants to run .touch x./);
      await notification.first().waitFor({ state: "visible", timeout: 60_000 });
      for (const label of ["Allow once", "Allow for session", "Deny", "Details"]) {
        await notification.first().locator(".monaco-button", { hasText: label }).first().waitFor({ state: "visible", timeout: 60_000 });
      }
      // The tree lists it as pending, the status bar says so, and the panel's live turn waits for it.
      await permissionsPane(page).locator(".monaco-list-row", { hasText: "touch x" }).first().waitFor({ state: "visible", timeout: 60_000 });
      await statusBarItem(page, "permission pending").first().waitFor({ state: "visible", timeout: 60_000 });
      const frame = await verdictFrame(page);
      await frame.locator("#live-waiting").waitFor({ state: "visible", timeout: 60_000 });
      await screenshot(s(), "permission-notification");
      await notification.first().locator(".monaco-button", { hasText: /^Deny$/ }).first().click();
    });
    await run("deny-reaches-agent", async () => {
      const denied = await waitFor("the agent to receive the reject option", () => agentResponses().find((l) => l.result?.outcome?.optionId === "cancel"), 60_000);
      assert.equal(denied.result?.outcome?.outcome, "selected");
      // Nothing else answered that request (no allow slipped through).
      assert.ok(!agentResponses().some((l) => l.result?.outcome?.optionId?.startsWith("allow")), "no allow option was sent");
    });
    await run("permissions-tree", async () => {
      const decided = permissionsPane(page).locator(".monaco-list-row", { hasText: "touch x" }).filter({ hasText: "denied by you" });
      await decided.first().waitFor({ state: "visible", timeout: 60_000 });
      await permissionsPane(page).locator(".monaco-list-row", { hasText: "Recent decisions" }).first().waitFor({ state: "visible", timeout: 60_000 });
      // The turn goes on without the command (the server's follow-up prompt) and ends with an answer.
      await waitForHistory(1);
      await statusBarItem(page, "Codex: ready").first().waitFor({ state: "visible", timeout: 60_000 });
      await clearNotifications(s());
      await screenshot(s(), "permissions-tree");
    });
  });

  it("when Claude decides first, the tree says so and a late click on the notification is told", { timeout: 360_000 }, async () => {
    const { page } = s();
    const record = readDiscovery(stateDir)[0];
    assert.ok(record, "a discovery file for the editor's server");
    const client = new Client({ name: "claude-code", version: "2.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(record.url), { requestInit: { headers: { Authorization: `Bearer ${record.token}` } } });
    await client.connect(transport);
    try {
      await run("claude-decides-first", async () => {
        const asked = (await client.callTool({
          name: "consult",
          arguments: { question: "Should the config cache be shared between windows?", context: "[[fake:permission:touch claude.txt]]" },
        })) as {
          structuredContent?: { stopReason?: string; pendingPermission?: { id: string } };
        };
        assert.equal(asked.structuredContent?.stopReason, "permission_required", JSON.stringify(asked.structuredContent));
        const notification = toast(page, /touch claude\.txt/);
        await notification.first().waitFor({ state: "visible", timeout: 60_000 });
        // Claude answers while the notification is still up.
        const permitted = (await client.callTool({ name: "permit", arguments: { decision: "allow", note: "fine in a test" } })) as { structuredContent?: { verdict?: string } };
        assert.equal(permitted.structuredContent?.verdict, "consensus", JSON.stringify(permitted.structuredContent));
        await permissionsPane(page)
          .locator(".monaco-list-row", { hasText: "touch claude.txt" })
          .filter({ hasText: "allowed by Claude" })
          .first()
          .waitFor({ state: "visible", timeout: 60_000 });
        assert.ok(agentResponses().some((l) => l.result?.outcome?.optionId === "allow_once"), "the agent got Claude's allow");
        // The person clicks Deny on the stale notification: nothing is sent, they are told who decided.
        await notification.first().locator(".monaco-button", { hasText: /^Deny$/ }).first().click();
        await toast(page, "Already decided by Claude (allow)").first().waitFor({ state: "visible", timeout: 60_000 });
        assert.equal(agentResponses().filter((l) => l.result?.outcome?.optionId === "cancel").length, 1, "only the first Deny reached the agent");
        await waitForHistory(2);
        await clearNotifications(s());
        await screenshot(s(), "permissions-tree"); // now with both decisions: Claude's and yours
      });
    } finally {
      await client.close().catch(() => undefined);
    }
  });

  it("Review Current Diff: the panel shows the answer, CONSENSUS and the finding; the finding opens the file at its line", { timeout: 360_000 }, async () => {
    const { page } = s();
    await run("review-diff", async () => {
      await s().runCommand("View: Close All Editors");
      await page.locator(".tabs-container .tab").first().waitFor({ state: "detached", timeout: 60_000 });
      await s().runCommand("Codex Fusion: Review Current Diff");
      await pickQuickItem(page, "Working tree vs HEAD", 20_000);
      await waitForHistory(3);
      const frame = await verdictFrame(page);
      await waitFor("the newest turn (the diff review) to be selected", async () => /^Diff review/.test((await frame.locator("#result-title").innerText()).trim()), 60_000);
      assert.equal((await frame.locator("#verdict-badge").innerText()).trim(), "CONSENSUS");
      assert.match((await frame.locator("#verdict-badge").getAttribute("class")) ?? "", /\bconsensus\b/);
      assert.match(await frame.locator("#verdict-text").innerText(), /looks good/);
      assert.match(await frame.locator("#answer").innerText(), /I read the change and the surrounding code/);
      const finding = frame.locator('#findings .finding[data-severity="major"]', { hasText: "src/app.ts:12" });
      await finding.first().waitFor({ state: "visible", timeout: 60_000 });
      assert.match(await finding.first().innerText(), /example finding/);
      // The review prompt carried the diff of the change.
      const prompts = readJsonLines<AgentLogLine>(agentLog)
        .filter((l) => l.event === "request" && l.method === "session/prompt")
        .map((l) => (l.params?.prompt ?? []).map((b) => b.text ?? "").join("\n"));
      assert.ok(prompts.some((p) => p.includes("export const timeoutMs = 30_000; // changed")), "the working-tree diff reached Codex");
    });
    await run("open-finding", async () => {
      const frame = await verdictFrame(page);
      await frame.locator('#findings button.finding[data-severity="major"]').first().click();
      await page.locator(".tabs-container .tab.active", { hasText: "app.ts" }).first().waitFor({ state: "visible", timeout: 60_000 });
      await statusBarItem(page, /Ln 12, Col 1\b/).first().waitFor({ state: "visible", timeout: 60_000 });
      // The panel next to the file it points into (the warning squiggle on line 12 is the diagnostic).
      await frame.locator("#result").evaluate((el: { scrollIntoView(): void }) => el.scrollIntoView());
      await screenshot(s(), "panel-verdict");
    });
  });

  it("Problems shows the finding as a diagnostic from Codex", { timeout: 180_000 }, async () => {
    const { page } = s();
    await run("problems", async () => {
      await s().runCommand("View: Focus Problems (Errors, Warnings, Infos)");
      const row = page.locator(".markers-panel .monaco-list-row", { hasText: "example finding" });
      await row.first().waitFor({ state: "visible", timeout: 60_000 });
      const text = (await row.first().innerText()).replace(/\u00a0/g, " ");
      assert.match(text, /Codex/, `problem row: ${text}`);
      assert.match(text, /Ln 12/, `problem row: ${text}`);
      await page.locator(".markers-panel .monaco-list-row", { hasText: "app.ts" }).first().waitFor({ state: "visible", timeout: 60_000 });
      await screenshot(s(), "problems");
    });
  });
});
