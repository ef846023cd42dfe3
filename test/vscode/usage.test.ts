/**
 * Cost and context in a real VS Code (code-server + chromium, see harness.ts), against the scripted fake ACP agent
 * offering codex-acp's `/status` with rate-limit windows (FAKE_AGENT_RATE_LIMITS):
 *  - after an ask, the status bar tooltip shows the context and each quota window as meters, and the Verdict panel
 *    shows a meter for each and the Continue in Codex button;
 *  - Review Current Diff with the thresholds crossed (a tiny codexFusion.reviewWarningTokens, the 5-hour window 85 %
 *    used) asks first: Cancel sends nothing, Send Review sends the review.
 *
 * ONE code-server session for the whole file; the steps run in order and share it. Skips visibly when the toolchain
 * is not set up. Screenshots: test-results/vscode-usage-*.png.
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
  closeWithoutOrphans,
  ensureBuilt,
  expandPane,
  git,
  launchWithFakeAgent,
  openCodexFusionContainer,
  pickQuickItem,
  processAlive,
  readDiscovery,
  readJsonLines,
  screenshot,
  statusBarItem,
  step,
  suiteOrSkip,
  tempDir,
  verdictFrame,
  waitFor,
  widenSidebar,
  type AgentLogLine,
} from "./fixtures";

const PREFIX = "vscode-usage";
const LIMITS = [
  { label: "codex 5h limit", left: 15, resets: "23:59" },
  { label: "codex Weekly limit", left: 70 },
];

suiteOrSkip("Codex Fusion in VS Code: context and quota meters, the review cost warning", () => {
  let session: VsCodeSession | undefined;
  let tmp = "";
  let stateDir = "";
  let agentLog = "";
  const serverPids = new Set<number>();
  const s = (): VsCodeSession => {
    if (!session) throw new Error("no VS Code session (launch failed)");
    return session;
  };
  const run = <T>(name: string, fn: () => Promise<T>) => step(session, PREFIX, name, fn);
  const reviewPrompts = () =>
    readJsonLines<AgentLogLine>(agentLog)
      .filter((l) => l.event === "request" && l.method === "session/prompt")
      .map((l) => (l.params?.prompt ?? []).map((b) => b.text ?? "").join("\n"))
      .filter((text) => text.includes("// changed"));

  before(
    async () => {
      const { vsix, fakeAgent } = await ensureBuilt();
      tmp = await tempDir("usage-test");
      const workspace = join(tmp, "workspace");
      stateDir = join(tmp, "state");
      agentLog = join(tmp, "fake-agent.jsonl");
      await mkdir(join(workspace, "src"), { recursive: true });
      await mkdir(stateDir, { recursive: true });
      await writeFile(join(workspace, "src", "app.ts"), appSource());
      await git(workspace, "init", "-q");
      await git(workspace, "add", ".");
      await git(workspace, "commit", "-q", "-m", "initial");
      await writeFile(join(workspace, "src", "app.ts"), appSource().replace("// src/app.ts line 5", "export const retries = 3; // changed"));
      session = await run("launch", () =>
        launchWithFakeAgent({
          vsix,
          fakeAgent,
          workspace,
          stateDir,
          agentLog,
          env: { FAKE_AGENT_RATE_LIMITS: JSON.stringify(LIMITS) },
          settings: { "codexFusion.reviewWarningTokens": 10, "codexFusion.quotaWarningPercent": 80 },
        }),
      );
    },
    { timeout: 720_000 },
  );

  after(() => closeWithoutOrphans(session, { serverPids, stateDir, agentLog, tmp }), { timeout: 180_000 });

  it("after an ask: meters in the Verdict panel and the status bar tooltip; Continue in Codex is offered", { timeout: 360_000 }, async () => {
    const { page } = s();
    await run("ask", async () => {
      await statusBarItem(page, "Codex: ready").first().waitFor({ state: "visible", timeout: 90_000 });
      const record = await waitFor("a discovery file with a live server pid", () => readDiscovery(stateDir).find((r) => processAlive(r.pid)), 60_000);
      serverPids.add(record.pid);
      const client = new Client({ name: "claude-code", version: "2.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(record.url), { requestInit: { headers: { Authorization: `Bearer ${record.token}` } } }));
      try {
        const answer = (await client.callTool({ name: "consult", arguments: { question: "How much context is left?" } })) as { structuredContent?: Record<string, any> };
        assert.ok(answer.structuredContent?.context?.size > 0, JSON.stringify(answer.structuredContent));
      } finally {
        await client.close().catch(() => undefined);
      }
    });
    await run("panel-meters", async () => {
      await openCodexFusionContainer(page);
      await expandPane(page, "Verdict");
      await widenSidebar(page, 560);
      const frame = await verdictFrame(page);
      await waitFor("three meters (context, 5h, weekly)", async () => (await frame.locator("#usage .usage-meter").count()) === 3, 60_000);
      const text = await frame.locator("#usage").innerText();
      assert.match(text, /Context/);
      assert.match(text, /codex 5h limit\s*85 %/);
      assert.match(text, /codex Weekly limit\s*30 %/);
      assert.equal(await frame.locator("#usage meter").nth(1).getAttribute("value"), "85");
      await frame.locator("#continue-in-codex").waitFor({ state: "visible", timeout: 30_000 });
      await screenshot(s(), `${PREFIX}-panel`);
    });
    await run("tooltip", async () => {
      await statusBarItem(page, "Codex: ready").first().hover();
      const hover = page.locator(".monaco-hover, .workbench-hover", { hasText: "codex 5h limit" });
      await hover.first().waitFor({ state: "visible", timeout: 30_000 });
      const text = (await hover.first().innerText()).replace(/\u00a0/g, " ");
      assert.match(text, /Context: ▰*▱+ [\d.]+ % used/);
      assert.match(text, /codex 5h limit: ▰{8,9}▱{1,2} 85 % used/);
      assert.match(text, /codex Weekly limit: ▰{3}▱{7} 30 % used/);
      await screenshot(s(), `${PREFIX}-tooltip`);
      await page.mouse.move(0, 0);
    });
  });

  it("Review Current Diff over the thresholds asks first: Cancel sends nothing, Send Review sends it", { timeout: 360_000 }, async () => {
    const { page } = s();
    const dialog = page.locator(".monaco-dialog-box", { hasText: "This review would send" });
    await run("warning-cancel", async () => {
      await s().runCommand("Codex Fusion: Review Current Diff");
      await pickQuickItem(page, "Working tree vs HEAD", 20_000);
      await dialog.first().waitFor({ state: "visible", timeout: 60_000 });
      assert.match(await dialog.first().innerText(), /This review would send ~[\d,]+ tokens; 85 % of the codex 5h limit is used \(resets 23:59\)/);
      await screenshot(s(), `${PREFIX}-warning`);
      await dialog.first().locator(".monaco-button", { hasText: "Cancel" }).first().click();
      await dialog.first().waitFor({ state: "hidden", timeout: 30_000 });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(reviewPrompts().length, 0, "a cancelled review sends nothing");
    });
    await run("warning-send", async () => {
      await s().runCommand("Codex Fusion: Review Current Diff");
      await pickQuickItem(page, "Working tree vs HEAD", 20_000);
      await dialog.first().waitFor({ state: "visible", timeout: 60_000 });
      await dialog.first().locator(".monaco-button", { hasText: "Send Review" }).first().click();
      await waitFor("the review to reach the agent", () => reviewPrompts().length === 1, 60_000);
    });
  });
});
