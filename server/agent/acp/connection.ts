// One running agent: the subprocess plus the ACP client connection over its stdio, with the SDK's typed methods.
// The `/unstable` entry types what codex-acp 2.6 speaks beyond the stable protocol (session/set_title, fork, usage).
import * as acp from "@agentclientprotocol/sdk/unstable";
import { AgentProcess, type AgentExit } from "./process";
import { AgentError, describeStartFailure } from "./errors";
import { ndJsonWire } from "./ndjsonWire";
import { rawRequestNotSeen, rememberRawRequest } from "../../guardian/rawRequest";
import { VERSION } from "../../version";

export type AgentMethod = acp.AgentRequestMethod;
export type AgentParams<M extends AgentMethod> = acp.AgentRequestParamsByMethod[M];
export type AgentResult<M extends AgentMethod> = acp.AgentRequestResponsesByMethod[M];

export interface AgentHandlers {
  onUpdate(notification: acp.SessionNotification): void;
  onPermission(request: acp.RequestPermissionRequest, signal: AbortSignal): Promise<acp.RequestPermissionResponse>;
  onStderr?(text: string): void;
}

export interface AgentLaunch {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The bound on every request to the agent (initialize included), unless a call names its own. */
  requestTimeoutMs: number;
  /** Aborting it ends a start-up in progress (the agent is killed). */
  signal?: AbortSignal;
}

const CLIENT_INFO = { name: "codex-fusion", title: "Codex Fusion", version: VERSION };

/** How an agent ended: its process exited, or its ACP stream broke under a live process (which is then killed). */
export type AgentEnd = { exit: AgentExit; streamFailure: null } | { exit: null; streamFailure: string };

/** The longest a session/close may take. */
const CLOSE_TIMEOUT_MS = 5_000;

/** How long a closed stream waits for the process's own exit before it counts as broken. */
const EXIT_AFTER_CLOSE_MS = 1_000;

export class AgentConnection {
  /** Resolves once, when the agent can no longer be used. */
  readonly ended: Promise<AgentEnd>;
  private streamClosed = false;
  private stopping = false;

  private constructor(
    readonly process: AgentProcess,
    private readonly connection: acp.ClientConnection,
    readonly init: acp.InitializeResponse,
    private readonly requestTimeoutMs: number,
  ) {
    this.ended = new Promise<AgentEnd>((resolve) => {
      void process.exited.then((exit) => resolve({ exit, streamFailure: null }));
      // "Alive" must mean the agent can still talk: a stream that closed or failed (an oversized line, garbage, a
      // closed stdout) under a process that goes on running leaves nobody to talk to, so it ends like a crash.
      void connection.closed.then(async () => {
        this.streamClosed = true;
        if (this.stopping) return;
        const exitedOnItsOwn = await Promise.race([process.exited.then(() => true), delay(EXIT_AFTER_CLOSE_MS).then(() => false)]);
        if (exitedOnItsOwn || this.stopping) return;
        resolve({ exit: null, streamFailure: streamFailure(connection.signal.reason) });
        process.killNow();
      });
    });
  }

