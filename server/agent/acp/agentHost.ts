// The agent's life cycle: started lazily on the first ask, at most one start at a time, its exit reported once, and
// ended (with everything it started) when the server stops. Knows nothing of sessions or turns.
import { EventEmitter } from "node:events";
import type { AgentConnection, AgentEnd, AgentHandlers } from "./connection";
import { findNativeCodex } from "./nativeCodex";

const READ_ONLY = "read-only";

export interface AgentHostEvents {
  /** The running agent ended on its own — exited, or its stream broke (not through stop/kill). */
  exit: [AgentConnection, AgentEnd];
}

export interface AgentHostOptions {
  argv: string[];
  cwd: string;
  requestTimeoutMs: number;
  /** The environment the agent inherits (the server's own, usually). */
  baseEnv: NodeJS.ProcessEnv;
  handlers: AgentHandlers;
}

export class AgentHost extends EventEmitter<AgentHostEvents> {
  private current: AgentConnection | null = null;
  private starting: Promise<AgentConnection> | null = null;

  constructor(private readonly options: AgentHostOptions) {
    super();
  }

  /** The live agent, if one runs. */
  get agent(): AgentConnection | null {
    return this.current?.alive ? this.current : null;
  }

  /** The live agent, starting one when none runs. Aborting `signal` ends a start-up in progress (the caller shares it). */
  ensure(signal?: AbortSignal): Promise<AgentConnection> {
    const live = this.agent;
    if (live) return Promise.resolve(live);
    const stale = this.current;
    if (stale) {
      // Its stream closed a moment ago and its end is not reported yet: report it now, before a new agent replaces it.
      this.current = null;
      stale.killNow();
      this.emit("exit", stale, { exit: null, streamFailure: "its ACP stream closed" });
    }
    if (!this.starting) {
      const starting = this.start(signal).finally(() => {
        if (this.starting === starting) this.starting = null;
      });
      this.starting = starting;
      // An abandoned start is nobody's to share any more: the next caller starts a new agent at once.
      signal?.addEventListener("abort", () => {
        if (this.starting === starting) this.starting = null;
      }, { once: true });
    }
    return this.starting;
  }

  /** Forgets the agent without ending it: its exit is no longer reported (the caller ends it). */
  detach(agent: AgentConnection): void {
    if (this.current === agent) this.current = null;
  }

  /** Ends the agent's whole process group at once (it ignored a cancel, or the server is exiting). */
  kill(): void {
    const agent = this.current;
    this.current = null;
    agent?.killNow();
  }

  async stop(graceMs: number): Promise<void> {
    const agent = this.current;
    this.current = null;
    await agent?.stop(graceMs);
  }

  private async start(signal?: AbortSignal): Promise<AgentConnection> {
    // Loaded on the first ask: the ACP SDK builds its schemas at import, which `initialize` should not wait for.
    const { AgentConnection } = await import("./connection");
    const agent = await AgentConnection.start(
      { argv: this.options.argv, cwd: this.options.cwd, env: this.launchEnv(), requestTimeoutMs: this.options.requestTimeoutMs, signal },
      this.options.handlers,
    );
    this.current = agent;
    void agent.ended.then((end) => {
      if (this.current !== agent) return;
      this.current = null;
      this.emit("exit", agent, end);
    });
    return agent;
  }

  private launchEnv(): NodeJS.ProcessEnv {
    // Read-only from the first moment, before the session's mode is set.
    const env: NodeJS.ProcessEnv = { ...this.options.baseEnv, INITIAL_AGENT_MODE: READ_ONLY };
    // The editor runs us as Node through Electron. An agent started with that same runtime needs it too; any other
    // agent (and the commands Codex runs) must not inherit it.
    if (this.options.argv[0] !== process.execPath) delete env.ELECTRON_RUN_AS_NODE;
    if (!env.CODEX_PATH) {
      const native = findNativeCodex(this.options.argv, process.platform, process.arch);
      if (native) env.CODEX_PATH = native;
    }
    return env;
  }
}
