// The agent subprocess: started in its own process group, ended with everything it started.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import { planKill, planSpawn } from "../../protocol/spawnPlan";

export interface AgentExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const STDERR_TAIL_BYTES = 4096;

export class AgentProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<AgentExit>;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  spawnError: NodeJS.ErrnoException | null = null;
  private stderrTail = "";
  private exitInfo: AgentExit | null = null;

  constructor(argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv; onStderr?: (text: string) => void }) {
    const plan = planSpawn(argv, { platform: process.platform, env: options.env, exists: (file) => fs.existsSync(file) });
    this.child = spawn(plan.command, plan.args, {
      cwd: options.cwd,
      env: options.env,
      detached: plan.detached,
      windowsHide: true,
      windowsVerbatimArguments: plan.windowsVerbatimArguments,
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_BYTES);
      options.onStderr?.(text);
    });
    // A closed pipe must never crash the server: the exit handler reports what happened.
    this.child.stdin.on("error", () => {});
    this.exited = new Promise((resolve) => {
      this.child.once("error", (error: NodeJS.ErrnoException) => {
        this.spawnError = error;
        if (this.child.pid === undefined) {
          this.exitInfo = { code: null, signal: null };
          resolve(this.exitInfo);
        }
      });
      this.child.once("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitInfo === null;
  }

  /** The last lines the agent wrote to stderr, for error messages. */
  lastStderrLines(count = 5): string {
    return this.stderrTail.trim().split(/\r?\n/).slice(-count).join(" | ");
  }

  /**
   * Ends the agent and its children: close stdin (agents that honour it exit cleanly), wait briefly,
   * then signal the whole group, escalating to SIGKILL.
   */
  async stop(graceMs = 300): Promise<void> {
    if (this.child.pid === undefined) return;
    this.child.stdin.end();
    if (await this.exitsWithin(graceMs)) {
      this.killTree("SIGKILL"); // the agent is gone; make sure nothing it started lingers
      return;
    }
    this.killTree("SIGTERM");
    if (await this.exitsWithin(1000)) {
      this.killTree("SIGKILL");
      return;
    }
    this.killTree("SIGKILL");
    await this.exitsWithin(1000);
  }

  /** Immediate, synchronous teardown for process exit paths. */
  killNow(): void {
    this.killTree("SIGKILL");
  }

  private killTree(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) return;
    const plan = planKill(pid, process.platform);
    try {
      if (plan.kind === "group") process.kill(-plan.pid, signal);
      else spawnSync(plan.command, plan.args, { windowsHide: true, stdio: "ignore" });
    } catch {
      // ESRCH: the group is already gone.
    }
  }

  private exitsWithin(ms: number): Promise<boolean> {
    if (!this.alive) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      void this.exited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
