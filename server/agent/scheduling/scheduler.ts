// Which session each ask runs on, and when: the turn limit, the queue, whose conversation continues where, and the
// forks made for parallel asks (and closed once nobody continues on them). The rules themselves are placement.ts.
import type { AgentConnection } from "../acp/connection";
import { Forks } from "./forks";
import { MAIN, type SessionState } from "../sessions/sessionState";
import { place, type Placement } from "./placement";
import type { ProgressReporter } from "../../progress";
import { Threads } from "./conversations";
import type { Turn } from "../turn/turn";
import { TurnQueue, type Admission } from "./turnQueue";
import { TurnSlots, type Slot } from "./turnSlots";

export interface SchedulerOptions {
  workspace: string;
  maxParallelTurns: number;
  /** The session preamble, sent as a fork's system prompt when the agent takes one. */
  preamble?: string;
  /** The live agent, if any (whether it can fork). */
  agent(): AgentConnection | null;
  /** Whether the main session is open: a fork needs it (during a start-up, later asks wait in line, not in it). */
  mainOpen(): boolean;
  /** Something `status` shows changed. */
  changed(): void;
}

export interface Waiting {
  caller: string;
  reply: boolean;
  progress: ProgressReporter;
  signal?: AbortSignal;
}

export class TurnScheduler {
  readonly slots = new TurnSlots();
  readonly threads = new Threads();
  readonly forks: Forks;
  private readonly queue: TurnQueue<Slot>;

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

  /** A place for the ask: now, or once one frees up (null when the caller gave up waiting). */
  admit(ask: Waiting): Promise<Slot | null> {
    return this.queue.enter(ask.progress, ask.signal, (position) => this.tryAdmit(ask, position));
  }

  /**
   * The turns an ask would wait for when every one of them waits for a permission decision (it would wait for a
   * person, not for Codex): the caller is told to decide first instead of queueing behind them.
   */
  stuckBehind(ask: Pick<Waiting, "caller" | "reply">): Turn[] {
    const placement = this.placementFor(ask);
    if (placement.kind !== "wait") return [];
    const thread = this.threads.sessionOf(ask.caller);
    const blockers = placement.on === "session" && thread ? this.slots.turns().filter((turn) => this.slots.slotOf(turn)?.key === thread) : this.slots.turns();
    return blockers.length > 0 && blockers.every((turn) => turn.waitingForPermission) ? blockers : [];
  }

  /**
   * The session the admitted ask runs on, forking one when placed so. Null when the fork is not possible after all
   * (the agent cannot fork, refused, or the caller's fork was lost): the ask then waits again.
   */
  async sessionFor(agent: AgentConnection, slot: Slot, main: SessionState, signal?: AbortSignal): Promise<SessionState | null> {
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

  /** The turn starts on `session`: the caller's conversation continues there from now on. */
  started(slot: Slot, session: SessionState, turn: Turn): void {
    slot.sessionId = session.id;
    slot.turn = turn;
    const before = this.threads.move(slot.caller, session.key);
    if (before && before !== session.key) this.closeIfUnused(before);
    // The main session may have just opened: asks that waited for it can fork now.
    this.queue.recheck();
  }

  /** The slot is free again (its turn ended, or it never started): its fork closes if nobody continues there. */
  release(slot: Slot): void {
    this.slots.release(slot);
    if (slot.key) this.closeIfUnused(slot.key);
    this.queue.recheck();
  }

  /** The caller went away: its fork closes once idle. */
  forget(caller: string): void {
    const before = this.threads.forget(caller);
    if (before) this.closeIfUnused(before);
  }

  /** Reset: every fork closed, every conversation forgotten. Returns how many forks were closed. */
  dropAll(agent: AgentConnection | null): number {
    this.threads.clear();
    return this.forks.closeAll(agent);
  }

  /** The agent died: its forks with it; their callers continue on the main session (reloaded). */
  loseForks(): void {
    this.forks.forgetAll();
    this.threads.loseForks();
  }

  private placementFor(ask: Pick<Waiting, "caller" | "reply">): Placement {
    const busy = this.slots.busyKeys();
    return place({
      reply: ask.reply,
      thread: this.liveThread(ask.caller),
      busy,
      running: this.slots.size,
      max: this.options.maxParallelTurns,
      // While another ask starts the agent, a fork would only join its start-up: wait in line instead.
      canFork: (this.options.mainOpen() || !busy.has(MAIN)) && this.forks.canFork(this.options.agent()),
    });
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
  private liveThread(caller: string): string | null {
    const thread = this.threads.sessionOf(caller);
    return thread === MAIN || (thread !== null && this.forks.has(thread)) ? thread : null;
  }

  private closeIfUnused(key: string): void {
    if (key === MAIN || this.slots.busyKeys().has(key) || this.threads.owned(key)) return;
    this.forks.close(this.options.agent(), key);
  }
}
