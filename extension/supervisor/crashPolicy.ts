// When to restart a server that crashed, and when to stop trying: a sliding window of recent crashes with
// exponential backoff. Pure (the caller passes the time), so it is unit-tested without timers.

export interface CrashPolicy {
  /** Crashes are counted within this sliding window… */
  windowMs: number;
  /** …and this many in the window stop the automatic restarts. */
  maxCrashes: number;
  /** Delay before the restart after the first crash in the window; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_CRASH_POLICY: Readonly<CrashPolicy> = { windowMs: 120_000, maxCrashes: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 };

/** The delay before restart number `attempt` (1-based): 1, 2, 4, 8 s… capped at maxDelayMs. */
export function backoffDelay(attempt: number, policy: Pick<CrashPolicy, "baseDelayMs" | "maxDelayMs"> = DEFAULT_CRASH_POLICY): number {
  return Math.min(policy.baseDelayMs * 2 ** Math.max(0, attempt - 1), policy.maxDelayMs);
}

export type CrashDecision = { restart: true; delayMs: number; recent: number } | { restart: false; recent: number };

/** Remembers recent crashes and decides whether to restart again, and when. */
export class CrashTracker {
  private crashes: number[] = [];

  constructor(private readonly policy: CrashPolicy = DEFAULT_CRASH_POLICY) {}

  record(now: number): CrashDecision {
    this.crashes = this.crashes.filter((time) => now - time < this.policy.windowMs);
    this.crashes.push(now);
    const recent = this.crashes.length;
    if (recent >= this.policy.maxCrashes) return { restart: false, recent };
    return { restart: true, delayMs: backoffDelay(recent, this.policy), recent };
  }

  /** A restart the person asked for starts a fresh count. */
  reset(): void {
    this.crashes = [];
  }
}