  static async start(launch: AgentLaunch, handlers: AgentHandlers): Promise<AgentConnection> {
    const proc = new AgentProcess(launch.argv, { cwd: launch.cwd, env: launch.env, onStderr: handlers.onStderr });
    const raw = new RawPermissionParams();
    const app = acp
      .client({ name: "codex-fusion" })
      .onRequest("session/request_permission", (ctx) => {
        raw.attach(ctx.requestId, ctx.params);
        return handlers.onPermission(ctx.params, ctx.signal);
      })
      // The SDK's session-update router has validated every session/update against the schema before any handler
      // runs; the typed handler would parse it a second time. Take the params it already checked.
      .onNotification("session/update", alreadyValidated<acp.SessionNotification>, (ctx) => handlers.onUpdate(ctx.params));
    const connection = app.connect(ndJsonWire(proc.child.stdin, proc.child.stdout, (message) => raw.see(message)));
    const initialize: Promise<acp.InitializeResponse> = connection.agent.request("initialize", {
      protocolVersion: acp.PROTOCOL_VERSION,
      // We never serve files or terminals: Codex reads through its own sandbox, and anything more is a permission.
      clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false },
      clientInfo: CLIENT_INFO,
    });
    try {
      const init = await bounded(initialize, { method: "initialize", timeoutMs: launch.requestTimeoutMs, signal: launch.signal, exited: proc.exited });
      return new AgentConnection(proc, connection, init, launch.requestTimeoutMs);
    } catch (error) {
      connection.close();
      await proc.stop(100);
      throw error instanceof AgentError ? error : describeStartFailure(launch.argv, proc, error);
    }
  }

  get exited(): Promise<AgentExit> {
    return this.process.exited;
  }

  /** The process runs and its stream is open: requests can reach it. */
  get alive(): boolean {
    return this.process.alive && !this.streamClosed;
  }

  get canLoadSessions(): boolean {
    return this.init.agentCapabilities?.loadSession === true;
  }

  /** Whether the agent advertises a session capability (close, fork, resume, …) — present means supported. */
  supportsSession(capability: "close" | "fork" | "list" | "resume" | "setTitle" | "systemPrompt"): boolean {
    const capabilities = this.init.agentCapabilities?.sessionCapabilities as Record<string, unknown> | null | undefined;
    if (!capabilities) return false;
    // codex-acp 2.6 names the title capability `title`; the protocol's name is the method's.
    const names = capability === "setTitle" ? ["title", "setTitle"] : [capability];
    return names.some((name) => capabilities[name] !== undefined && capabilities[name] !== null);
  }

  /**
   * A typed request, bounded: it rejects (and the agent is told with `$/cancel_request`) when the agent does not answer
   * within `timeoutMs` (default: the launch's bound; `null` for a prompt, whose length the turn's idle clock judges),
   * when `signal` aborts, or when the agent exits.
   */
  request<M extends AgentMethod>(method: M, params: AgentParams<M>, options: { signal?: AbortSignal; timeoutMs?: number | null } = {}): Promise<AgentResult<M>> {
    const cancel = new AbortController();
    const sent = this.connection.agent.request(method, params, { cancellationSignal: cancel.signal }) as Promise<AgentResult<M>>;
    const timeoutMs = options.timeoutMs === undefined ? this.requestTimeoutMs : options.timeoutMs;
    // An exit needs no watch here: it closes the stream, and the SDK rejects every pending request then.
    return bounded(sent, { method, timeoutMs, signal: options.signal }).catch((error: unknown) => {
      cancel.abort();
      throw error;
    });
  }

  /**
   * Closes a session when the agent can (`session/close`), within 5 s at most: a courtesy, never worth a long wait.
   * Resolves "timeout" when the agent did not answer in time (a sign it is stuck); an agent's refusal is "done" too.
   */
  async closeSession(sessionId: string): Promise<"done" | "timeout"> {
    if (!this.alive || !this.supportsSession("close")) return "done";
    try {
      await this.request("session/close", { sessionId }, { timeoutMs: Math.min(CLOSE_TIMEOUT_MS, this.requestTimeoutMs) });
      return "done";
    } catch (error) {
      return error instanceof AgentError && error.code === "timeout" ? "timeout" : "done";
    }
  }

  cancel(sessionId: string): Promise<void> {
    return this.connection.agent.notify("session/cancel", { sessionId });
  }

  async stop(graceMs?: number): Promise<void> {
    this.stopping = true;
    this.connection.close();
    await this.process.stop(graceMs);
  }

  killNow(): void {
    this.stopping = true;
    this.process.killNow();
  }
}

/**
 * Keeps the params of each `session/request_permission` as they came off the wire, for the guardian:
 * the SDK's parsed view silently drops malformed locations (guardian/rawRequest.ts).
 */
class RawPermissionParams {
  private readonly byId = new Map<acp.JsonRpcId, unknown>();

  /** Every incoming message passes here once, before the SDK parses it. */
  see(message: acp.AnyMessage): void {
    if ("method" in message && message.method === "session/request_permission" && "id" in message) {
      this.byId.set(message.id, message.params);
      // Requests the SDK rejects never reach a handler: keep only the latest few.
      if (this.byId.size > 16) this.byId.delete(this.byId.keys().next().value!);
    }
  }

  attach(id: acp.JsonRpcId, parsed: object): void {
    if (!this.byId.has(id)) return rawRequestNotSeen(parsed);
    rememberRawRequest(parsed, this.byId.get(id));
    this.byId.delete(id);
  }
}

/**
 * Resolves with the request, or rejects when the agent does not answer in time, exits first, or the caller gives up.
 * Every request to the agent goes through here: a stalled agent costs a caller its bound, never forever.
 */
function bounded<T>(request: Promise<T>, bound: { method: string; timeoutMs: number | null; signal?: AbortSignal; exited?: Promise<AgentExit> }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanups: Array<() => void> = [];
    const settle = (finish: () => void) => {
      for (const cleanup of cleanups) cleanup();
      finish();
    };
    if (bound.timeoutMs !== null) {
      const seconds = Math.max(1, Math.round(bound.timeoutMs / 1000));
      const timer = setTimeout(() => settle(() => reject(new AgentError("timeout", `The Codex agent did not answer ${bound.method} within ${seconds} s — call again; if it keeps happening, call reset or check the agent (CODEX_FUSION_AGENT_REQUEST_TIMEOUT_MS sets the bound).`))), bound.timeoutMs);
      timer.unref();
      cleanups.push(() => clearTimeout(timer));
    }
    if (bound.signal) {
      const signal = bound.signal;
      const onAbort = () => settle(() => reject(signal.reason instanceof AgentError ? signal.reason : new AgentError("cancelled", `${bound.method} was cancelled.`)));
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      cleanups.push(() => signal.removeEventListener("abort", onAbort));
    }
    request.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
    void bound.exited?.then(() => settle(() => reject(new Error("agent exited"))));
  });
}

/** The params as they came, for a notification the SDK validates on its own before any handler sees it. */
function alreadyValidated<T>(params: unknown): T {
  return params as T;
}

function streamFailure(reason: unknown): string {
  const text = reason instanceof Error ? reason.message : typeof reason === "string" ? reason : "";
  return text ? `its ACP stream failed (${text})` : "it closed its ACP stream";
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
