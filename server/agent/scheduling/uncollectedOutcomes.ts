// Outcomes of turns that ended while nobody waited for them (the editor or the timeout decided their permission):
// kept for that caller's next `permit`, a few at most.
import type { TurnOutcome } from "../turn/turn";

const MAX_KEPT = 16;

export class UncollectedOutcomes {
  private readonly kept = new Map<string, { caller: string; outcome: TurnOutcome }>();

  keep(turnId: string, caller: string, outcome: TurnOutcome): void {
    this.kept.set(turnId, { caller, outcome });
    while (this.kept.size > MAX_KEPT) this.kept.delete(this.kept.keys().next().value!);
  }

  /** The caller's oldest kept outcome, handed over once. */
  take(caller: string): TurnOutcome | undefined {
    for (const [id, entry] of this.kept) {
      if (entry.caller !== caller) continue;
      this.kept.delete(id);
      return entry.outcome;
    }
    return undefined;
  }

  /** The caller asked again (or went away): what it did not claim is no longer its latest. */
  drop(caller: string): void {
    for (const [id, entry] of this.kept) if (entry.caller === caller) this.kept.delete(id);
  }

  clear(): void {
    this.kept.clear();
  }
}
