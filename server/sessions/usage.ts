// What the agent reports about cost and context, per workspace: the main session's context (usage_update), the
// tokens of its last turn and of every turn summed, and Codex's rate-limit windows (rateLimits.ts).
import type { ContextUsage, RateLimitWindow, UsageStatus } from "../protocol/continuity";
import type { TurnResult } from "../protocol/results";

export function contextUsage(used: number, size: number): ContextUsage | null {
  if (!Number.isFinite(used) || !Number.isFinite(size) || size <= 0) return null;
  return { used, size, leftPercent: Math.max(0, Math.round((1 - used / size) * 1000) / 10) };
}

export class UsageTracker {
  private context: ContextUsage | null = null;
  private lastTurn: NonNullable<TurnResult["tokens"]> | null = null;
  private total = 0;
  private limits: RateLimitWindow[] = [];
  private limitsAt: number | null = null;

  /** A usage_update on the main session. */
  noteContext(used: number, size: number): void {
    this.context = contextUsage(used, size) ?? this.context;
  }

  noteTurn(tokens: TurnResult["tokens"]): void {
    if (!tokens) return;
    this.lastTurn = tokens;
    this.total += tokens.total ?? (tokens.input ?? 0) + (tokens.output ?? 0);
  }

  noteRateLimits(windows: RateLimitWindow[], at = Date.now()): void {
    if (windows.length === 0) return; // "data not available yet": keep what we had
    this.limits = windows;
    this.limitsAt = at;
  }

  /** A fresh session (reset): its context starts empty; the account's limits stay. */
  resetContext(): void {
    this.context = null;
    this.lastTurn = null;
  }

  status(): UsageStatus {
    return { context: this.context, lastTurnTokens: this.lastTurn, sessionTotalTokens: this.total, rateLimits: this.limits, rateLimitsAt: this.limitsAt };
  }
}
