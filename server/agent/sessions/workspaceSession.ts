// The workspace's Codex session as state: which session is open on which agent, the one start-up asks share while
// it runs, the session to reload after the agent died, the mode it runs in and its config options.
import type * as acp from "@agentclientprotocol/sdk/unstable";
import type { AgentHost } from "../acp/agentHost";
import type { AgentConnection } from "../acp/connection";
import { ConfigOptions } from "./configOptions";
import { AgentError, authError, errorMessage, isAuthError } from "../acp/errors";
import { openSession } from "./sessionSetup";
import { SharedStart, type StartupPhase } from "./sharedStart";
import { MAIN, type SessionState } from "./sessionState";
import { oneLine } from "../../protocol/text";
import type { SessionKeeper } from "../../sessions/keeper";

export interface WorkspaceSessionEvents {
  /** Something `status` shows changed (a start-up began or ended, a session opened). */
  changed(): void;
  /** The agent is not to be trusted any more (a set-up stalled or failed): end it. */
  distrust(agent: AgentConnection): void;
}

/** A live agent with the main session open on it. */
export interface OpenMain {
  agent: AgentConnection;
  main: SessionState;
}

export class WorkspaceSession {
  readonly config = new ConfigOptions();
  private opened: SessionState | null = null;
  /** The session to reload after the agent died, when the agent can load sessions. */
  private lostId: string | null = null;
  private contextNote: string | undefined;
  private currentMode: string | null = null;
  private currentModeWarning: string | null = null;
  private opening: SharedStart<OpenMain> | null = null;

  constructor(
    private readonly host: AgentHost,
    private readonly workspace: string,
    private readonly events: WorkspaceSessionEvents,
    opening: {
      /** The session preamble, sent as the system prompt when the agent takes one. */
      preamble?: string;
      /** Continuity across starts, earlier sessions, usage and rate limits (server/sessions/); forks never reach it. */
      keeper: SessionKeeper;
    },
  ) {
    this.preamble = opening.preamble;
    this.keeper = opening.keeper;
  }

  private readonly preamble: string | undefined;
  readonly keeper: SessionKeeper;

  /** The main session is open on a live agent (a fork can be made of it). */
  get isOpen(): boolean {
    return this.opened !== null && this.host.agent !== null;
  }

  /** The live agent, if any. */
  get agent(): AgentConnection | null {
    return this.host.agent;
  }

  get sessionId(): string | null {
    return this.opened?.id ?? null;
  }

  /** The main session as the turns use it (null until it is open). */
  get state(): SessionState | null {
    return this.opened;
  }

  get mode(): string | null {
    return this.currentMode;
  }

  get modeWarning(): string | null {
    return this.currentModeWarning;
  }

  /** The start-up in progress, for `status`. */
  get startup(): { phase: StartupPhase; elapsedMs: number } | null {
    const opening = this.live();
    return opening ? { phase: opening.phase, elapsedMs: opening.elapsedMs } : null;
  }

  /** A live agent with the session open on it: started, or reloaded after a crash, when needed. */
  ensure(signal?: AbortSignal): Promise<OpenMain> {
    const live = this.host.agent;
    if (live && this.opened) return Promise.resolve({ agent: live, main: this.opened });
    let opening = this.live();
    if (!opening) {
      const started = new SharedStart((abort, enter) => this.open(abort, enter));
      opening = started;
      this.opening = started;
      void started.promise
        .catch(() => undefined)
        .finally(() => {
          if (this.opening === started) this.opening = null;
          this.events.changed();
        });
      this.events.changed();
    }
    return opening.join(signal);
  }

  /** The agent is gone: the session can be reloaded on the next one. */
  lose(): void {
    if (this.opened) this.lostId = this.opened.id;
    this.opened = null;
  }

  /**
   * Forgets the session (reset): a start-up in progress is abandoned — the asks waiting for it get `reason`.
   * Returns the dropped session's id and whether a start-up was abandoned.
   */
  drop(reason: AgentError): { dropped: string | null; abandonedStartup: boolean } {
    const opening = this.live();
    opening?.abandon(reason);
    const dropped = this.opened?.id ?? null;
    this.keeper.reset(dropped);
    this.opened = null;
    this.lostId = null;
    this.contextNote = undefined;
    this.config.clear();
    return { dropped, abandonedStartup: opening !== null };
  }

  /** Whether the agent restarted before this turn, and what became of Codex's context (said once). */
  takeContextNote(): string | undefined {
    const note = this.contextNote;
    this.contextNote = undefined;
    return note;
  }

  /** Updates that change the session's own state, whichever turn (or none) they arrive in. */
  noteUpdate(update: acp.SessionUpdate): void {
    if (update.sessionUpdate === "config_option_update") this.config.reset(update.configOptions, false);
    if (update.sessionUpdate === "current_mode_update") this.currentMode = update.currentModeId;
  }

  private live(): SharedStart<OpenMain> | null {
    return this.opening && !this.opening.abandoned ? this.opening : null;
  }

  private async open(signal: AbortSignal, enter: (phase: StartupPhase) => void): Promise<OpenMain> {
    const agent = await this.host.ensure(signal);
    enter("opening_session");
    this.events.changed();
    const lost = this.lostId;
    this.lostId = null;
    const plan = lost ? null : this.keeper.continuity.plan(this.workspace);
    const previous = lost ?? plan?.sessionId ?? null;
    let main: SessionState;
    try {
      const opened = await openSession(agent, previous, { cwd: this.workspace, config: this.config, preamble: this.preamble, signal, continuing: plan !== null });
      this.keeper.opened(agent, plan, opened);
      main = { key: MAIN, id: opened.sessionId, config: this.config, modeWarning: opened.modeWarning, preamble: opened.preamble };
      this.opened = main;
      this.currentMode = opened.mode;
      this.currentModeWarning = opened.modeWarning;
      const note = opened.contextNote ?? this.keeper.continuity.takeNote();
      if (note) this.contextNote = note;
    } catch (error) {
      if (plan) this.keeper.continuity.choose(plan.sessionId, plan.since); // the next open tries it again
      if (isAuthError(error)) throw authError();
      // A set-up that stalled or was given up on leaves the agent in an unknown state: end it, start afresh next time.
      this.events.distrust(agent);
      if (error instanceof AgentError) throw error;
      throw new AgentError("agent_start_failed", `The Codex agent could not open a session: ${oneLine(errorMessage(error))}${agent.alive ? "" : ` (it exited: ${agent.process.lastStderrLines() || "no output"})`}`);
    }
    this.events.changed();
    return { agent, main };
  }
}
