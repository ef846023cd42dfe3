// The server child: start `dist/server.js --http` with an IPC channel, restart it with backoff when it crashes, stop
// it with the extension. Implements ServerConnection for the rest of the extension.
// No runtime `vscode` import (types only): the UI reacts to the events below, and the unit tests drive this class
// against a scripted child process.
import { spawn, type ChildProcess } from "node:child_process";
import type * as vscode from "vscode";
import type { ControlEvent, ControlRequest, ServerStatus } from "../server/control/protocol";
import type { ServerConnection, ServerEndpoint, ServerPhase } from "./serverConnection";
import { changedLaunchKeys, type LaunchConfig } from "./settings";

// ── crash policy (pure) ────────────────────────────────────────────────────────────────────────────

export interface CrashPolicy {
  /** Crashes are counted within this sliding window… */
  windowMs: number;
  /** …and this many in the window stop the automatic restarts. */
  maxCrashes: number;
  /** Delay before the restart after the first crash in the window; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_CRASH_POLICY: Readonly<CrashPolicy> = { windowMs: 120_000, maxCrashes: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 };

/** The delay before restart number `attempt` (1-based): 1, 2, 4, 8 s… capped at maxDelayMs. */
export function backoffDelay(attempt: number, policy: Pick<CrashPolicy, "baseDelayMs" | "maxDelayMs"> = DEFAULT_CRASH_POLICY): number {
  return Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempt - 1), policy.maxDelayMs);
}

export type CrashDecision = { restart: true; delayMs: number; recent: number } | { restart: false; recent: number };

/** Remembers recent crashes and decides whether to restart again, and when. */
export class CrashTracker {
  private crashes: number[] = [];

  constructor(private readonly policy: CrashPolicy = DEFAULT_CRASH_POLICY) {}

  record(now: number): CrashDecision {
    this.crashes = this.crashes.filter((time) => now - time < this.policy.windowMs);
    this.crashes.push(now);
    const recent = this.crashes.length;
    if (recent >= this.policy.maxCrashes) return { restart: false, recent };
    return { restart: true, delayMs: backoffDelay(recent, this.policy), recent };
  }

  /** A restart the person asked for starts a fresh count. */
  reset(): void {
    this.crashes = [];
  }
}

// ── a minimal event emitter with vscode.Event's shape ──────────────────────────────────────────────

export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => unknown>();

  readonly event: vscode.Event<T> = (listener, thisArgs?, disposables?) => {
    const bound = (value: T) => listener.call(thisArgs, value);
    this.listeners.add(bound);
    const disposable = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(disposable);
    return disposable;
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}

// ── the supervisor ─────────────────────────────────────────────────────────────────────────────────

export type LaunchResolution = { ok: true; launch: LaunchConfig } | { ok: false; reason: string };

export interface SupervisorLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** One line the server wrote to stderr (or stdout). */
  serverOutput(line: string): void;
  /** Every control event, for a line in the log. */
  event(event: ControlEvent): void;
}

/** Why the supervisor stopped restarting: the person has to act. */
export interface GiveUp {
  kind: "config" | "crashes";
  message: string;
}

export interface SupervisorOptions {
  /** Absolute path of dist/server.js. */
  serverScript: string;
  /** The runtime: process.execPath (Electron with ELECTRON_RUN_AS_NODE=1 in desktop VS Code, Node in code-server). */
  execPath: string;
  /** The environment the child inherits before the settings are applied (process.env). */
  baseEnv: NodeJS.ProcessEnv;
  /** Called before every start: the folder and env to use, or why there is nothing to start. */
  resolveLaunch: () => LaunchResolution;
  log: SupervisorLog;
  crashPolicy?: Partial<CrashPolicy>;
  /** How long a start may take before the child counts as crashed (default 30 s). */
  startTimeoutMs?: number;
  /** How long a stopping child gets before SIGKILL (default 3 s). */
  stopGraceMs?: number;
  platform?: NodeJS.Platform;
  now?: () => number;
}

interface PendingRequest {
  type: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Running {
  child: ChildProcess;
  generation: number;
  listened: boolean;
  exited: Promise<void>;
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
  private nextRequestId = 1;
  private readonly pending = new Map<number, PendingRequest>();
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

  async request<T = unknown>(command: ControlRequest): Promise<T> {
    if (this.currentPhase !== "ready") await this.whenReady(30_000);
    const running = this.running;
    if (!running || !running.child.connected) throw new Error(this.notRunningMessage());
    const requestId = this.nextRequestId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(requestId, { type: command.type, resolve: resolve as (value: unknown) => void, reject });
      running.child.send({ ...command, requestId }, (error) => {
        if (!error) return;
        this.pending.delete(requestId);
        reject(new Error(`Could not reach the Codex Fusion server (${error.message}) — see “Codex Fusion: Show Log”.`));
      });
    });
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

    let child: ChildProcess;
    try {
      // A 1 MB young generation keeps a long-lived server's RSS flat over thousands of turns (see BENCHMARKS.md).
      child = spawn(this.options.execPath, ["--max-semi-space-size=1", this.options.serverScript, "--http"], {
        cwd: launch.workspace,
        // ELECTRON_RUN_AS_NODE makes desktop VS Code's Electron binary behave as Node; code-server runs Node already.
        env: { ...this.options.baseEnv, ...launch.env, ELECTRON_RUN_AS_NODE: "1" },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        windowsHide: true,
      });
    } catch (error) {
      this.onChildGone(generation, false, `could not be started: ${(error as Error).message}`, null);
      return;
    }

