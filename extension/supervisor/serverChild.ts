// One run of the server child: `dist/server.js --http` with an IPC channel, its output as lines, its messages, the
// typed RPC client over its pipe, and how it ends (disconnect → SIGTERM → SIGKILL). Knows nothing of restarts.
import { spawn, type ChildProcess } from "node:child_process";
import type { ServerMessage } from "../../server/protocol/control";
import { ControlRpcClient } from "./rpcClient";

export interface ServerChildLaunch {
  execPath: string;
  serverScript: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface ServerChildEvents {
  onStdout(line: string): void;
  onStderr(line: string): void;
  onMessage(message: ServerMessage): void;
  /** Once: the process is gone (or never started), with a phrase for "The server … ". */
  onGone(why: string, code: number | null): void;
}

export class ServerChild {
  readonly rpc: ControlRpcClient;
  readonly exited: Promise<void>;
  private readonly child: ChildProcess | null;
  private gone = false;
  private resolveExited!: () => void;

  constructor(launch: ServerChildLaunch, private readonly events: ServerChildEvents) {
    this.exited = new Promise<void>((resolve) => (this.resolveExited = resolve));
    this.rpc = new ControlRpcClient((message, done) => {
      if (!this.child?.connected) return done(new Error("the server's channel is closed"));
      this.child.send(message, (error) => done(error ?? null));
    });
    let child: ChildProcess | null = null;
    try {
      // A 1 MB young generation keeps a long-lived server's RSS flat over thousands of turns (see BENCHMARKS.md).
      child = spawn(launch.execPath, ["--max-semi-space-size=1", launch.serverScript, "--http"], {
        cwd: launch.cwd,
        // ELECTRON_RUN_AS_NODE makes desktop VS Code's Electron binary behave as Node; code-server runs Node already.
        env: { ...launch.env, ELECTRON_RUN_AS_NODE: "1" },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        windowsHide: true,
      });
    } catch (error) {
      queueMicrotask(() => this.finish(`could not be started: ${(error as Error).message}`, null));
    }
    this.child = child;
    if (child) this.watch(child);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get connected(): boolean {
    return this.child?.connected ?? false;
  }

  /** Kills at once (a start that never reported). */
  kill(): void {
    this.child?.kill("SIGKILL");
  }

  /** Asks the server to stop (disconnect: it ends its agent and exits), then SIGTERM, then SIGKILL after the grace. */
  async stop(graceMs: number, platform: NodeJS.Platform, onKill: () => void): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (child.connected) child.disconnect();
    } catch {
      // already gone
    }
    // On Windows kill() is TerminateProcess (no cleanup): there the disconnect alone asks the server to stop.
    if (platform !== "win32") child.kill("SIGTERM");
    const stoppedInTime = await Promise.race([this.exited.then(() => true), delay(graceMs).then(() => false)]);
    if (!stoppedInTime) {
      onKill();
      child.kill("SIGKILL");
      await Promise.race([this.exited, delay(2_000)]);
    }
  }

  private watch(child: ChildProcess): void {
    pipeLines(child.stdout, (line) => this.events.onStdout(line));
    pipeLines(child.stderr, (line) => this.events.onStderr(line));
    child.on("message", (message) => {
      if (isServerMessage(message)) this.events.onMessage(message);
    });
    child.on("error", (error) => {
      // A spawn failure (no pid) never emits "exit".
      if (child.pid === undefined) this.finish(`could not be started: ${error.message}`, null);
    });
    // "exit" can come before the last stderr lines: give the pipes a moment to drain, so the crash message has them.
    const drained = Promise.all([child.stdout, child.stderr].map((stream) => (stream ? new Promise((resolve) => stream.once("close", resolve)) : null)));
    child.on("exit", (code, signal) => {
      void Promise.race([drained, delay(250)]).then(() => this.finish(signal ? `was ended by ${signal}` : `exited with code ${code}`, code));
    });
  }

  private finish(why: string, code: number | null): void {
    if (this.gone) return;
    this.gone = true;
    this.resolveExited();
    this.events.onGone(why, code);
  }
}

function pipeLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
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

function isServerMessage(value: unknown): value is ServerMessage {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}
