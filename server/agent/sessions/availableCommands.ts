// The slash commands the agent advertises for each session (ACP `available_commands_update`; codex-acp sends its list
// right after session/new), so a review_diff with a target knows whether Codex's own reviewer is there.

/** How long a fresh session may take to advertise its slash commands before review_diff falls back to its prompt. */
const COMMANDS_WAIT_MS = 3000;

export class AvailableCommands {
  private readonly bySession = new Map<string, ReadonlySet<string>>();
  private readonly waiting = new Map<string, Array<() => void>>();

  update(sessionId: string, commands: ReadonlyArray<{ name: string }>): void {
    this.bySession.set(sessionId, new Set(commands.map((command) => command.name)));
    for (const wake of this.waiting.get(sessionId) ?? []) wake();
    this.waiting.delete(sessionId);
  }

  /** `wanted` when the session offers its command, else null. */
  async ifOffered<T extends { name: string }>(wanted: T | undefined, sessionId: string): Promise<T | null> {
    return wanted && (await this.offers(sessionId, wanted.name)) ? wanted : null;
  }

  /** Whether the session's list (if it came) offers `/name`, without waiting for one. */
  has(sessionId: string, name: string): boolean {
    return this.bySession.get(sessionId)?.has(name) === true;
  }

  /** Whether the session offers `/name`. A session without a list yet gets `waitMs` for it to arrive (once). */
  async offers(sessionId: string, name: string, waitMs = COMMANDS_WAIT_MS): Promise<boolean> {
    if (!this.bySession.has(sessionId)) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        timer.unref();
        const list = this.waiting.get(sessionId) ?? [];
        list.push(() => {
          clearTimeout(timer);
          resolve();
        });
        this.waiting.set(sessionId, list);
      });
      // An agent that advertises nothing is not waited for again.
      if (!this.bySession.has(sessionId)) this.bySession.set(sessionId, new Set());
    }
    return this.bySession.get(sessionId)!.has(name);
  }
}