    let resolveExited!: () => void;
    const exited = new Promise<void>((resolve) => (resolveExited = resolve));
    const running: Running = { child, generation, listened: false, exited, startTimer: null };
    this.running = running;
    running.startTimer = setTimeout(() => {
      this.options.log.error(`The server did not report that it listens within ${Math.round(this.startTimeoutMs / 1000)} s; stopping it.`);
      child.kill("SIGKILL");
    }, this.startTimeoutMs);

    this.pipeLines(child.stdout, (line) => this.options.log.serverOutput(line));
    this.pipeLines(child.stderr, (line) => {
      this.options.log.serverOutput(line);
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    });
    child.on("message", (message) => this.onMessage(running, message));

    let gone = false;
    const finish = (why: string, code: number | null) => {
      if (gone) return;
      gone = true;
      if (running.startTimer) clearTimeout(running.startTimer);
      resolveExited();
      this.onChildGone(generation, running.listened, why, code);
    };
    child.on("error", (error) => {
      this.options.log.error(`Server process error: ${error.message}`);
      // A spawn failure (no pid) never emits "exit".
      if (child.pid === undefined) finish(`could not be started: ${error.message}`, null);
    });
    // "exit" can come before the last stderr lines: give the pipes a moment to drain, so the crash message has them.
    const drained = Promise.all([child.stdout, child.stderr].map((stream) => (stream ? new Promise((resolve) => stream.once("close", resolve)) : null)));
    child.on("exit", (code, signal) => {
      void Promise.race([drained, delay(250)]).then(() => finish(signal ? `was ended by ${signal}` : `exited with code ${code}`, code));
    });
  }

  private get startTimeoutMs(): number {
    return this.options.startTimeoutMs ?? 30_000;
  }

  private pipeLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
    if (!stream) return;
    let buffer = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split(/\r?\n/);
      buffer = lines.pop() ?? "";
      for (const line of lines) if (line.trim()) onLine(line);
    });
    stream.on("end", () => {
      if (buffer.trim()) onLine(buffer);
      buffer = "";
    });
  }

  private onMessage(running: Running, message: unknown): void {
    if (running !== this.running || !isControlEvent(message)) return;
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
      case "response": {
        const pending = this.pending.get(message.requestId);
        if (!pending) return;
        this.pending.delete(message.requestId);
        if (message.ok) pending.resolve(message.result);
        else pending.reject(new Error(message.error ?? `${pending.type} failed`));
        return;
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
    const requestId = this.nextRequestId++;
    const status = await new Promise<ServerStatus | null>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        resolve(null);
      }, STATUS_SEED_TIMEOUT_MS);
      const done = (value: ServerStatus | null) => {
        clearTimeout(timer);
        resolve(value);
      };
      this.pending.set(requestId, { type: "getStatus", resolve: (value) => done(value as ServerStatus), reject: () => done(null) });
      running.child.send({ type: "getStatus", requestId }, (error) => {
        if (error) {
          this.pending.delete(requestId);
          done(null);
        }
      });
    });
    if (running !== this.running) return;
    if (status) this.setStatus(status);
    else this.options.log.warn("The server did not report its status at start; continuing without it.");
    this.options.log.info(`Server ready (pid ${running.child.pid}).`);
    this.setPhase("ready");
  }

  private onChildGone(generation: number, listened: boolean, why: string, code: number | null): void {
    const current = this.running?.generation === generation;
    const tail = this.stderrTail.at(-1) ?? null;
    if (current) this.running = null;
    this.options.log.info(`Server process ${why}.`);
    if (generation !== this.generation) return; // a child we stopped on purpose
    this.failPending(`The Codex Fusion server ${why} before answering`);
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
    this.failPending(`The Codex Fusion server stopped because ${why}, before answering`);
    if (this.currentEndpoint) {
      this.currentEndpoint = null;
      this.endpointEmitter.fire(null);
    }
    this.setStatus(null);
    const { child } = running;
    if (child.exitCode === null && child.signalCode === null) {
      try {
        if (child.connected) child.disconnect();
      } catch {
        // already gone
      }
      // On Windows kill() is TerminateProcess (no cleanup): there the disconnect alone asks the server to stop.
      if ((this.options.platform ?? process.platform) !== "win32") child.kill("SIGTERM");
      const graceMs = this.options.stopGraceMs ?? 3_000;
      const stoppedInTime = await Promise.race([running.exited.then(() => true), delay(graceMs).then(() => false)]);
      if (!stoppedInTime) {
        this.options.log.warn(`The server did not stop within ${formatSeconds(graceMs)}; killing it.`);
        child.kill("SIGKILL");
        await Promise.race([running.exited, delay(2_000)]);
      }
    }
  }

  private failPending(prefix: string): void {
    for (const [requestId, pending] of this.pending) {
      this.pending.delete(requestId);
      pending.reject(new Error(`${prefix} ${pending.type}. It restarts on its own — try again in a moment.`));
    }
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

function isControlEvent(value: unknown): value is ControlEvent {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** "codex-fusion-mcp: invalid configuration — X" → "invalid configuration — X". */
function cleanServerLine(line: string | null): string | null {
  return line ? line.replace(/^codex-fusion-mcp:\s*/, "").trim() : null;
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
