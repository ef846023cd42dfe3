// The sessions forked from the workspace's main one for asks that run while another turn holds it: each with its
// own config options and mode, read-only at the source, and closed (session/close) once nobody's conversation
// continues on it. Forks live and die with their agent: a crash forgets them, a reset closes them.
import type * as acp from "@agentclientprotocol/sdk/unstable";
import type { AgentConnection } from "../acp/connection";
import { ConfigOptions } from "../sessions/configOptions";
import { forkSession } from "../sessions/sessionSetup";
import type { SessionState } from "../sessions/sessionState";

export class Forks {
  private readonly open = new Map<string, SessionState>();
  /** The agent the forks were made on: one that refused a fork is not asked again. */
  private refusedBy: AgentConnection | null = null;

  constructor(
    private readonly workspace: string,
    private readonly preamble: string | undefined,
  ) {}

  get size(): number {
    return this.open.size;
  }

  get(id: string): SessionState | undefined {
    return this.open.get(id);
  }

  has(id: string): boolean {
    return this.open.has(id);
  }

  /** Whether asks may fork on this agent (unknown before it starts: assumed yes, checked once it runs). */
  canFork(agent: AgentConnection | null): boolean {
    if (!agent) return this.refusedBy === null;
    return agent.supportsSession("fork") && this.refusedBy !== agent;
  }

  /** Forks `source`; a failure marks the agent as unable to fork (asks then queue) and rethrows. */
  async create(agent: AgentConnection, source: SessionState, signal?: AbortSignal): Promise<SessionState> {
    const config = new ConfigOptions();
    try {
      const opened = await forkSession(agent, source, { cwd: this.workspace, config, preamble: this.preamble, signal });
      const state: SessionState = { key: opened.sessionId, id: opened.sessionId, config, modeWarning: opened.modeWarning, preamble: opened.preamble };
      this.open.set(state.id, state);
      return state;
    } catch (error) {
      if (!signal?.aborted) this.refusedBy = agent;
      throw error;
    }
  }

  /** Closes a fork nobody continues on (bounded; an agent that cannot close it in time keeps it, unused). */
  close(agent: AgentConnection | null, id: string): void {
    if (!this.open.delete(id)) return;
    if (agent) void agent.closeSession(id);
  }

  /** Closes every fork (reset); returns how many there were. */
  closeAll(agent: AgentConnection | null): number {
    const ids = [...this.open.keys()];
    for (const id of ids) this.close(agent, id);
    return ids.length;
  }

  /** The agent is gone and its forks with it (they are not reloaded). */
  forgetAll(): string[] {
    const ids = [...this.open.keys()];
    this.open.clear();
    this.refusedBy = null;
    return ids;
  }

  /** Config updates for a fork; false when the session is not one of ours. */
  noteUpdate(sessionId: string, update: acp.SessionUpdate): boolean {
    const fork = this.open.get(sessionId);
    if (!fork) return false;
    if (update.sessionUpdate === "config_option_update") fork.config.reset(update.configOptions, false);
    return true;
  }
}
