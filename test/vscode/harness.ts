/**
 * Real-VS-Code test harness: code-server (VS Code 1.139.1 in the browser, Node 24 extension host) driven by
 * Debian chromium through playwright-core. Toolchain comes from test/vscode/setup.sh (cache dir outside the repo).
 *
 *   const s = await launchVsCode({ vsix, workspace });
 *   try { await s.runCommand("Codex Fusion: ..."); } finally { await s.close(); }
 *
 * Tests should skip visibly when `vscodeAvailable().ok` is false (setup.sh not run).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readFileSync, type WriteStream } from "node:fs";
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type * as PlaywrightCore from "playwright-core";

type Page = PlaywrightCore.Page;
type BrowserContext = PlaywrightCore.BrowserContext;
type ConsoleMessage = PlaywrightCore.ConsoleMessage;

export interface VsCodeSession {
  page: Page;
  baseUrl: string;
  userDataDir: string;
  extensionsDir: string;
  workspace: string;
  logsDir: string;
  /** Process id of code-server; it leads its own process group (pgid === pid). */
  codeServerPid: number;
  screenshot(name: string): Promise<string>;
  /** Run a command by its palette title (e.g. "Codex Fusion: Open Panel"); retries until it is listed (default 45 s). */
  runCommand(title: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** Path to the .vsix to install into the fresh extensions dir. */
  vsix: string;
  /** Absolute path of the folder to open. */
  workspace: string;
  /** Extra User settings, merged over the harness defaults. */
  settings?: Record<string, unknown>;
  /** Extra env for code-server (and so for the extension host). */
  env?: Record<string, string>;
  /** Milliseconds to wait for the workbench (default 90 s). */
  startupTimeoutMs?: number;
}

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const RESULTS_DIR = join(REPO_ROOT, "test-results");

/** Same default as setup.sh. */
export function cacheDir(): string {
  return process.env.CODEX_FUSION_VSCODE_CACHE || join(homedir(), ".cache", "codex-fusion-vscode");
}

export const DEFAULT_SETTINGS: Readonly<Record<string, unknown>> = {
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "workbench.startupEditor": "none",
  "security.workspace.trust.enabled": false,
  "chat.mcp.access": "all",
  "chat.mcp.autostart": "never",
  // Deliberately NOT "chat.disableAIFeatures": the MCP commands need chat setup visible.
};

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

interface Toolchain {
  node24Home: string;
  node24Bin: string;
  codeServerEntry: string;
  chromium: string;
  playwrightCoreModule: string;
}

function readEnvSh(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^export ([A-Z0-9_]+)='([^']*)'/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

function resolvePlaywrightCore(cacheEnv: Record<string, string>): string | undefined {
  // Prefer the project's own devDependency (covered by the lockfile); fall back to the copy in the cache.
  const bases = [join(REPO_ROOT, "package.json")];
  if (cacheEnv.CODEX_FUSION_PLAYWRIGHT_CORE_DIR) {
    bases.push(join(cacheEnv.CODEX_FUSION_PLAYWRIGHT_CORE_DIR, "..", "..", "package.json"));
  }
  for (const base of bases) {
    try {
      return createRequire(base).resolve("playwright-core");
    } catch {
      // try the next location
    }
  }
  return undefined;
}

function toolchain(): Toolchain {
  const envFile = join(cacheDir(), "env.sh");
  if (!existsSync(envFile)) throw new Error(`${envFile} not found: run test/vscode/setup.sh first`);
  const e = readEnvSh(envFile);
  const need = (key: string): string => {
    const v = e[key];
    if (!v) throw new Error(`${envFile} lacks ${key}: re-run test/vscode/setup.sh`);
    if (!existsSync(v)) throw new Error(`${key}=${v} does not exist: re-run test/vscode/setup.sh`);
    return v;
  };
  const tc = {
    node24Home: need("CODEX_FUSION_NODE24_HOME"),
    node24Bin: need("CODEX_FUSION_NODE24_BIN"),
    codeServerEntry: need("CODEX_FUSION_CODE_SERVER_ENTRY"),
    chromium: need("CODEX_FUSION_CHROMIUM"),
  };
  const playwrightCoreModule = resolvePlaywrightCore(e);
  if (!playwrightCoreModule) throw new Error("playwright-core not found in the project or the cache: run test/vscode/setup.sh");
  return { ...tc, playwrightCoreModule };
}

