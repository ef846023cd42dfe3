// Where an ask runs: pure rules over the open sessions, the caller's conversation and the turn limit.
//   - `reply` continues the caller's own conversation (the session of its last ask), waiting while that session
//     is busy (a fork of a session mid-turn would not hold the answer being replied to);
//   - any other ask goes to the caller's own idle fork, else to the main session when it is idle (the workspace's
//     one shared conversation: Claude's asks and the editor's meet there), else to a new fork of it, else it waits;
//   - without forks (the agent cannot, or refused) the main session is shared again, one turn at a time;
//   - never more than `max` turns at once.
import { MAIN } from "../sessions/sessionState";

export interface PlacementInput {
  reply: boolean;
  /** The caller's conversation: MAIN or a fork's id (null when it has none, or it was lost). */
  conversation: string | null;
  /** Session keys with a turn running or about to start. */
  busy: ReadonlySet<string>;
  running: number;
  max: number;
  canFork: boolean;
}

export type Placement =
  | { kind: "use"; key: string }
  | { kind: "fork" }
  /** `session`: the caller's conversation is busy; `slot`: the turn limit, or the shared main session without forks. */
  | { kind: "wait"; on: "session" | "slot" };

export function place(input: PlacementInput): Placement {
  if (input.running >= input.max) return { kind: "wait", on: "slot" };
  const { conversation, busy } = input;
  if (input.reply && conversation) return busy.has(conversation) ? { kind: "wait", on: "session" } : { kind: "use", key: conversation };
  if (conversation && conversation !== MAIN && !busy.has(conversation)) return { kind: "use", key: conversation };
  const mainIdle = !busy.has(MAIN);
  if (mainIdle) return { kind: "use", key: MAIN };
  if (input.canFork) return { kind: "fork" };
  return { kind: "wait", on: "slot" };
}
