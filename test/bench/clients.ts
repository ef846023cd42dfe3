// The contenders, each driven through the thin JSON-RPC peer (rpc.ts):
//   FusionClient   — `node dist/server.js`, MCP over stdio (tools/call consult / reply)
//   AcpClient      — an ACP agent (codex-acp or the fake agent) driven directly, doing what the server does
//   AppServerClient— OpenAI's native `codex app-server` (thread/start, turn/start), no adapter in between
// plus `codex exec` / `codex exec resume` as one-process-per-call peers (see sections.ts).
import { performance } from "node:perf_hooks";
import { RpcPeer } from "./rpc";

export const MCP_PROTOCOL_VERSION = "2025-06-18";
const CLIENT_INFO = { name: "codex-fusion-bench", version: "1.0.0" };

export interface Timed<T> {
  ms: number;
  value: T;
}

async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

export class BenchError extends Error {}

// ------------------------------------------------------------------------------------------------

export interface ToolAnswer {
  text: string;
  isError: boolean;
  /** The server's own measure of the turn (structuredContent.durationMs), when present. */
  internalMs: number | null;
  progressCount: number;
  bytes: number;
}

/** Extra `node` flags for every server the run starts (run.ts --server-node-args), to try V8 settings. */
export const serverNodeArgs: string[] = [];

export class FusionClient {
  readonly peer: RpcPeer;
  private progressToken = 0;
  private progressSeen = new Map<number, number>();

  constructor(serverJs: string, options: { cwd: string; env: NodeJS.ProcessEnv; name?: string; nodeArgs?: string[] }) {
    this.peer = new RpcPeer(options.name ?? "codex-fusion server", [process.execPath, ...serverNodeArgs, ...(options.nodeArgs ?? []), serverJs], options);
    this.peer.on("notifications/progress", (params) => {
      const token = params?.progressToken as number;
      this.progressSeen.set(token, (this.progressSeen.get(token) ?? 0) + 1);
    });
    // The server never needs anything from us, but answer pings politely.
    this.peer.onRequest = (method) => {
      if (method === "ping") return {};
      throw Object.assign(new Error(`unsupported ${method}`), { code: -32601 });
    };
  }

  get pid(): number | undefined {
    return this.peer.pid;
  }

  /** initialize + notifications/initialized; ms until initialize was answered. */
  async initialize(timeoutMs = 20_000): Promise<number> {
    const { ms } = await timed(() =>
      this.peer.request("initialize", { protocolVersion: MCP_PROTOCOL_VERSION, capabilities: {}, clientInfo: CLIENT_INFO }, timeoutMs),
    );
    this.peer.notify("notifications/initialized");
    return ms;
  }

  async call(tool: string, args: Record<string, unknown>, options: { progress?: boolean; timeoutMs?: number } = {}): Promise<Timed<ToolAnswer>> {
    const token = options.progress ? ++this.progressToken : undefined;
    const before = this.peer.bytesIn;
    const r = await timed(() =>
      this.peer.request(
        "tools/call",
        { name: tool, arguments: args, ...(token !== undefined ? { _meta: { progressToken: token } } : {}) },
        options.timeoutMs ?? 60_000,
      ),
    );
    const result = r.value as { content?: { type: string; text?: string }[]; isError?: boolean; structuredContent?: { durationMs?: number } };
    const text = (result.content ?? []).map((c) => (c.type === "text" ? (c.text ?? "") : "")).join("\n");
    const progressCount = token !== undefined ? (this.progressSeen.get(token) ?? 0) : 0;
    if (token !== undefined) this.progressSeen.delete(token);
    return {
      ms: r.ms,
      value: {
        text,
        isError: result.isError === true,
        internalMs: typeof result.structuredContent?.durationMs === "number" ? result.structuredContent.durationMs : null,
        progressCount,
        bytes: this.peer.bytesIn - before,
      },
    };
  }

  /** A consult that must succeed with a VERDICT line. */
  async consult(question: string, options: { progress?: boolean; timeoutMs?: number; tool?: "consult" | "reply" } = {}): Promise<Timed<ToolAnswer>> {
    const tool = options.tool ?? "consult";
    const r = await this.call(tool, tool === "consult" ? { question } : { message: question }, options);
    if (r.value.isError || !/VERDICT:/.test(r.value.text)) {
      throw new BenchError(`${tool} did not answer: ${r.value.text.slice(0, 400)} | server stderr: ${this.peer.stderr(600)}`);
    }
    return r;
  }

  async status(): Promise<any> {
    const r = await this.call("status", {});
    return r;
  }

  close(graceMs = 3000): Promise<void> {
    return this.peer.close(graceMs);
  }
}

// ------------------------------------------------------------------------------------------------

export interface PromptAnswer {
  text: string;
  stopReason: string;
  updates: number;
}

export class AcpClient {
  readonly peer: RpcPeer;
  sessionId: string | null = null;
  private chunks = new Map<string, { text: string; updates: number }>();

  constructor(name: string, argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
    this.peer = new RpcPeer(name, argv, options);
    this.peer.on("session/update", (params) => {
      const entry = this.chunks.get(params?.sessionId);
      if (!entry) return;
      entry.updates += 1;
      const u = params.update;
      if (u?.sessionUpdate === "agent_message_chunk" && u.content?.type === "text") entry.text += u.content.text;
    });
    this.peer.onRequest = (method, params) => {
      if (method === "session/request_permission") {
        const reject = (params?.options ?? []).find((o: { kind: string }) => o.kind === "reject_once");
        return reject ? { outcome: { outcome: "selected", optionId: reject.optionId } } : { outcome: { outcome: "cancelled" } };
      }
      throw Object.assign(new Error(`unsupported ${method}`), { code: -32601 });
    };
  }

