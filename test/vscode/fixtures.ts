/**
 * Shared helpers for the real-VS-Code tests of the Codex Fusion extension (extension.test.ts, features.test.ts):
 * building the VSIX once, temp workspaces, the fake ACP agent, discovery files, and small Playwright waits that
 * work against code-server's workbench (VS Code 1.139.1).
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { launchVsCode, REPO_ROOT, vscodeAvailable, type VsCodeSession } from "./harness";

// playwright-core's types come through the harness (untyped until playwright-core is a devDependency).
type Page = VsCodeSession["page"];
type Locator = ReturnType<Page["locator"]>;
type Frame = ReturnType<Page["frames"]>[number];
type Box = { x: number; y: number; width: number; height: number };

export const VSIX = join(REPO_ROOT, `codex-fusion-${(JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version}.vsix`);
export const FAKE_AGENT = join(REPO_ROOT, "out", "fake-agent.js");

/**
 * The file's suite, or — when the real-VS-Code toolchain is not set up — one visibly skipped test saying why (a skipped
 * `describe` is not counted in node:test's "skipped" total).
 */
export function suiteOrSkip(title: string, body: () => void): void {
  const available = vscodeAvailable();
  if (available.ok) describe(title, body);
  else test(title, { skip: `real VS Code unavailable: ${available.why}` }, () => undefined);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function log(...parts: unknown[]): void {
  // node:test shows stderr of the test process; a timestamp makes slow steps visible.
  process.stderr.write(`[vscode ${new Date().toISOString().slice(11, 19)}] ${parts.map(String).join(" ")}\n`);
}

// ------------------------------------------------------------------------------------------------ build

/** Inputs of `npm run package` (the VSIX) and of out/fake-agent.js. */
const BUILD_INPUTS = ["extension", "server", "media", "package.json", "esbuild.mjs", ".vscodeignore", "README.md", "test/fixtures/fake-agent.ts"];
const BUILD_OUTPUTS_IGNORED = new Set([join(REPO_ROOT, "media", "verdict.js")]);

function newestMtime(path: string): number {
  if (BUILD_OUTPUTS_IGNORED.has(path) || !existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/**
 * Makes sure the VSIX and out/fake-agent.js are at least as new as their sources; runs `npm run package` (esbuild +
 * vsce, ~5 s) when they are not. CODEX_FUSION_VSCODE_REBUILD=1 forces it, =0 never builds. The test files call it
 * one after the other (run.sh runs them with --test-concurrency=1), so the second finds the build fresh.
 */
export async function ensureBuilt(): Promise<{ vsix: string; fakeAgent: string }> {
  const force = process.env.CODEX_FUSION_VSCODE_REBUILD;
  const built = Math.min(existsSync(VSIX) ? statSync(VSIX).mtimeMs : 0, existsSync(FAKE_AGENT) ? statSync(FAKE_AGENT).mtimeMs : 0);
  const sources = Math.max(...BUILD_INPUTS.map((p) => newestMtime(join(REPO_ROOT, p))));
  if (force !== "0" && (force === "1" || built === 0 || sources > built)) {
    log(`building the extension: npm run package (${built === 0 ? "no build yet" : force === "1" ? "forced" : "sources changed"})`);
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      // Without npm_* variables of a surrounding `npm run` (they would point npm at the wrong package).
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== "NODE_OPTIONS" && k !== "NODE_TEST_CONTEXT"));
      execFile("npm", ["run", "package"], { cwd: REPO_ROOT, env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`npm run package failed: ${error.message}\n${stdout}\n${stderr}`));
        else resolve();
      });
    });
    log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  if (!existsSync(VSIX)) throw new Error(`${VSIX} missing after the build`);
  if (!existsSync(FAKE_AGENT)) throw new Error(`${FAKE_AGENT} missing after the build`);
  return { vsix: VSIX, fakeAgent: FAKE_AGENT };
}

// ------------------------------------------------------------------------------------------ temp files

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `codex-fusion-${prefix}-`));
}

