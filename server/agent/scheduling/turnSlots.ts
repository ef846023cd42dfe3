// The turns that hold a place right now: admitted asks (starting Codex, forking a session) and running turns, each
// on one session. What `status` lists, what updates and permission requests are routed by, what the limit counts.
import type { TurnSummary } from "../../protocol/results";
import { MAIN } from "../sessions/sessionState";
import type { Turn } from "../turn/turn";

export interface Slot {
  readonly caller: string;
  /** The session key it runs on (MAIN or a fork's id); null while its fork is being made. */
  key: string | null;
  /** The session id the turn's prompts go to, once known. */
  sessionId: string | null;
  turn: Turn | null;
}

export class TurnSlots {
  private readonly slots = new Set<Slot>();

  get size(): number {
    return this.slots.size;
  }

  reserve(caller: string, key: string | null): Slot {
    const slot: Slot = { caller, key, sessionId: null, turn: null };
    this.slots.add(slot);
    return slot;
  }

  release(slot: Slot): void {
    this.slots.delete(slot);
  }

  /** Session keys a turn runs (or is about to run) on. */
  busyKeys(): Set<string> {
    const keys = new Set<string>();
    for (const slot of this.slots) if (slot.key) keys.add(slot.key);
    return keys;
  }

  /** Running turns, oldest first. */
  turns(): Turn[] {
    const list: Turn[] = [];
    for (const slot of this.slots) if (slot.turn && !slot.turn.settled) list.push(slot.turn);
    return list.sort((a, b) => a.startedAt - b.startedAt);
  }

  slotOf(turn: Turn): Slot | undefined {
    for (const slot of this.slots) if (slot.turn === turn) return slot;
    return undefined;
  }

  /** The running turn whose prompts go to `sessionId`. */
  turnOnSession(sessionId: string): Turn | null {
    for (const slot of this.slots) if (slot.sessionId === sessionId && slot.turn && !slot.turn.settled) return slot.turn;
    return null;
  }

  byTurnId(id: string): Slot | undefined {
    for (const slot of this.slots) if (slot.turn?.id === id) return slot;
    return undefined;
  }

  /** Running turns of one caller, oldest first. */
  turnsOf(caller: string): Turn[] {
    return this.turns().filter((turn) => this.slotOf(turn)?.caller === caller);
  }

  /** What `status` shows of each running turn, oldest first. */
  summaries(): TurnSummary[] {
    return this.turns().map((turn) => {
      const slot = this.slotOf(turn);
      return {
        id: turn.id,
        tool: turn.tool,
        client: turn.client,
        summary: turn.summary,
        elapsedMs: turn.elapsedMs,
        waitingForPermission: turn.waitingForPermission,
        sessionId: slot?.sessionId ?? null,
        forked: slot?.key != null && slot.key !== MAIN,
      };
    });
  }
}
