// Which session each ask runs on, and when: the turn limit, the queue, whose conversation continues where, the forks
// made for parallel asks (closed once nobody continues on them), and the outcomes nobody was waiting for. The only
// door to its parts (test/unit/boundaries.test.ts): the rest of server/agent/ asks it, never them. The rules
// themselves are placement.ts.
import type * as acp from "@agentclientprotocol/sdk/unstable";
import type { AgentConnection } from "../acp/connection";
import type { ProgressReporter } from "../../progress";
import type { TurnSummary } from "../../protocol/results";
import { MAIN, type SessionState } from "../sessions/sessionState";
import type { Turn, TurnOutcome } from "../turn/turn";
import { Conversations } from "./conversations";
import { Forks } from "./forks";
import { place, type Placement } from "./placement";
import { TurnQueue, type Admission } from "./turnQueue";
import { TurnSlots, type Slot } from "./turnSlots";
import { UncollectedOutcomes } from "./uncollectedOutcomes";

export type { Slot };

/** The workspace's main session, opened on a live agent when an ask needs it (sessions/workspaceSession.ts). */
export interface MainSession {
  /** Open now (its agent alive): a fork can be made of it. */
  readonly isOpen: boolean;
  /** The live agent, if any (whether it can fork). */
  readonly agent: AgentConnection | null;
  /** A live agent with the main session open on it: started, or reloaded after a crash, when needed. */
  ensure(signal?: AbortSignal): Promise<{ agent: AgentConnection; main: SessionState }>;
}

export interface SchedulerOptions {
  workspace: string;
  maxParallelTurns: number;
  /** The session preamble, sent as a fork's system prompt when the agent takes one. */
  preamble?: string;
  main: MainSession;
  /** Something `status` shows changed (the queue moved). */
  changed(): void;
}

export interface Waiting {
  caller: string;
  reply: boolean;
  progress: ProgressReporter;
  signal?: AbortSignal;
}

/** An admitted ask: its place (hand it back with `started` or `release`), its agent and the session it runs on. */
export interface Admitted {
  slot: Slot;
  agent: AgentConnection;
  session: SessionState;
}

export class TurnScheduler {
  private readonly slots = new TurnSlots();
  private readonly conversations = new Conversations();
  private readonly forks: Forks;
  private readonly queue: TurnQueue<Slot>;
  private readonly uncollected = new UncollectedOutcomes();

  constructor(private readonly options: SchedulerOptions) {
    this.forks = new Forks(options.workspace, options.preamble);
    this.queue = new TurnQueue<Slot>(() => options.changed());
  }

  get queued(): number {
    return this.queue.length;
  }

  get maxParallelTurns(): number {
    return this.options.maxParallelTurns;
  }

  get forkCount(): number {
    return this.forks.size;
  }

  // ── admission ─────────────────────────────────────────────────────────────────────────────────

  /**
   * Admits the ask: waits in line for a place, opens the main session (starting the agent when needed) and forks it
   * when placed so. A fork that is not possible after all (the agent cannot fork, refused, or the caller's fork was
   * lost) puts the ask back in line for the main session. Null when the caller gave up waiting; a failure to start
   * is thrown (the place is released).
   */
  async admit(ask: Waiting): Promise<Admitted | null> {
    for (;;) {
      const slot = this.admitNow(ask) ?? (await this.queue.enter(ask.progress, ask.signal, (position) => this.tryAdmit(ask, position)));
      if (!slot) return null;
      let session: SessionState | null;
      let agent: AgentConnection;
      try {
        ask.progress.update("Starting Codex…");
        const open = await this.options.main.ensure(ask.signal);
        agent = open.agent;
        session = await this.sessionFor(agent, slot, open.main, ask.signal);
      } catch (error) {
        this.release(slot);
        throw error;
      }
      if (session) return { slot, agent, session };
      this.release(slot);
    }
  }

  /**
   * The turns an ask would wait for when every one of them waits for a permission decision (it would wait for a
   * person, not for Codex): the caller is told to decide first instead of queueing behind them.
   */
  stuckBehind(ask: Pick<Waiting, "caller" | "reply">): Turn[] {
    const placement = this.placementFor(ask);
    if (placement.kind !== "wait") return [];
    const conversation = this.conversations.sessionOf(ask.caller);
    const blockers = placement.on === "session" && conversation ? this.slots.turns().filter((turn) => this.slots.slotOf(turn)?.key === conversation) : this.slots.turns();
    return blockers.length > 0 && blockers.every((turn) => turn.waitingForPermission) ? blockers : [];
  }

  /** The turn starts on the admitted session: the caller's conversation continues there from now on. */
  started(admitted: Admitted, turn: Turn): void {
    const { slot, session } = admitted;
    slot.sessionId = session.id;
    slot.turn = turn;
    const before = this.conversations.move(slot.caller, session.key);
    if (before && before !== session.key) this.closeIfUnused(before);
    // The caller asked again: what it did not collect is no longer its latest.
    this.uncollected.drop(slot.caller);
    // The main session may have just opened: asks that waited for it can fork now.
    this.queue.recheck();
  }