/** Whether the real-VS-Code toolchain is set up; tests use it to skip visibly. */
export function vscodeAvailable(): { ok: boolean; why?: string } {
  if (process.platform !== "linux") return { ok: false, why: `real-VS-Code tests run on Linux only (got ${process.platform})` };
  try {
    toolchain();
    return { ok: true };
  } catch (err) {
    return { ok: false, why: (err as Error).message };
  }
}

// ------------------------------------------------------------------------------------------- helpers

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Env for code-server / vsce: no npm lifecycle vars, no node:test or VS Code-terminal leakage, Node 24 first. */
function childEnv(tc: Toolchain, scratch: Record<string, string>, extra?: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^npm_/i.test(k) || k.startsWith("VSCODE_") || k === "NODE_OPTIONS" || k === "NODE_TEST_CONTEXT" || k === "ELECTRON_RUN_AS_NODE") continue;
    env[k] = v;
  }
  Object.assign(env, scratch);
  env.PATH = `${join(tc.node24Home, "bin")}:${process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin"}`;
  Object.assign(env, extra ?? {});
  return env;
}

function scratchDirs(root: string): Record<string, string> {
  const dirs: Record<string, string> = {
    HOME: join(root, "home"),
    XDG_CONFIG_HOME: join(root, "home", ".config"),
    XDG_DATA_HOME: join(root, "home", ".local", "share"),
    XDG_CACHE_HOME: join(root, "home", ".cache"),
    XDG_STATE_HOME: join(root, "home", ".local", "state"),
  };
  // VS Code leaves vscode-ipc-*.sock / vscode-git-*.sock behind in $TMPDIR: keep them in the session dir, unless that
  // would push unix socket paths past their ~107-byte limit.
  if (root.length <= 48) dirs.TMPDIR = join(root, "tmp");
  return dirs;
}

interface RunResult {
  code: number | null;
  output: string;
}

function run(cmd: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number }): Promise<RunResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      reject(new Error(`${cmd} ${args.join(" ")} timed out after ${opts.timeoutMs} ms\n${output}`));
    }, opts.timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolveRun({ code, output });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM the whole group, SIGKILL it after the grace period. */
export async function killProcessGroup(pgid: number, graceMs = 5000): Promise<void> {
  try {
    process.kill(-pgid, "SIGTERM");
  } catch {
    return; // nothing left
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return;
    await sleep(100);
  }
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // gone meanwhile
  }
  const killDeadline = Date.now() + 2000;
  while (groupAlive(pgid) && Date.now() < killDeadline) await sleep(50);
}

/** Process groups still to kill if the test process dies without close(). */
const liveGroups = new Set<number>();
let exitHooksInstalled = false;
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  const killAll = () => {
    for (const pgid of liveGroups) {
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // gone
      }
    }
    liveGroups.clear();
  };
  process.on("exit", killAll);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const handler = () => {
      killAll();
      process.removeListener(sig, handler);
      process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}

function pgidOf(pid: number): number | undefined {
  try {
    // /proc/PID/stat: "pid (comm) state ppid pgrp ..." — comm may contain spaces, so split after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[2]);
  } catch {
    return undefined;
  }
}

function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "screenshot";
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function loadPlaywright(tc: Toolchain): typeof PlaywrightCore {
  return createRequire(import.meta.url)(tc.playwrightCoreModule) as typeof PlaywrightCore;
}

// ------------------------------------------------------------------------------------------ packaging

/**
 * Package an extension folder into a VSIX with vsce, run on Node 24 (vsce 4 needs Node >= 22): the project's own
 * `@vscode/vsce` devDependency when installed, else `npx --yes @vscode/vsce@4.1.0` (first run downloads it from the
 * npm registry into the npx cache). For a bundled extension pass e.g. `["--no-dependencies"]`.
 */
export async function packageVsix(extensionDir: string, outFile: string, extraArgs: string[] = []): Promise<string> {
  const tc = toolchain();
  const env = childEnv(tc, {});
  const args = ["package", "--out", outFile, "--allow-missing-repository", "--skip-license", ...extraArgs];
  let cmd = "npx";
  let cmdArgs = ["--yes", "@vscode/vsce@4.1.0", ...args];
  try {
    const pkgJson = createRequire(join(REPO_ROOT, "package.json")).resolve("@vscode/vsce/package.json");
    const bin = (JSON.parse(readFileSync(pkgJson, "utf8")) as { bin?: Record<string, string> }).bin?.vsce;
    if (bin) {
      cmd = tc.node24Bin;
      cmdArgs = [join(dirname(pkgJson), bin), ...args];
    }
  } catch {
    // not a devDependency: use npx
  }
  const r = await run(cmd, cmdArgs, { env, cwd: extensionDir, timeoutMs: 300_000 });
  if (r.code !== 0 || !existsSync(outFile)) throw new Error(`vsce package failed (exit ${r.code}):\n${r.output}`);
  return outFile;
}

