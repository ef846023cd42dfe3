// Supervises the server child (serverChild.ts): starts it, restarts it with backoff when it crashes (crashPolicy.ts),
// stops it with the extension, and answers for it as the ServerConnection the rest of the extension uses.
// No runtime `vscode` import (types only): the unit tests drive this class against a scripted child process.
import type * as vscode from "vscode";
import type { ControlEvent, ControlMethod, ControlParams, ControlResult, ServerMessage } from "../../server/protocol/control";
import type { ServerStatus } from "../../server/protocol/results";
import type { ServerConnection, ServerEndpoint, ServerPhase } from "./serverConnection";
import { changedLaunchKeys, type LaunchConfig } from "../settings";
import { CrashTracker, DEFAULT_CRASH_POLICY } from "./crashPolicy";
import { Emitter } from "../emitter";
import { ControlRequestError } from "./rpcClient";
import { ServerChild } from "./serverChild";
import type { GiveUp, SupervisorOptions } from "./options";

export type { GiveUp, LaunchResolution, SupervisorLog, SupervisorOptions } from "./options";

interface Running {
  child: ServerChild;
  generation: number;
  listened: boolean;
  startTimer: NodeJS.Timeout | null;
}

const STDERR_TAIL_LINES = 20;
const STATUS_SEED_TIMEOUT_MS = 5_000;

export class Supervisor implements ServerConnection {
  private currentPhase: ServerPhase = "stopped";
  private currentEndpoint: ServerEndpoint | null = null;
  private currentStatus: ServerStatus | null = null;
  private currentError: string | null = null;
  private running: Running | null = null;
  private generation = 0;
  private launched: LaunchConfig | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private deferredRestart: string | null = null;
  private disposed = false;
  private readonly stderrTail: string[] = [];
  private readonly crashes: CrashTracker;
  /** Serialises start/stop/restart so two of them never interleave. */
  private transition: Promise<void> = Promise.resolve();
  private serverVersion: string | null = null;

  private readonly phaseEmitter = new Emitter<ServerPhase>();
  private readonly endpointEmitter = new Emitter<ServerEndpoint | null>();
  private readonly eventEmitter = new Emitter<ControlEvent>();
  private readonly statusEmitter = new Emitter<ServerStatus | null>();
  private readonly giveUpEmitter = new Emitter<GiveUp>();

  readonly onDidChangePhase = this.phaseEmitter.event;
  readonly onDidChangeEndpoint = this.endpointEmitter.event;
  readonly onEvent = this.eventEmitter.event;
  /** Not in ServerConnection: fires whenever `status` changes (serverState events, the status read at start). */
  readonly onDidChangeStatus = this.statusEmitter.event;
  /** Not in ServerConnection: the server is down and will not be restarted automatically. */
  readonly onDidGiveUp = this.giveUpEmitter.event;

  constructor(private readonly options: SupervisorOptions) {
    this.crashes = new CrashTracker({ ...DEFAULT_CRASH_POLICY, ...options.crashPolicy });
  }

  get phase(): ServerPhase {
    return this.currentPhase;
  }
  get endpoint(): ServerEndpoint | null {
    return this.currentEndpoint;
  }
  get status(): ServerStatus | null {
    return this.currentStatus;
  }
  get lastError(): string | null {
    return this.currentError;
  }
  /** The version the running server reported. */
  get version(): string | null {
    return this.serverVersion;
  }
  /** The folder the server was last started for. */
  get workspace(): string | null {
    return this.launched?.workspace ?? null;
  }
  /** A turn is running or asks are queued: a restart now would cut them off. */
  get busy(): boolean {
    return this.currentStatus !== null && (this.currentStatus.turn !== null || this.currentStatus.queued > 0);
  }

  // ── lifecycle ──────────────────────────────────────────────────────────────────────────────────

