// A deliberately thin newline-delimited JSON-RPC 2.0 peer over a child's stdio. MCP (stdio transport), ACP and
// Codex's app-server all frame messages this way, so one small client drives every contender with the same,
// near-zero client-side cost: what the benchmark measures is the server side, not a client SDK.
import type { ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { alive, captureTree, killTree, noteTree, sleep, spawnTracked } from "./procs";

export interface RpcMessage {
  jsonrpc: "2.0";
  id?: number | string;
  method?: string;
  params?: any;
  result?: any;
  error?: { code: number; message: string; data?: unknown };
}

export class RpcError extends Error {
  constructor(
    readonly method: string,
    readonly rpc: { code: number; message: string; data?: unknown },
  ) {
    super(`${method}: ${rpc.code} ${rpc.message}`);
  }
}

type RequestHandler = (method: string, params: any) => unknown;

export class RpcPeer {
  readonly child: ChildProcess;
  readonly spawnedAt = performance.now();
  private nextId = 1;
  private buffer = "";
  private readonly pending = new Map<number, { method: string; resolve: (v: any) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly notificationHandlers = new Map<string, Array<(params: any) => void>>();
  private stderrTail = "";
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Answers requests the other side sends (ACP permission requests, MCP pings…). Default: method not found. */
  onRequest: RequestHandler | null = null;
  /** Bytes received on stdout (protocol traffic), for the report. */
  bytesIn = 0;
  bytesOut = 0;

  constructor(
    readonly name: string,
    argv: string[],
    options: { cwd: string; env: NodeJS.ProcessEnv },
  ) {
    const [command, ...args] = argv;
    this.child = spawnTracked(command!, args, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        this.exitInfo = { code, signal };
        for (const [, p] of this.pending) {
          clearTimeout(p.timer);
          p.reject(new Error(`${this.name} exited (${signal ?? code}) during ${p.method}; stderr: ${this.stderr(400)}`));
        }
        this.pending.clear();
        resolve(this.exitInfo);
      });
      this.child.once("error", (error) => {
        this.stderrTail += `\nspawn error: ${error.message}`;
        if (this.child.pid === undefined) {
          this.exitInfo = { code: null, signal: null };
          resolve(this.exitInfo);
        }
      });
    });
    this.child.stdin!.on("error", () => {});
    this.child.stdout!.setEncoding("utf8");
    this.child.stdout!.on("data", (chunk: string) => this.onData(chunk));
    this.child.stderr!.setEncoding("utf8");
    this.child.stderr!.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-8000);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitInfo === null;
  }

  stderr(max = 2000): string {
    return this.stderrTail.slice(-max).trim();
  }

  on(method: string, handler: (params: any) => void): () => void {
    const list = this.notificationHandlers.get(method) ?? [];
    list.push(handler);
    this.notificationHandlers.set(method, list);
    return () => {
      const i = list.indexOf(handler);
      if (i >= 0) list.splice(i, 1);
    };
  }

  request<T = any>(method: string, params?: unknown, timeoutMs = 60_000): Promise<T> {
    if (!this.alive) return Promise.reject(new Error(`${this.name} is not running (stderr: ${this.stderr(400)})`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${method} timed out after ${timeoutMs} ms; stderr: ${this.stderr(400)}`));
      }, timeoutMs);
      this.pending.set(id, { method, resolve, reject, timer });
      this.write({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });
    });
  }

  notify(method: string, params?: unknown): void {
    if (!this.alive) return;
    this.write({ jsonrpc: "2.0", method, ...(params === undefined ? {} : { params }) });
  }

  private write(message: RpcMessage): void {
    const line = JSON.stringify(message) + "\n";
    this.bytesOut += Buffer.byteLength(line);
    this.child.stdin!.write(line);
  }

  private onData(chunk: string): void {
    this.bytesIn += Buffer.byteLength(chunk);
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (!line) continue;
      let msg: RpcMessage;
      try {
        msg = JSON.parse(line) as RpcMessage;
      } catch {
        this.stderrTail += `\n[non-JSON on stdout] ${line.slice(0, 200)}`;
        continue;
      }
      this.dispatch(msg);
    }
  }

  private dispatch(msg: RpcMessage): void {
    if (msg.method !== undefined && msg.id !== undefined) {
      void this.answer(msg);
      return;
    }
    if (msg.method !== undefined) {
      for (const handler of this.notificationHandlers.get(msg.method) ?? []) handler(msg.params);
      return;
    }
    if (typeof msg.id !== "number") return;
    const pending = this.pending.get(msg.id);
    if (!pending) return;
    this.pending.delete(msg.id);
    clearTimeout(pending.timer);
    if (msg.error) pending.reject(new RpcError(pending.method, msg.error));
    else pending.resolve(msg.result);
  }

  private async answer(msg: RpcMessage): Promise<void> {
    try {
      if (!this.onRequest) throw Object.assign(new Error(`bench client does not handle ${msg.method}`), { code: -32601 });
      const result = await this.onRequest(msg.method!, msg.params);
      this.write({ jsonrpc: "2.0", id: msg.id, result: result ?? {} });
    } catch (error) {
      const code = (error as { code?: number }).code ?? -32603;
      this.write({ jsonrpc: "2.0", id: msg.id, error: { code, message: (error as Error).message } });
    }
  }

  /** Records the process tree now (so the final sweep finds grandchildren even if they get orphaned). */
  noteTree(): void {
    noteTree(this.pid);
  }

  /**
   * Polite stop: close stdin and wait `graceMs` (MCP servers and codex-acp exit on stdin close), then end the
   * whole tree. Returns how long the polite part took.
   */
  async close(graceMs = 3000): Promise<void> {
    const pid = this.pid;
    if (pid === undefined) return;
    const before = captureTree(pid);
    try {
      this.child.stdin!.end();
    } catch {
      /* already closed */
    }
    if (this.alive) {
      await Promise.race([this.exited, sleep(graceMs)]);
    }
    await killTree(pid, 1000, before);
    if (alive(pid)) await Promise.race([this.exited, sleep(1000)]);
  }
}

/** A one-shot child: collects stdout/stderr, resolves on exit, killed (tree) on timeout. */
export async function runOnce(
  argv: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; input?: string; answerWhen?: (stdout: string) => boolean },
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number; answerMs: number | null }> {
  const [command, ...args] = argv;
  const t0 = performance.now();
  const child = spawnTracked(command!, args, { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let answerMs: number | null = null;
  child.stdout!.setEncoding("utf8").on("data", (c: string) => {
    stdout += c;
    if (answerMs === null && options.answerWhen?.(stdout)) answerMs = performance.now() - t0;
  });
  child.stderr!.setEncoding("utf8").on("data", (c: string) => (stderr = (stderr + c).slice(-8000)));
  child.stdin!.on("error", () => {});
  child.stdin!.end(options.input ?? "");
  let ms = 0;
  const timer = setTimeout(() => {
    if (child.pid !== undefined) void killTree(child.pid, 500);
  }, options.timeoutMs);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    let exitedAt = 0;
    child.once("exit", () => (exitedAt = performance.now()));
    // 'close' comes after stdout is drained; the exit moment is what a caller waiting on the process sees.
    child.once("close", (code, signal) => {
      ms = (exitedAt || performance.now()) - t0;
      resolve({ code, signal });
    });
    child.once("error", () => resolve({ code: null, signal: null }));
  });
  clearTimeout(timer);
  if (child.pid !== undefined) await killTree(child.pid, 200); // anything it left behind
  return { ...exit, stdout, stderr, ms, answerMs };
}
