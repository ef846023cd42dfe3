// Whose conversation continues where: each caller (an MCP session, the editor) and the session of its last ask,
// so `reply` continues that caller's debate and two debates never cross.
import { MAIN } from "../sessions/sessionState";

export class Conversations {
  private readonly byCaller = new Map<string, string>();
  /** Callers whose forked conversation was lost with the agent: told once, on their next ask. */
  private readonly lost = new Set<string>();

  sessionOf(caller: string): string | null {
    return this.byCaller.get(caller) ?? null;
  }

  /** Anyone's conversation continues on `key`. */
  continuesOn(key: string): boolean {
    for (const session of this.byCaller.values()) if (session === key) return true;
    return false;
  }

  /** The caller's conversation now continues on `key`; returns where it was before. */
  move(caller: string, key: string): string | null {
    const before = this.byCaller.get(caller) ?? null;
    this.byCaller.set(caller, key);
    return before;
  }

  /** The caller went away (its MCP session closed); returns where its conversation was. */
  forget(caller: string): string | null {
    const before = this.byCaller.get(caller) ?? null;
    this.byCaller.delete(caller);
    this.lost.delete(caller);
    return before;
  }

  /** The forks died with their agent: their callers start over (on the main session, which is reloaded). */
  loseForks(): void {
    for (const [caller, key] of this.byCaller) {
      if (key === MAIN) continue;
      this.byCaller.delete(caller);
      this.lost.add(caller);
    }
  }

  /** Whether the caller's forked conversation was lost, said once. */
  takeLost(caller: string): boolean {
    return this.lost.delete(caller);
  }

  clear(): void {
    this.byCaller.clear();
    this.lost.clear();
  }
}
