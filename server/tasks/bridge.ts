// A transport in front of the 1.x SDK server (or the stdio attach relay) that also serves MCP revision 2026-07-28 and
// its Tasks extension (ADR 0071). Legacy (2025-xx) messages pass through untouched. For a modern client it:
//   - answers `server/discover` itself;
//   - makes, once, the `initialize` the layer below expects, from the client's per-request identity in `_meta`;
//   - stamps `resultType: "complete"` on every result the modern client gets;
//   - lets a tools/call that offers the Tasks extension wait inline up to `inlineMs`, then answers it with a task
//     (`resultType: "task"`) while the call runs on below under an id of the bridge's own. Progress of a task becomes
//     its status message (`tasks/get`); `tasks/cancel` is sent below as an MCP cancellation of that call.
import { randomUUID } from "node:crypto";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { isJSONRPCNotification, isJSONRPCRequest, type JSONRPCMessage, type JSONRPCRequest, type ProgressToken, type RequestId } from "@modelcontextprotocol/sdk/types.js";
import { discoverResult, initializeParamsFor, isModernRequest, modernResult, offersTasks, type ServerIdentity } from "./modern";
import { TaskStore } from "./taskStore";

/** How long an ask that offers tasks waits inline before it becomes a task (CODEX_FUSION_TASK_INLINE_MS). */
export const DEFAULT_TASK_INLINE_MS = 90_000;
const INVALID_PARAMS = -32602;
const CALL_ID_PREFIX = "fusion-task-call-";
const METHOD_NOT_FOUND = -32601;

export function taskInlineMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.CODEX_FUSION_TASK_INLINE_MS;
  const value = raw === undefined || raw.trim() === "" ? DEFAULT_TASK_INLINE_MS : Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : DEFAULT_TASK_INLINE_MS;
}

/** A tools/call the bridge forwarded under its own id: answered inline, or, once `taskId` is set, a task. */
interface Call {
  clientId: RequestId;
  innerId: string;
  token: ProgressToken;
  taskId: string | null;
  lastProgress: string | null;
  timer: NodeJS.Timeout | null;
}

type Response = { id: RequestId; result?: Record<string, unknown>; error?: Record<string, unknown> };

function isResponse(message: JSONRPCMessage): message is JSONRPCMessage & Response {
  return "id" in message && ("result" in message || "error" in message);
}