  /** Starts the server if it is not running (no-op while starting or ready). */
  start(): Promise<void> {
    return this.serially(async () => {
      if (this.disposed || this.running || this.restartTimer) return;
      this.launch();
    });
  }

  /** Stops the running server (if any) and starts a fresh one; counts as the person's decision, so the crash count resets. */
  restart(reason: string): Promise<void> {
    return this.serially(async () => {
      if (this.disposed) return;
      this.options.log.info(`Restarting the server: ${reason}.`);
      this.crashes.reset();
      this.clearRestartTimer();
      this.deferredRestart = null;
      if (this.running) {
        this.setPhase("starting");
        await this.stopChild(`the server is restarting (${reason})`);
      }
      this.launch();
    });
  }

  /** Restarts as soon as no turn is running or queued (at once when idle). Never cuts a turn off. */
  restartWhenIdle(reason: string): void {
    if (!this.busy || !this.running) {
      void this.restart(reason);
      return;
    }
    this.deferredRestart = reason;
    this.options.log.info(`The server will restart after the current turn (${reason}).`);
  }

  /** Whether a restart is waiting for the current turn to end. */
  get restartPending(): boolean {
    return this.deferredRestart !== null;
  }

  /** Whether the folder or settings changed since the server was started, and which variables. */
  staleLaunch(): string[] {
    const next = this.options.resolveLaunch();
    const nextLaunch = next.ok ? next.launch : null;
    if (this.launched === null && this.currentPhase === "stopped" && nextLaunch === null) return [];
    return changedLaunchKeys(this.launched, nextLaunch);
  }

  /** Stops the server for good: the child is ended, pending requests fail, nothing restarts. */
  dispose(): Promise<void> {
    if (this.disposed) return this.transition;
    this.disposed = true;
    this.clearRestartTimer();
    this.deferredRestart = null;
    const done = this.serially(async () => {
      await this.stopChild("the extension is shutting down");
      this.setPhase("stopped");
    });
    return done.finally(() => {
      for (const emitter of [this.phaseEmitter, this.endpointEmitter, this.eventEmitter, this.statusEmitter, this.giveUpEmitter]) emitter.dispose();
    });
  }

  /**
   * Resolves with the endpoint once the server is ready; starts it if it is stopped or gave up (an explicit use, like
   * VS Code starting the MCP server). Rejects with a one-line reason when it cannot get there within `timeoutMs`.
   */
  async whenReady(timeoutMs: number, options: { start?: boolean; cancelled?: { isCancellationRequested: boolean; onCancellationRequested: vscode.Event<unknown> } } = {}): Promise<ServerEndpoint> {
    if (this.currentPhase === "ready" && this.currentEndpoint) return this.currentEndpoint;
    if (this.disposed) throw new Error("Codex Fusion is shutting down.");
    if (options.start && !this.running && !this.restartTimer) {
      if (this.currentPhase === "error") await this.restart("requested after an error");
      else await this.start();
    }
    if (this.currentPhase === "ready" && this.currentEndpoint) return this.currentEndpoint;
    if (this.currentPhase === "stopped" || this.currentPhase === "error") throw new Error(this.notRunningMessage());
    return new Promise<ServerEndpoint>((resolve, reject) => {
      const cleanups: Array<{ dispose(): unknown }> = [];
      const settle = (fn: () => void) => {
        clearTimeout(timer);
        for (const cleanup of cleanups) cleanup.dispose();
        fn();
      };
      const timer = setTimeout(() => settle(() => reject(new Error(`The Codex Fusion server did not start within ${Math.round(timeoutMs / 1000)} s${this.currentError ? ` (${this.currentError})` : ""} — see “Codex Fusion: Show Log”.`))), timeoutMs);
      cleanups.push(
        this.onDidChangePhase((phase) => {
          if (phase === "ready" && this.currentEndpoint) {
            const endpoint = this.currentEndpoint;
            settle(() => resolve(endpoint));
          } else if (phase === "stopped" || phase === "error") settle(() => reject(new Error(this.notRunningMessage())));
        }),
      );
      if (options.cancelled) {
        if (options.cancelled.isCancellationRequested) return settle(() => reject(new Error("Cancelled.")));
        cleanups.push(options.cancelled.onCancellationRequested(() => settle(() => reject(new Error("Cancelled.")))));
      }
    });
  }