/** A TypeScript file of `lines` lines; line 12 says so (the fake agent's finding points at src/app.ts:12). */
export function appSource(lines = 24): string {
  const out: string[] = [];
  for (let i = 1; i <= lines; i++) {
    out.push(i === 12 ? `  const retries = 3; // line 12: the fake finding points here` : `// src/app.ts line ${i}`);
  }
  return `${out.join("\n")}\n`;
}

export function git(cwd: string, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      ["-c", "user.name=Codex Fusion Test", "-c", "user.email=test@codex-fusion.invalid", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", ...args],
      { cwd },
      (error, stdout, stderr) => (error ? reject(new Error(`git ${args.join(" ")}: ${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

/**
 * A fake `claude` executable in `binDir` (a Node script run by this test's Node): appends one JSON line per call,
 * `{"argv": [...], "cwd": "..."}`, to `callsFile` and prints what `claude mcp add` prints on success.
 */
export async function writeFakeClaude(binDir: string, callsFile: string): Promise<string> {
  await mkdir(binDir, { recursive: true });
  const file = join(binDir, "claude");
  await writeFile(
    file,
    `#!${process.execPath}
// Fake Claude Code CLI for test/vscode: records argv, pretends success.
require("node:fs").appendFileSync(${JSON.stringify(callsFile)}, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() }) + "\\n");
console.log("Added stdio MCP server codex-fusion to local config");
`,
  );
  await chmod(file, 0o755);
  return file;
}

/** A stand-in `claude` in `binDir`: records its argv, then every line typed into it, and stays running like the real TUI. */
export async function writeStandInClaude(binDir: string, callsFile: string): Promise<void> {
  await mkdir(binDir, { recursive: true });
  const file = join(binDir, "claude");
  await writeFile(
    file,
    `#!${process.execPath}
// Stand-in Claude Code for test/vscode: records argv and typed lines, stays running.
const fs = require("node:fs");
const record = (entry) => fs.appendFileSync(${JSON.stringify(callsFile)}, JSON.stringify(entry) + "\\n");
record({ argv: process.argv.slice(2) });
process.stdout.write("Claude Code (stand-in) is ready\\r\\n> ");
require("node:readline").createInterface({ input: process.stdin }).on("line", (line) => { record({ stdin: line }); process.stdout.write("> "); });
`,
  );
  await chmod(file, 0o755);
}

/**
 * A HOME for code-server whose `~/.local/bin` (where Claude Code's installer puts `claude`) is on PATH. VS Code's
 * server gives the extension host the PATH a login shell reports, so a PATH passed to code-server alone does not
 * reach the extension's `claude` lookup: `.profile` adds the bin dir, and SHELL=/bin/sh is a login shell that reads
 * it. The bin dir is on the PATH passed too, for when that resolution is skipped.
 */
export async function userHomeWithBin(tmp: string): Promise<{ home: string; bin: string; env: Record<string, string> }> {
  const home = join(tmp, "home");
  const bin = join(home, ".local", "bin");
  await mkdir(bin, { recursive: true });
  await writeFile(join(home, ".profile"), 'PATH="$HOME/.local/bin:$PATH"\nexport PATH\n');
  return { home, bin, env: { HOME: home, SHELL: "/bin/sh", PATH: `${bin}:${process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin"}` } };
}

/**
 * A fake `npm` in `binDir`: records argv like the fake claude, and for `install --prefix DIR` writes the agent's entry
 * file where a real install would put it, printing a progress line first (after a pause, so the progress shows).
 */
export async function writeFakeNpm(binDir: string, callsFile: string): Promise<string> {
  await mkdir(binDir, { recursive: true });
  const file = join(binDir, "npm");
  await writeFile(
    file,
    `#!${process.execPath}
// Fake npm for test/vscode: records argv, "installs" codex-acp into --prefix.
const fs = require("node:fs"), path = require("node:path");
const argv = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(callsFile)}, JSON.stringify({ argv, cwd: process.cwd() }) + "\\n");
const prefix = argv[argv.indexOf("--prefix") + 1];
console.log("fake npm: fetching @agentclientprotocol/codex-acp");
setTimeout(() => {
  const entry = path.join(prefix, "node_modules", "@agentclientprotocol", "codex-acp", "dist", "index.js");
  fs.mkdirSync(path.dirname(entry), { recursive: true });
  fs.writeFileSync(entry, "// fake agent entry\\n");
  console.log("added 1 package");
}, 1500);
`,
  );
  await chmod(file, 0o755);
  return file;
}

/** A line of the fake agent's JSONL log (FAKE_AGENT_LOG): its requests and our responses. */
export interface AgentLogLine {
  event: string;
  method?: string;
  params?: { prompt?: Array<{ type: string; text?: string }> };
  result?: { outcome?: { outcome?: string; optionId?: string } };
}

export function readJsonLines<T = unknown>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

// ------------------------------------------------------------------------------------------ discovery

export interface Discovery {
  pid: number;
  url: string;
  token: string;
  workspace: string;
  version: string;
  file: string;
}

/** The discovery records in CODEX_FUSION_STATE_DIR (servers/*.json), newest first. */
export function readDiscovery(stateDir: string): Discovery[] {
  const dir = join(stateDir, "servers");
  if (!existsSync(dir)) return [];
  const out: Array<Discovery & { mtimeMs: number }> = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(".json")) continue;
    try {
      const file = join(dir, name);
      const { mtimeMs } = statSync(file);
      out.push({ ...(JSON.parse(readFileSync(file, "utf8")) as Omit<Discovery, "file">), file, mtimeMs });
    } catch {
      // being replaced (or removed) right now
    }
  }
  return out.sort((a, b) => b.mtimeMs - a.mtimeMs).map(({ mtimeMs: _, ...record }) => record);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------------------------------ waiting

/** Polls `probe` until it returns a truthy value; throws with `what` (and the last value) after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 30_000, intervalMs = 200): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await probe();
      if (last) return last as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(intervalMs);
  }
}

/** The status bar item whose text matches. */
export function statusBarItem(page: Page, text: string | RegExp): Locator {
  return page.locator(".part.statusbar .statusbar-item", { hasText: text });
}

/** Waits until Codex Fusion's status bar item says "Codex: ready". */
export async function waitForReady(page: Page, timeoutMs = 90_000): Promise<void> {
  await statusBarItem(page, "Codex: ready").first().waitFor({ state: "visible", timeout: timeoutMs });
}

/** The text of Codex Fusion's status bar item ("Codex: …"), or null. */
export async function codexStatusText(page: Page): Promise<string | null> {
  const items = await page.locator(".part.statusbar .statusbar-item", { hasText: /Codex/ }).allInnerTexts();
  return items.map((t) => t.trim()).find((t) => /Codex/.test(t)) ?? null;
}

export const QUICK_INPUT = ".quick-input-widget";

/** Clicks the quick pick row whose label contains `text` (waits for it). */
export async function pickQuickItem(page: Page, text: string | RegExp, timeoutMs = 20_000): Promise<void> {
  const row = page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`, { hasText: text }).first();
  await row.waitFor({ state: "visible", timeout: timeoutMs });
  await row.click();
}

/** Types into the open input box (a showInputBox) and submits. */
export async function submitInputBox(page: Page, text: string, timeoutMs = 15_000): Promise<void> {
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.waitFor({ state: "visible", timeout: timeoutMs });
  await input.fill(text);
  await input.press("Enter");
  await page.locator(QUICK_INPUT).waitFor({ state: "hidden", timeout: timeoutMs });
}

/** Closes whatever quick input is open (Escape until it is hidden). */
export async function closeQuickInput(page: Page): Promise<void> {
  for (let i = 0; i < 3; i++) {
    if (!(await page.locator(QUICK_INPUT).isVisible().catch(() => false))) return;
    await page.keyboard.press("Escape");
    await sleep(150);
  }
}

/** A notification toast containing `text`. */
export function toast(page: Page, text: string | RegExp): Locator {
  return page.locator(".notification-toast", { hasText: text });
}

/** Clears every notification (so later screenshots show only what matters). */
export async function clearNotifications(session: VsCodeSession): Promise<void> {
  if ((await session.page.locator(".notification-toast").count()) === 0) return;
  await session.runCommand("Notifications: Clear All Notifications");
  await session.page.locator(".notification-toast").first().waitFor({ state: "detached", timeout: 60_000 }).catch(() => undefined);
}

/** Opens the Codex Fusion activity-bar container (idempotent: only clicks when its views are not showing). */
export async function openCodexFusionContainer(page: Page): Promise<void> {
  const permissionsHeader = page.locator('.part.sidebar .pane-header[aria-label^="Permissions"]');
  if (await permissionsHeader.first().isVisible().catch(() => false)) return;
  const icon = page.locator('.part.activitybar .action-item a[aria-label^="Codex Fusion"]').first();
  await icon.waitFor({ state: "visible", timeout: 60_000 });
  await icon.click();
  await permissionsHeader.first().waitFor({ state: "visible", timeout: 60_000 });
}

/** The Permissions view's pane (tree rows are `.monaco-list-row` inside it). */
export function permissionsPane(page: Page): Locator {
  return page.locator(".part.sidebar .pane", { has: page.locator('.pane-header[aria-label^="Permissions"]') });
}

/** Expands a sidebar pane (Permissions / Verdict) if it is collapsed. */
export async function expandPane(page: Page, title: string): Promise<void> {
  const header = page.locator(`.part.sidebar .pane-header[aria-label^="${title}"]`).first();
  await header.waitFor({ state: "visible", timeout: 60_000 });
  if ((await header.getAttribute("aria-expanded")) === "false") await header.click();
}

/**
 * The frame of the verdict panel's webview (the inner `#active-frame` document holding `#verdict-root`). Webview
 * frames come and go as views open; this looks them up each time.
 */
export async function verdictFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  return waitFor(
    "the verdict panel's webview",
    async () => {
      for (const frame of page.frames()) {
        if (frame.isDetached()) continue;
        const found = await frame
          .locator("#verdict-root")
          .count()
          .catch(() => 0);
        if (found > 0) return frame;
      }
      return null;
    },
    timeoutMs,
    250,
  );
}

/** Runs one step; on failure saves test-results/<prefix>-failure-<step>.png and names VS Code's log dir. */
export async function step<T>(session: VsCodeSession | undefined, prefix: string, name: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  log(`${prefix}: ${name} …`);
  try {
    const result = await fn();
    log(`${prefix}: ${name} ok (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (err) {
    const shot = session ? await session.screenshot(`${prefix}-failure-${name}`).catch(() => "(no screenshot)") : "(no session)";
    // Leave no modal dialog or quick pick behind for the next step.
    for (let i = 0; i < 2; i++) await session?.page.keyboard.press("Escape").catch(() => undefined);
    throw new Error(`${name}: ${(err as Error).message}\n(screenshot: ${shot}; VS Code logs: ${session?.logsDir ?? "none"})`, { cause: err });
  }
}

/** Drags the sash on the side bar's right edge until the side bar is about `width` px wide (for screenshots). */
export async function widenSidebar(page: Page, width: number): Promise<void> {
  const sidebar = page.locator(".part.sidebar").first();
  const box = (await sidebar.boundingBox()) as Box | null;
  if (!box || box.width >= width) return;
  const x = box.x + box.width;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + (width - box.width) / 2, y, { steps: 5 });
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
  const after = (await sidebar.boundingBox()) as Box | null;
  log(`side bar width ${Math.round(box.width)} → ${Math.round(after?.width ?? 0)} px`);
}

/**
 * Makes the side-bar pane `title` (not the last one) about `height` px tall by dragging the sash below it (for
 * screenshots). The pane headers themselves are never dragged: that would move the view.
 */
export async function resizePane(page: Page, title: string, height: number): Promise<void> {
  const header = (await page.locator(`.part.sidebar .pane-header[aria-label^="${title}"]`).first().boundingBox()) as Box | null;
  if (!header) return;
  const sashes = page.locator(".part.sidebar .monaco-sash.horizontal");
  let best: Box | null = null;
  for (let i = 0; i < (await sashes.count()); i++) {
    const box = (await sashes.nth(i).boundingBox()) as Box | null;
    if (!box || box.height === 0 || box.y <= header.y) continue;
    if (!best || box.y < best.y) best = box;
  }
  if (!best) return;
  const x = best.x + best.width / 2;
  const from = best.y + best.height / 2;
  await page.mouse.move(x, from);
  await page.mouse.down();
  await page.mouse.move(x, (from + header.y + height) / 2, { steps: 5 });
  await page.mouse.move(x, header.y + height, { steps: 5 });
  await page.mouse.up();
}

/** Opens a workspace file through Quick Open and waits for its tab. */
export async function openFile(session: VsCodeSession, relPath: string): Promise<void> {
  const { page } = session;
  const name = relPath.split("/").pop()!;
  await session.runCommand("Go to File...");
  const input = page.locator(`${QUICK_INPUT} .quick-input-box input`);
  await input.fill(relPath);
  await page.locator(`${QUICK_INPUT} .quick-input-list .monaco-list-row`, { hasText: name }).first().waitFor({ state: "visible", timeout: 60_000 });
  await input.press("Enter");
  await page.locator(".tabs-container .tab.active", { hasText: name }).first().waitFor({ state: "visible", timeout: 60_000 });
}

/** Waits until the verdict panel has rendered something (empty note, a result or a live turn), for screenshots. */
export async function verdictPanelRendered(page: Page, timeoutMs = 30_000): Promise<void> {
  const frame = await verdictFrame(page, timeoutMs);
  await frame.locator("#empty:visible, #result:visible, #live:visible").first().waitFor({ state: "visible", timeout: timeoutMs });
  await sleep(300); // the webview iframe fades in
}

/** A screenshot once the quick input (palette, picks) has faded out: test-results/<name>.png. */
export async function screenshot(session: VsCodeSession, name: string): Promise<string> {
  await session.page.locator(QUICK_INPUT).waitFor({ state: "hidden", timeout: 60_000 }).catch(() => undefined);
  await sleep(250); // fade-out animations (quick input, notification toasts)
  return session.screenshot(name);
}

/**
 * Codex Fusion in code-server against the fake agent: the agent command and the discovery-file directory reach the
 * server through the extension host's environment; no chat side bar and no walkthrough on install, so the views
 * have room in the screenshots.
 */
export function launchWithFakeAgent(opts: {
  vsix: string;
  fakeAgent: string;
  workspace: string;
  stateDir: string;
  agentLog: string;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
}): Promise<VsCodeSession> {
  return launchVsCode({
    vsix: opts.vsix,
    workspace: opts.workspace,
    settings: {
      "workbench.secondarySideBar.defaultVisibility": "hidden",
      "workbench.welcomePage.walkthroughs.openOnInstall": false,
      ...opts.settings,
    },
    env: {
      CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, opts.fakeAgent]),
      CODEX_FUSION_STATE_DIR: opts.stateDir,
      FAKE_AGENT_LOG: opts.agentLog,
      ...opts.env,
    },
  });
}

/**
 * The end of a file's session: code-server's process group is gone, and so are the servers (seen and in discovery
 * files) and the fake agents they started (in their own process groups); then the temp dir goes (unless
 * CODEX_FUSION_VSCODE_KEEP_TMP=1).
 */
export async function closeWithoutOrphans(session: VsCodeSession | undefined, opts: { serverPids: Iterable<number>; stateDir: string; agentLog: string; tmp: string }): Promise<void> {
  const pgid = session?.codeServerPid;
  await session?.close();
  if (pgid !== undefined) assert.throws(() => process.kill(-pgid, 0), /ESRCH/, "code-server's process group should be gone after close()");
  const pids = [...opts.serverPids, ...readDiscovery(opts.stateDir).map((r) => r.pid), ...readJsonLines<{ event: string; pid: number }>(opts.agentLog).filter((l) => l.event === "start").map((l) => l.pid)];
  await waitFor(`processes ${pids.join(", ")} to be gone`, () => pids.every((pid) => !processAlive(pid)), 60_000);
  if (opts.tmp && process.env.CODEX_FUSION_VSCODE_KEEP_TMP !== "1") await rm(opts.tmp, { recursive: true, force: true });
}