  get pid(): number | undefined {
    return this.peer.pid;
  }

  /** The same initialize the server sends. */
  async initialize(timeoutMs = 60_000): Promise<number> {
    const { ms } = await timed(() =>
      this.peer.request(
        "initialize",
        {
          protocolVersion: 1,
          clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false },
          clientInfo: CLIENT_INFO,
        },
        timeoutMs,
      ),
    );
    return ms;
  }

  /**
   * What the server does before its first prompt: session/new, mode → read-only, and a title (which also
   * spares codex-acp a model call for one). Returns ms per step.
   */
  async openSession(cwd: string): Promise<{ newMs: number; modeMs: number; titleMs: number }> {
    const created = await timed(() => this.peer.request("session/new", { cwd, mcpServers: [] }, 60_000));
    const sessionId = (created.value as { sessionId: string }).sessionId;
    this.sessionId = sessionId;
    this.chunks.set(sessionId, { text: "", updates: 0 });
    const mode = await timed(() => this.peer.request("session/set_config_option", { sessionId, configId: "mode", value: "read-only" }, 30_000));
    const title = await timed(() => this.peer.request("session/set_title", { sessionId, title: "Codex Fusion review" }, 30_000).catch(() => undefined));
    return { newMs: created.ms, modeMs: mode.ms, titleMs: title.ms };
  }

  async prompt(text: string, timeoutMs = 60_000): Promise<Timed<PromptAnswer>> {
    const sessionId = this.sessionId;
    if (!sessionId) throw new BenchError("no session");
    const entry = { text: "", updates: 0 };
    this.chunks.set(sessionId, entry);
    const r = await timed(() => this.peer.request("session/prompt", { sessionId, prompt: [{ type: "text", text }] }, timeoutMs));
    const answer = { text: entry.text, stopReason: String((r.value as { stopReason?: string }).stopReason), updates: entry.updates };
    if (answer.stopReason !== "end_turn" || !/VERDICT:/.test(answer.text)) {
      throw new BenchError(`${this.peer.name}: prompt ended ${answer.stopReason} without a VERDICT: ${answer.text.slice(0, 300)} | stderr: ${this.peer.stderr(400)}`);
    }
    return { ms: r.ms, value: answer };
  }

  close(graceMs = 300): Promise<void> {
    return this.peer.close(graceMs);
  }
}

// ------------------------------------------------------------------------------------------------

/** OpenAI's native app-server (the process codex-acp adapts), driven directly: the floor for a Codex turn. */
export class AppServerClient {
  readonly peer: RpcPeer;
  threadId: string | null = null;

  constructor(codexNative: string, options: { cwd: string; env: NodeJS.ProcessEnv }) {
    this.peer = new RpcPeer("codex app-server", [codexNative, "app-server"], options);
    this.peer.onRequest = (method) => {
      // Approval requests do not happen for a text answer; decline anything else.
      if (/approval/i.test(method)) return { decision: "decline" };
      throw Object.assign(new Error(`unsupported ${method}`), { code: -32601 });
    };
  }

  get pid(): number | undefined {
    return this.peer.pid;
  }

  async initialize(): Promise<number> {
    const { ms } = await timed(() => this.peer.request("initialize", { clientInfo: CLIENT_INFO, capabilities: { experimentalApi: true } }, 60_000));
    this.peer.notify("initialized");
    return ms;
  }

  async startThread(cwd: string): Promise<number> {
    const r = await timed(() => this.peer.request("thread/start", { cwd, approvalPolicy: "on-request", sandbox: "read-only" }, 60_000));
    this.threadId = (r.value as { thread: { id: string } }).thread.id;
    return r.ms;
  }

  /** turn/start and wait for turn/completed; the answer is the streamed agent message. */
  async turn(text: string, timeoutMs = 60_000): Promise<Timed<PromptAnswer>> {
    const threadId = this.threadId;
    if (!threadId) throw new BenchError("no thread");
    let answer = "";
    let updates = 0;
    const offDelta = this.peer.on("item/agentMessage/delta", (p) => {
      if (p?.threadId === threadId || p?.threadId === undefined) {
        answer += String(p?.delta ?? "");
        updates += 1;
      }
    });
    let offDone: () => void = () => {};
    let timer: NodeJS.Timeout | undefined;
    try {
      return await timed(async () => {
        const completed = new Promise<{ turn: { status: string } }>((resolve, reject) => {
          offDone = this.peer.on("turn/completed", (p) => {
            if (p?.threadId === threadId) resolve(p);
          });
          timer = setTimeout(() => reject(new BenchError(`app-server turn timed out; stderr: ${this.peer.stderr(400)}`)), timeoutMs);
          void this.peer.exited.then(() => reject(new BenchError(`app-server exited; stderr: ${this.peer.stderr(400)}`)));
        });
        await this.peer.request("turn/start", { threadId, input: [{ type: "text", text, text_elements: [] }] }, timeoutMs);
        const done = await completed;
        if (done.turn.status !== "completed" || !/VERDICT:/.test(answer)) {
          throw new BenchError(`app-server turn ${done.turn.status}: ${answer.slice(0, 300)}`);
        }
        return { text: answer, stopReason: done.turn.status, updates };
      });
    } finally {
      clearTimeout(timer);
      offDelta();
      offDone();
    }
  }

  close(graceMs = 500): Promise<void> {
    return this.peer.close(graceMs);
  }
}