// ------------------------------------------------------------------------------------------- launcher

export async function launchVsCode(opts: LaunchOptions): Promise<VsCodeSession> {
  const tc = toolchain();
  const startupTimeoutMs = opts.startupTimeoutMs ?? 90_000;
  const workspace = resolve(opts.workspace);
  const vsix = resolve(opts.vsix);
  if (!existsSync(vsix)) throw new Error(`VSIX not found: ${vsix}`);
  if (!existsSync(workspace)) throw new Error(`workspace not found: ${workspace}`);

  const root = await mkdtemp(join(tmpdir(), "codex-fusion-vscode-"));
  const userDataDir = join(root, "user-data");
  const extensionsDir = join(root, "extensions");
  const browserDir = join(root, "chromium-profile");
  const scratch = scratchDirs(root);
  const logsDir = join(RESULTS_DIR, "vscode-logs", `${new Date().toISOString().replace(/[:.]/g, "-")}-${basename(root)}`);
  for (const d of [join(userDataDir, "User"), extensionsDir, browserDir, logsDir, ...Object.values(scratch)]) {
    await mkdir(d, { recursive: true });
  }
  await writeFile(
    join(userDataDir, "User", "settings.json"),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...(opts.settings ?? {}) }, null, 2),
  );

  const env = childEnv(tc, scratch, opts.env);
  const csLog = join(logsDir, "code-server.log");
  let logStream: WriteStream | undefined;
  let child: ChildProcess | undefined;
  let pgid: number | undefined;
  let context: BrowserContext | undefined;
  let closed = false;

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (context) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        context.close().catch(() => undefined),
        new Promise<void>((r) => (timer = setTimeout(r, 10_000))),
      ]);
      clearTimeout(timer);
    }
    if (pgid !== undefined) {
      await killProcessGroup(pgid);
      liveGroups.delete(pgid);
    }
    logStream?.end();
    // Keep VS Code's own logs (extension host, renderer, MCP output) next to ours.
    await cp(join(userDataDir, "logs"), join(logsDir, "vscode"), { recursive: true }).catch(() => undefined);
    if (process.env.CODEX_FUSION_VSCODE_KEEP_TMP !== "1") {
      await rm(root, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
    }
  };

  try {
    // 1. Install the VSIX into the fresh extensions dir.
    const install = await run(
      tc.node24Bin,
      [tc.codeServerEntry, "--install-extension", vsix, "--extensions-dir", extensionsDir, "--user-data-dir", userDataDir, "--force"],
      { env, timeoutMs: 120_000 },
    );
    await writeFile(join(logsDir, "install-extension.log"), install.output);
    if (install.code !== 0 || !/successfully installed/i.test(install.output)) {
      throw new Error(`code-server --install-extension ${vsix} failed (exit ${install.code}):\n${install.output}`);
    }

    // 2. Start code-server in its own session/process group (setsid execs in place: pid === pgid).
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    logStream = createWriteStream(csLog);
    await new Promise<void>((r) => logStream!.once("open", () => r()));
    installExitHooks();
    child = spawn(
      "setsid",
      [
        tc.node24Bin,
        tc.codeServerEntry,
        "--bind-addr",
        `127.0.0.1:${port}`,
        "--auth",
        "none",
        "--user-data-dir",
        userDataDir,
        "--extensions-dir",
        extensionsDir,
        "--disable-telemetry",
        "--disable-update-check",
        "--disable-workspace-trust",
        "--disable-getting-started-override",
        "--ignore-last-opened",
        workspace,
      ],
      { env, cwd: workspace, stdio: ["ignore", logStream, logStream] },
    );
    const pid = child.pid;
    if (pid === undefined) throw new Error("failed to spawn setsid/code-server");
    pgid = pid;
    liveGroups.add(pid);
    let exited: string | undefined;
    child.once("exit", (code, signal) => (exited = `code-server exited early (code ${code}, signal ${signal})`));

    // 3. Wait for /healthz.
    const healthDeadline = Date.now() + 60_000;
    for (;;) {
      if (exited) throw new Error(`${exited}\n${tail(csLog)}`);
      try {
        const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > healthDeadline) throw new Error(`code-server /healthz not ready after 60 s\n${tail(csLog)}`);
      await sleep(250);
    }
    const actualPgid = pgidOf(pid);
    if (actualPgid !== undefined && actualPgid !== pid) {
      throw new Error(`code-server pid ${pid} is in process group ${actualPgid}, expected its own group`);
    }

    // 4. Browser.
    const { chromium } = loadPlaywright(tc);
    context = await chromium.launchPersistentContext(browserDir, {
      executablePath: tc.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 900 },
      env: { ...env, ...scratch },
      timeout: 180_000,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleLog = createWriteStream(join(logsDir, "browser-console.log"));
    page.on("console", (m: ConsoleMessage) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
    page.on("pageerror", (err: Error) => consoleLog.write(`[pageerror] ${err.stack ?? err.message}\n`));
    context.on("close", () => consoleLog.end());

    const folderParam = workspace.split("/").map(encodeURIComponent).join("/");
    await page.goto(`${baseUrl}/?folder=${folderParam}`, { timeout: startupTimeoutMs });
    try {
      await page.locator(".monaco-workbench").first().waitFor({ state: "visible", timeout: startupTimeoutMs });
      await page.locator(".part.statusbar").first().waitFor({ state: "visible", timeout: startupTimeoutMs });
    } catch (err) {
      await page.screenshot({ path: join(logsDir, "startup-failure.png") }).catch(() => undefined);
      throw new Error(`workbench did not appear: ${(err as Error).message}\n${tail(csLog)}`);
    }

    const screenshot = async (name: string): Promise<string> => {
      await mkdir(RESULTS_DIR, { recursive: true });
      const file = join(RESULTS_DIR, `${safeName(name)}.png`);
      await page.screenshot({ path: file });
      return file;
    };

    const palette = page.locator(".quick-input-widget");
    const paletteInput = palette.locator(".quick-input-box input");
    const openPalette = async (): Promise<void> => {
      // F1 can be swallowed while the workbench is still wiring keybindings: retry a few times.
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press("F1");
        try {
          await paletteInput.waitFor({ state: "visible", timeout: 5_000 });
          return;
        } catch (err) {
          // Retried (not one long wait): a swallowed F1 needs another key press, not more patience.
          if (attempt >= 12) {
            // The usual culprit: a modal dialog (e.g. from an earlier step) keeps keyboard focus.
            const dialog = page.locator(".monaco-dialog-box");
            const blocker = (await dialog.isVisible().catch(() => false))
              ? ` (a modal dialog is open: ${JSON.stringify((await dialog.innerText().catch(() => "")).slice(0, 300))})`
              : "";
            throw new Error(`command palette did not open${blocker}: ${(err as Error).message}`);
          }
        }
      }
    };

    const runCommand = async (title: string, timeoutMs = 120_000): Promise<void> => {
      const rows = palette.locator(".quick-input-list .monaco-list-row", { hasText: title });
      // Prefer the row whose label is exactly the title (hasText is a substring match).
      const exactLabel = new RegExp(`^\\s*${escapeRegExp(title)}\\s*$`);
      const exact = rows.filter({ has: page.locator(".label-name", { hasText: exactLabel }) });
      const deadline = Date.now() + timeoutMs;
      // Right after startup the palette may not know extension commands yet (the remote extension host registers
      // them a few seconds after the workbench shows): "No matching commands" -> close, wait, reopen, retry.
      for (;;) {
        await openPalette();
        await paletteInput.fill(`>${title}`);
        try {
          await rows.first().waitFor({ state: "visible", timeout: 3_000 });
          break;
        } catch {
          if (Date.now() > deadline) {
            const shown = await palette.locator(".quick-input-list").innerText().catch(() => "?");
            throw new Error(`no palette entry for "${title}" after ${timeoutMs} ms; palette shows: ${shown}`);
          }
          await page.keyboard.press("Escape");
          await paletteInput.waitFor({ state: "hidden", timeout: 5_000 }).catch(() => undefined);
          await sleep(1000);
        }
      }
      const target = (await exact.count()) > 0 ? exact.first() : rows.first();
      await target.click();
    };

    return {
      page,
      baseUrl,
      userDataDir,
      extensionsDir,
      workspace,
      logsDir,
      codeServerPid: pid,
      screenshot,
      runCommand,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