export class ModernBridge implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly tasks = new TaskStore();
  private readonly calls = new Map<string, Call>();
  private readonly byToken = new Map<ProgressToken, Call>();
  /** Client ids of modern requests passed below as they are: their results get `resultType`. */
  private readonly modernIds = new Set<RequestId>();
  private initialized: Promise<void> | null = null;
  private readonly initId = `fusion-bridge-initialize-${randomUUID()}`;
  private initDone: (() => void) | null = null;
  /** Client messages are handled one after another, so a modern request never overtakes the initialize it waits for. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly outer: Transport,
    private readonly identity: ServerIdentity,
    private readonly inlineMs: number = taskInlineMs(),
  ) {}

  async start(): Promise<void> {
    this.outer.onmessage = (message) => {
      this.chain = this.chain.then(() => this.fromClient(message)).catch((error: Error) => this.onerror?.(error));
    };
    this.outer.onclose = () => {
      for (const call of this.calls.values()) if (call.timer) clearTimeout(call.timer);
      this.onclose?.();
    };
    this.outer.onerror = (error) => this.onerror?.(error);
    await this.outer.start();
  }

  close(): Promise<void> {
    return this.outer.close();
  }

  /** Whether a call still runs below, or a task's result is still kept: its owner must not be closed as idle. */
  busy(): boolean {
    return this.calls.size > 0 || this.tasks.size() > 0;
  }

  /** From the layer below (the server, or the editor's server through the relay) to the client. */
  async send(message: JSONRPCMessage): Promise<void> {
    if (isResponse(message)) {
      if (message.id === this.initId) {
        this.initDone?.();
        return;
      }
      const call = typeof message.id === "string" ? this.calls.get(message.id) : undefined;
      if (call) return this.callEnded(call, message);
      // The answer to a call whose task was cancelled: the client asked for nothing more.
      if (typeof message.id === "string" && message.id.startsWith(CALL_ID_PREFIX)) return;
      if (this.modernIds.delete(message.id) && message.result) return this.outer.send({ ...message, result: modernResult(message.result, this.identity) } as JSONRPCMessage);
      return this.outer.send(message);
    }
    if (isJSONRPCNotification(message) && message.method === "notifications/progress") {
      const params = (message.params ?? {}) as { progressToken?: ProgressToken; message?: unknown };
      const call = params.progressToken === undefined ? undefined : this.byToken.get(params.progressToken);
      if (call && typeof params.message === "string") call.lastProgress = params.message;
      if (call?.taskId) {
        if (typeof params.message === "string") this.tasks.progress(call.taskId, params.message);
        return;
      }
    }
    return this.outer.send(message);
  }

  private async fromClient(message: JSONRPCMessage): Promise<void> {
    if (isJSONRPCRequest(message)) {
      if (message.method === "server/discover") return this.reply(message.id, discoverResult(this.identity));
      if (isModernRequest(message)) {
        // The Tasks extension's methods (a 2025-era client's tasks/* pass below untouched, like all its messages).
        if (message.method.startsWith("tasks/")) return this.taskMethod(message);
        await this.ensureInitialized(message);
        if (message.method === "tools/call" && offersTasks(message)) return this.startCall(message);
        this.modernIds.add(message.id);
      }
      return this.deliver(message);
    }
    if (isJSONRPCNotification(message) && message.method === "notifications/cancelled") {
      const params = (message.params ?? {}) as { requestId?: RequestId };
      const call = [...this.calls.values()].find((candidate) => candidate.clientId === params.requestId && candidate.taskId === null);
      if (call) {
        // Cancelled while still inline: it never becomes a task.
        if (call.timer) clearTimeout(call.timer);
        this.forget(call);
        return this.deliver({ ...message, params: { ...params, requestId: call.innerId } });
      }
      // A cancelled request is never answered: nothing to stamp.
      if (params.requestId !== undefined) this.modernIds.delete(params.requestId);
    }
    return this.deliver(message);
  }

  private deliver(message: JSONRPCMessage): void {
    this.onmessage?.(message);
  }

  private reply(id: RequestId, result: Record<string, unknown>): Promise<void> {
    return this.outer.send({ jsonrpc: "2.0", id, result } as JSONRPCMessage);
  }

  private fail(id: RequestId, code: number, message: string): Promise<void> {
    return this.outer.send({ jsonrpc: "2.0", id, error: { code, message } });
  }

  /** The layer below speaks 2025-11-25: it gets one initialize, on the first modern client's behalf. */
  private ensureInitialized(first: JSONRPCRequest): Promise<void> {
    if (!this.initialized) {
      this.initialized = new Promise<void>((resolve) => {
        this.initDone = () => {
          this.initDone = null;
          this.deliver({ jsonrpc: "2.0", method: "notifications/initialized" });
          resolve();
        };
      });
      this.deliver({ jsonrpc: "2.0", id: this.initId, method: "initialize", params: initializeParamsFor(first) });
    }
    return this.initialized;
  }

  private startCall(message: JSONRPCRequest): void {
    const innerId = `${CALL_ID_PREFIX}${randomUUID()}`;
    const params = (message.params ?? {}) as Record<string, unknown> & { _meta?: Record<string, unknown> };
    const given = params._meta?.progressToken;
    // A progress token of the bridge's own when the client sent none: progress is what a task's status shows.
    const token: ProgressToken = typeof given === "string" || typeof given === "number" ? given : innerId;
    const call: Call = { clientId: message.id, innerId, token, taskId: null, lastProgress: null, timer: null };
    call.timer = setTimeout(() => void this.background(call), this.inlineMs);
    this.calls.set(innerId, call);
    this.byToken.set(token, call);
    this.deliver({ ...message, id: innerId, params: { ...params, _meta: { ...params._meta, progressToken: token } } });
  }

  /** The inline bound passed: the client gets a task now; the call runs on. */
  private background(call: Call): Promise<void> {
    call.timer = null;
    const task = this.tasks.create(call.lastProgress ?? "Codex is working on it.");
    call.taskId = task.taskId;
    return this.reply(call.clientId, { ...modernResult({}, this.identity), ...this.tasks.wire(task), resultType: "task" });
  }

  private callEnded(call: Call, message: Response): Promise<void> | void {
    if (call.timer) clearTimeout(call.timer);
    this.forget(call);
    if (call.taskId === null) {
      const answer = message.result ? { result: modernResult(message.result, this.identity) } : { error: message.error };
      return this.outer.send({ jsonrpc: "2.0", id: call.clientId, ...answer } as JSONRPCMessage);
    }
    this.tasks.finish(call.taskId, message.result ? { status: "completed", result: modernResult(message.result, this.identity) } : { status: "failed", error: message.error ?? {} });
  }

  private forget(call: Call): void {
    this.calls.delete(call.innerId);
    this.byToken.delete(call.token);
  }

  private async taskMethod(message: JSONRPCRequest): Promise<void> {
    const taskId = (message.params as { taskId?: unknown } | undefined)?.taskId;
    const task = typeof taskId === "string" ? this.tasks.get(taskId) : null;
    if (message.method !== "tasks/get" && message.method !== "tasks/cancel" && message.method !== "tasks/update") return this.fail(message.id, METHOD_NOT_FOUND, `${message.method} is not supported`);
    if (!task) return this.fail(message.id, INVALID_PARAMS, `Unknown task ${String(taskId)}: it finished over an hour ago or belongs to another server process.`);
    if (message.method === "tasks/get") return this.reply(message.id, modernResult(this.tasks.wire(task), this.identity));
    if (message.method === "tasks/cancel") {
      const call = [...this.calls.values()].find((candidate) => candidate.taskId === task.taskId);
      if (call && this.tasks.finish(task.taskId, { status: "cancelled", statusMessage: "Cancelled: the Codex turn was stopped." })) {
        this.forget(call);
        // Below, this is an ordinary MCP cancellation: the server cancels the Codex turn.
        this.deliver({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: call.innerId, reason: "The client cancelled the task." } });
      }
    }
    // tasks/update: this server asks nothing of the client during a task (a permission ends the task instead).
    return this.reply(message.id, modernResult({}, this.identity));
  }
}