  // ── requests ───────────────────────────────────────────────────────────────────────────────────

  async request<M extends ControlMethod>(method: M, params: ControlParams<M>): Promise<ControlResult<M>> {
    if (this.currentPhase !== "ready") await this.whenReady(30_000);
    const running = this.running;
    if (!running || !running.child.connected) throw new ControlRequestError("unreachable", this.notRunningMessage());
    return running.child.rpc.request(method, params);
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────────

  private serially(step: () => Promise<void>): Promise<void> {
    const next = this.transition.then(step, step);
    this.transition = next.catch((error: Error) => this.options.log.error(`Server supervision failed: ${error.stack ?? error.message}`));
    return this.transition;
  }

  private launch(): void {
    if (this.disposed) return;
    const resolution = this.options.resolveLaunch();
    if (!resolution.ok) {
      this.launched = null;
      this.currentError = resolution.reason;
      this.setPhase("stopped");
      return;
    }
    const { launch } = resolution;
    this.launched = launch;
    this.stderrTail.length = 0;
    const generation = ++this.generation;
    this.options.log.info(`Starting the server for ${launch.workspace}.`);
    this.setPhase("starting");

    let running: Running | null = null;
    const child = new ServerChild(
      { execPath: this.options.execPath, serverScript: this.options.serverScript, cwd: launch.workspace, env: { ...this.options.baseEnv, ...launch.env } },
      {
        onStdout: (line) => this.options.log.serverOutput(line),
        onStderr: (line) => {
          this.options.log.serverOutput(line);
          this.stderrTail.push(line);
          if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
        },
        onMessage: (message) => {
          if (running) this.onMessage(running, message);
        },
        onGone: (why, code) => {
          if (running?.startTimer) clearTimeout(running.startTimer);
          this.onChildGone(generation, running?.listened ?? false, why, code);
        },
      },
    );
    running = { child, generation, listened: false, startTimer: null };
    this.running = running;
    running.startTimer = setTimeout(() => {
      this.options.log.error(`The server did not report that it listens within ${Math.round(this.startTimeoutMs / 1000)} s; stopping it.`);
      child.kill();
    }, this.startTimeoutMs);
  }

  private get startTimeoutMs(): number {
    return this.options.startTimeoutMs ?? 30_000;
  }

  private onMessage(running: Running, message: ServerMessage): void {
    if (running !== this.running) return;
    if (message.type === "response") {
      running.child.rpc.handleResponse(message);
      return;
    }
    switch (message.type) {
      case "listening": {
        running.listened = true;
        if (running.startTimer) clearTimeout(running.startTimer);
        running.startTimer = null;
        this.serverVersion = message.version;
        this.currentError = null;
        this.currentEndpoint = { url: message.url, token: message.token, pid: message.pid };
        this.options.log.event(message);
        this.endpointEmitter.fire(this.currentEndpoint);
        void this.seedStatus(running);
        break;
      }
      case "serverState":
        this.setStatus(message.status);
        break;
      default:
        break;
    }
    if (message.type !== "listening") this.options.log.event(message);
    this.eventEmitter.fire(message);
    if (this.deferredRestart && !this.busy && message.type === "serverState") {
      const reason = this.deferredRestart;
      this.deferredRestart = null;
      void this.restart(reason);
    }
  }

  /** Reads the status once before announcing "ready", so views can rely on `status` from then on. */
  private async seedStatus(running: Running): Promise<void> {
    const status = await running.child.rpc.request("getStatus", {}, STATUS_SEED_TIMEOUT_MS).catch(() => null);
    if (running !== this.running) return;
    if (status) this.setStatus(status);
    else this.options.log.warn("The server did not report its status at start; continuing without it.");
    this.options.log.info(`Server ready (pid ${running.child.pid}).`);
    this.setPhase("ready");
  }

  private onChildGone(generation: number, listened: boolean, why: string, code: number | null): void {
    const gone = this.running?.generation === generation ? this.running : null;
    const tail = this.stderrTail.at(-1) ?? null;
    if (gone) this.running = null;
    this.options.log.info(`Server process ${why}.`);
    if (generation !== this.generation) return; // a child we stopped on purpose
    gone?.child.rpc.failAll(`The Codex Fusion server ${why} before answering`);
    this.deferredRestart = null;
    if (this.currentEndpoint) {
      this.currentEndpoint = null;
      this.endpointEmitter.fire(null);
    }
    this.setStatus(null);
    if (this.disposed) return;

    if (!listened && code === 2) {
      // The server refused its configuration (it exits with 2 and names the variable): retrying cannot help.
      const message = `The Codex Fusion server refused to start: ${cleanServerLine(tail) ?? why} — check the Codex Fusion settings.`;
      this.giveUp({ kind: "config", message });
      return;
    }
    const detail = tail ? `${why}; last output: ${cleanServerLine(tail)}` : why;
    const decision = this.crashes.record(this.now());
    if (!decision.restart) {
      const windowS = Math.round((this.options.crashPolicy?.windowMs ?? DEFAULT_CRASH_POLICY.windowMs) / 1000);
      this.giveUp({ kind: "crashes", message: `The Codex Fusion server stopped ${decision.recent} times within ${windowS} s (${detail}); it is not restarted automatically.` });
      return;
    }
    this.currentError = `The server stopped unexpectedly (${detail}); restarting in ${formatSeconds(decision.delayMs)}.`;
    this.options.log.warn(this.currentError);
    this.setPhase("starting");
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      void this.serially(async () => {
        if (!this.running) this.launch();
      });
    }, decision.delayMs);
  }

  private giveUp(giveUp: GiveUp): void {
    this.currentError = giveUp.message;
    this.options.log.error(giveUp.message);
    this.setPhase("error");
    this.giveUpEmitter.fire(giveUp);
  }

  /** Ends the running child: disconnect (the server stops its agent and exits), SIGTERM, then SIGKILL after the grace. */
  private async stopChild(why: string): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = null;
    this.generation++; // its exit is expected now: no crash handling
    if (running.startTimer) clearTimeout(running.startTimer);
    running.child.rpc.failAll(`The Codex Fusion server stopped because ${why}, before answering`);
    if (this.currentEndpoint) {
      this.currentEndpoint = null;
      this.endpointEmitter.fire(null);
    }
    this.setStatus(null);
    const graceMs = this.options.stopGraceMs ?? 3_000;
    await running.child.stop(graceMs, this.options.platform ?? process.platform, () => this.options.log.warn(`The server did not stop within ${formatSeconds(graceMs)}; killing it.`));
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  private setPhase(phase: ServerPhase): void {
    if (phase === this.currentPhase) return;
    this.currentPhase = phase;
    this.phaseEmitter.fire(phase);
  }

  private setStatus(status: ServerStatus | null): void {
    if (status === null && this.currentStatus === null) return;
    this.currentStatus = status;
    this.statusEmitter.fire(status);
  }

  private notRunningMessage(): string {
    if (this.disposed) return "Codex Fusion is shutting down.";
    const why = this.currentError ? ` (${this.currentError})` : "";
    return `The Codex Fusion server is not running${why} — run “Codex Fusion: Restart Server”, or see “Codex Fusion: Show Log”.`;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/** "codex-fusion-mcp: invalid configuration — X" → "invalid configuration — X". */
function cleanServerLine(line: string | null): string | null {
  return line ? line.replace(/^codex-fusion-mcp:\s*/, "").trim() : null;
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