  /**
   * The place is free again (its turn ended, or it never started): an outcome nobody was waiting for is kept for its
   * caller, and the fork closes if nobody continues there.
   */
  release(slot: Slot): void {
    const outcome = slot.turn?.settled;
    if (slot.turn?.uncollected && outcome && outcome.kind !== "permission") this.uncollected.keep(slot.turn.id, slot.caller, outcome);
    this.slots.release(slot);
    if (slot.key) this.closeIfUnused(slot.key);
    this.queue.recheck();
  }

  // ── callers ───────────────────────────────────────────────────────────────────────────────────

  /** Whether the caller's forked conversation was lost with its agent, said once. */
  takeLostConversation(caller: string): boolean {
    return this.conversations.takeLost(caller);
  }

  /** The caller's oldest outcome that ended while nobody waited (the editor or the timeout decided), handed over once. */
  takeUncollected(caller: string): TurnOutcome | undefined {
    return this.uncollected.take(caller);
  }

  /** The caller went away: its fork closes once idle, and what it did not collect goes. */
  forget(caller: string): void {
    const before = this.conversations.forget(caller);
    this.uncollected.drop(caller);
    if (before) this.closeIfUnused(before);
  }

  // ── the running turns ─────────────────────────────────────────────────────────────────────────

  /** Running turns, oldest first. */
  turns(): Turn[] {
    return this.slots.turns();
  }

  /** Running turns of one caller, oldest first. */
  turnsOf(caller: string): Turn[] {
    return this.slots.turnsOf(caller);
  }

  turnById(id: string): Turn | undefined {
    return this.slots.byTurnId(id)?.turn ?? undefined;
  }

  /** The running turn whose prompts go to `sessionId` (updates and permission requests are routed by it). */
  turnOnSession(sessionId: string): Turn | null {
    return this.slots.turnOnSession(sessionId);
  }

  /** The session the turn's prompts go to. */
  sessionIdOf(turn: Turn): string | null {
    return this.slots.slotOf(turn)?.sessionId ?? null;
  }

  /** What `status` shows of each running turn, oldest first. */
  summaries(): TurnSummary[] {
    return this.slots.summaries();
  }

  // ── the sessions ──────────────────────────────────────────────────────────────────────────────

  /** Config updates for a fork; false when the session is not one of the forks. */
  noteForkUpdate(sessionId: string, update: acp.SessionUpdate): boolean {
    return this.forks.noteUpdate(sessionId, update);
  }

  /** Reset: every fork closed, every conversation and kept outcome forgotten. Returns how many forks were closed. */
  dropAll(agent: AgentConnection | null): number {
    this.conversations.clear();
    this.uncollected.clear();
    return this.forks.closeAll(agent);
  }

  /** The agent died: its forks with it; their callers continue on the main session (reloaded). */
  loseForks(): void {
    this.forks.forgetAll();
    this.conversations.loseForks();
  }

  // ── inside ────────────────────────────────────────────────────────────────────────────────────

  /** The session the admitted ask runs on, forking one when placed so (null: the fork is not possible after all). */
  private async sessionFor(agent: AgentConnection, slot: Slot, main: SessionState, signal?: AbortSignal): Promise<SessionState | null> {
    if (slot.key === MAIN) return main;
    if (slot.key !== null) return this.forks.get(slot.key) ?? null;
    if (!this.forks.canFork(agent)) return null;
    try {
      const fork = await this.forks.create(agent, main, signal);
      slot.key = fork.key;
      return fork;
    } catch (error) {
      if (signal?.aborted) throw error;
      return null; // the agent is now marked unable to fork: the ask queues for the main session
    }
  }

  private placementFor(ask: Pick<Waiting, "caller" | "reply">): Placement {
    const busy = this.slots.busyKeys();
    const main = this.options.main;
    return place({
      reply: ask.reply,
      conversation: this.liveConversation(ask.caller),
      busy,
      running: this.slots.size,
      max: this.options.maxParallelTurns,
      // While another ask starts the agent, a fork would only join its start-up: wait in line instead.
      canFork: (main.isOpen || !busy.has(MAIN)) && this.forks.canFork(main.agent),
    });
  }

  /** Nobody waits and there is a place: the ask takes it without entering the line (the warm path). */
  private admitNow(ask: Waiting): Slot | null {
    if (this.queue.length > 0 || ask.signal?.aborted) return null;
    const admission = this.tryAdmit(ask, 0);
    return "admitted" in admission ? admission.admitted : null;
  }

  private tryAdmit(ask: Waiting, position: number): Admission<Slot> {
    const placement = this.placementFor(ask);
    if (placement.kind === "wait") {
      if (placement.on === "session") return { waiting: "Waiting for Codex to finish the earlier ask in this conversation…" };
      const ahead = position + this.slots.size;
      return { waiting: `Queued behind ${ahead} other ask${ahead === 1 ? "" : "s"} on this Codex session…` };
    }
    return { admitted: this.slots.reserve(ask.caller, placement.kind === "use" ? placement.key : null) };
  }

  /** The caller's conversation, when its session is still open (a fork lost with its agent is not). */
  private liveConversation(caller: string): string | null {
    const key = this.conversations.sessionOf(caller);
    return key === MAIN || (key !== null && this.forks.has(key)) ? key : null;
  }

  private closeIfUnused(key: string): void {
    if (key === MAIN || this.slots.busyKeys().has(key) || this.conversations.continuesOn(key)) return;
    this.forks.close(this.options.main.agent, key);
  }
}
