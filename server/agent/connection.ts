// One running agent: the subprocess plus the ACP client connection over its stdio, with the SDK's typed methods.
// The `/unstable` entry types what codex-acp 2.6 speaks beyond the stable protocol (session/set_title, fork, usage).
import { Readable, Writable } from "node:stream";
import * as acp from "@agentclientprotocol/sdk/unstable";
import { AgentProcess, type AgentExit } from "./process";
import { AgentError, describeStartFailure } from "./errors";
import { rememberRawRequest } from "../guardian/rawRequest";
import { VERSION } from "../version";

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
  initTimeoutMs: number;
}

const CLIENT_INFO = { name: "codex-fusion", title: "Codex Fusion", version: VERSION };

export class AgentConnection {
  private constructor(
    readonly process: AgentProcess,
    private readonly connection: acp.ClientConnection,
    readonly init: acp.InitializeResponse,
  ) {}

  static async start(launch: AgentLaunch, handlers: AgentHandlers): Promise<AgentConnection> {
    const proc = new AgentProcess(launch.argv, { cwd: launch.cwd, env: launch.env, onStderr: handlers.onStderr });
    const raw = new RawPermissionParams();
    const app = acp
      .client({ name: "codex-fusion" })
      .onRequest("session/request_permission", (ctx) => {
        raw.attach(ctx.requestId, ctx.params);
        return handlers.onPermission(ctx.params, ctx.signal);
      })
      .onNotification("session/update", (ctx) => handlers.onUpdate(ctx.params));
    const wire = acp.ndJsonStream(Writable.toWeb(proc.child.stdin) as WritableStream<Uint8Array>, Readable.toWeb(proc.child.stdout) as ReadableStream<Uint8Array>);
    const connection = app.connect({ writable: wire.writable, readable: wire.readable.pipeThrough(raw.tap()) });
    const initialize: Promise<acp.InitializeResponse> = connection.agent.request("initialize", {
      protocolVersion: acp.PROTOCOL_VERSION,
      // We never serve files or terminals: Codex reads through its own sandbox, and anything more is a permission.
      clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false },
      clientInfo: CLIENT_INFO,
    });
    try {
      const init = await race(initialize, proc.exited, launch.initTimeoutMs);
      return new AgentConnection(proc, connection, init);
    } catch (error) {
      connection.close();
      await proc.stop(100);
      throw error instanceof AgentError ? error : describeStartFailure(launch.argv, proc, error);
    }
  }

  get exited(): Promise<AgentExit> {
    return this.process.exited;
  }

  get alive(): boolean {
    return this.process.alive;
  }

  get canLoadSessions(): boolean {
    return this.init.agentCapabilities?.loadSession === true;
  }

  /** Whether the agent advertises a session capability (close, fork, resume, …) — present means supported. */
  supportsSession(capability: "close" | "fork" | "resume" | "setTitle"): boolean {
    const capabilities = this.init.agentCapabilities?.sessionCapabilities as Record<string, unknown> | null | undefined;
    if (!capabilities) return false;
    // codex-acp 2.6 names the title capability `title`; the protocol's name is the method's.
    const names = capability === "setTitle" ? ["title", "setTitle"] : [capability];
    return names.some((name) => capabilities[name] !== undefined && capabilities[name] !== null);
  }

  request<M extends AgentMethod>(method: M, params: AgentParams<M>, signal?: AbortSignal): Promise<AgentResult<M>> {
    return this.connection.agent.request(method, params, signal ? { cancellationSignal: signal } : undefined) as Promise<AgentResult<M>>;
  }

  cancel(sessionId: string): Promise<void> {
    return this.connection.agent.notify("session/cancel", { sessionId });
  }

  async stop(graceMs?: number): Promise<void> {
    this.connection.close();
    await this.process.stop(graceMs);
  }

  killNow(): void {
    this.process.killNow();
  }
}

/**
 * Keeps the params of each `session/request_permission` as they came off the wire, for the guardian:
 * the SDK's parsed view silently drops malformed locations (guardian/rawRequest.ts).
 */
class RawPermissionParams {
  private readonly byId = new Map<acp.JsonRpcId, unknown>();

  tap(): TransformStream<acp.AnyMessage, acp.AnyMessage> {
    return new TransformStream({
      transform: (message, controller) => {
        if ("method" in message && message.method === "session/request_permission" && "id" in message) {
          this.byId.set(message.id, message.params);
          // Requests the SDK rejects never reach a handler: keep only the latest few.
          if (this.byId.size > 16) this.byId.delete(this.byId.keys().next().value!);
        }
        controller.enqueue(message);
      },
    });
  }

  attach(id: acp.JsonRpcId, parsed: object): void {
    if (!this.byId.has(id)) return;
    rememberRawRequest(parsed, this.byId.get(id));
    this.byId.delete(id);
  }
}

/** Resolves with the request, or rejects when the agent exits or takes too long. */
function race<T>(request: Promise<T>, exited: Promise<AgentExit>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new AgentError("agent_start_failed", `the Codex agent did not answer initialize within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    request.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error("agent exited"));
    });
  });
}
