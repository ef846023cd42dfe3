// Shared fixtures for one benchmark run: the fake model, CODEX_HOMEs, workspaces, environments, machine facts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hermeticEnv, isolatedHome, type IsolatedHome } from "../fixtures/home";
import { codexAcpCommand, codexAgentUsable, makeCodexHome, nativeCodexPath } from "../fixtures/codex-home";
import { startFakeModel, type FakeModel } from "../fixtures/fake-model";

export const ROOT = path.resolve(__dirname, "../..");
export const FAKE_AGENT_JS = path.join(ROOT, "out/fake-agent.js");
/** §10's floor: a bare MCP SDK → ACP SDK forwarder (floorServer.ts), built by esbuild.mjs. */
export const FLOOR_SERVER_JS = path.join(ROOT, "out/bench-floor-server.js");
/** The server under test: dist/server.js, or another build given with --server (to compare builds). */
export const target: { serverJs: string; nodeArgs: string[] } = { serverJs: path.join(ROOT, "dist/server.js"), nodeArgs: [] };

export class Fixtures {
  model: FakeModel | null = null;
  private readonly cleanups: Array<() => unknown> = [];
  readonly codexUsable = codexAgentUsable();
  readonly native = nativeCodexPath();

  /** One discovery/state directory for every server of the run, so no server attaches to an editor's. */
  stateDir = "";

  async start(): Promise<void> {
    this.stateDir = this.scratch("state");
    if (this.codexUsable.ok) {
      this.model = await startFakeModel();
      this.cleanups.push(() => this.model?.close());
    }
  }

  /** A fresh workspace: a git repo with a README (like the e2e test). */
  workspace(label: string): string {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), `bench-ws-${label}-`)));
    spawnSync("git", ["init", "-q"], { cwd: dir });
    writeFileSync(path.join(dir, "README.md"), "hello readme\n");
    this.cleanups.push(() => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
    return dir;
  }

  scratch(label: string): string {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), `bench-${label}-`)));
    this.cleanups.push(() => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
    return dir;
  }

  /** A CODEX_HOME pointed at the shared fake model; env includes CODEX_PATH=<native codex> unless told not to. */
  async codexHome(options: { codexPath?: boolean } = {}): Promise<Record<string, string>> {
    if (!this.model) throw new Error("the real Codex is not usable here");
    const home = await makeCodexHome(this.model.url);
    this.cleanups.push(() => home.cleanup());
    const env = { ...home.env };
    if (options.codexPath === false) delete env.CODEX_PATH;
    return env;
  }

  /** The minimal environment every process gets (like test/integration/harness.ts: an isolated HOME) plus extras. */
  baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    this.home ??= isolatedHome(this.scratch("home"));
    const env: NodeJS.ProcessEnv = hermeticEnv(this.home);
    if (process.env.USER) env.USER = process.env.USER;
    return { ...env, ...extra };
  }

  private home: IsolatedHome | undefined;

  codexAcpArgv(): string[] {
    return codexAcpCommand();
  }

  fakeAgentArgv(): string[] {
    return [process.execPath, FAKE_AGENT_JS];
  }

  async cleanup(): Promise<void> {
    for (const fn of this.cleanups.reverse()) {
      try {
        await fn();
      } catch {
        /* best effort */
      }
    }
    this.cleanups.length = 0;
  }
}

// ------------------------------------------------------------------------------------------------

export interface Machine {
  nproc: number;
  cpu: string;
  ramGb: number;
  node: string;
  os: string;
  kernel: string;
  date: string;
  codexAcp: string;
  codex: string;
  mcpSdk: string;
  acpSdk: string;
  serverJsKb: number;
  serverJs: string;
  nodeArgs: string;
  /** The commit the build came from, and whether server/ had uncommitted changes. */
  commit?: string;
}

function pkgVersion(name: string): string {
  try {
    return JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version ?? "?";
  } catch {
    return "?";
  }
}

export function machine(): Machine {
  let cpu = os.cpus()[0]?.model ?? "?";
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) cpu = m[1]!.trim();
  } catch {
    /* not linux */
  }
  let osName = `${os.type()} ${os.release()}`;
  try {
    const m = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync("/etc/os-release", "utf8"));
    if (m) osName = m[1]!;
  } catch {
    /* no os-release */
  }
  let serverJsKb = 0;
  try {
    serverJsKb = Math.round(readFileSync(target.serverJs).length / 1024);
  } catch {
    /* not built */
  }
  let commit = "?";
  try {
    const head = spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8", timeout: 5000 }).stdout.trim();
    const dirty = spawnSync("git", ["status", "--porcelain", "--", "server", "esbuild.mjs"], { cwd: ROOT, encoding: "utf8", timeout: 5000 }).stdout.trim();
    if (head) commit = `${head}${dirty ? " + uncommitted changes in server/ or esbuild.mjs" : ""}`;
  } catch {
    /* not a git checkout */
  }
  const native = nativeCodexPath();
  const codex = native ? (spawnSync(native, ["--version"], { encoding: "utf8", timeout: 15_000 }).stdout ?? "").trim() : "not installed";
  return {
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu,
    ramGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: osName,
    kernel: os.release(),
    date: new Date().toISOString(),
    codexAcp: pkgVersion("@agentclientprotocol/codex-acp"),
    codex,
    mcpSdk: pkgVersion("@modelcontextprotocol/sdk"),
    acpSdk: pkgVersion("@agentclientprotocol/sdk"),
    serverJsKb,
    serverJs: path.relative(ROOT, target.serverJs) || target.serverJs,
    nodeArgs: target.nodeArgs.join(" "),
    commit,
  };
}

/** Share of CPU time (all cores) that was busy over `ms`, from /proc/stat: how loaded the machine is. */
export async function cpuBusy(ms = 1000): Promise<number> {
  const read = () => {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (line[3] ?? 0) + (line[4] ?? 0);
    const total = line.reduce((a, b) => a + b, 0);
    return { idle, total };
  };
  try {
    const a = read();
    await new Promise((r) => setTimeout(r, ms));
    const b = read();
    const total = b.total - a.total;
    return total > 0 ? 1 - (b.idle - a.idle) / total : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
