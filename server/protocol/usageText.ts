// Continuity and usage in words, for `status`, the editor's tooltip and the Verdict panel (both sides bundle this).
import type { ContinuityStatus, RateLimitWindow, UsageStatus } from "./continuity";
import { thousands } from "./text";

/** "2026-12-06 14:05 UTC": the same for every reader, whatever their time zone. */
export function utcTime(ms: number): string {
  if (!Number.isFinite(ms)) return "an unknown time";
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const CONTINUED = "Continued the conversation from";

/** The note of a result whose conversation continued from an earlier server start. */
export function continuedNote(since: number): string {
  return `${CONTINUED} ${utcTime(since)}: Codex remembers what was said before this server started (reset starts fresh).`;
}

/** "continued from 2026-12-06 14:05 UTC" for a result's footer, when its note says the conversation continued. */
export function continuedFooter(note: string | undefined): string | null {
  const match = note?.startsWith(CONTINUED) ? /^Continued the conversation from (.+? UTC)/.exec(note) : null;
  return match ? `continued from ${match[1]}` : null;
}

/** "codex 5h limit: 80 % used, resets 14:30" */
export function windowText(window: RateLimitWindow): string {
  return `${window.label}: ${window.usedPercent} % used${window.resets ? `, resets ${window.resets}` : ""}`;
}

export function contextText(usage: UsageStatus): string | null {
  const context = usage.context;
  return context ? `${Math.round((100 - context.leftPercent) * 10) / 10} % used (${thousands(context.used)} of ${thousands(context.size)} tokens), ${context.leftPercent} % left` : null;
}

/** The lines `status` adds about continuity and cost. */
export function continuityLines(continuity: ContinuityStatus | undefined, usage: UsageStatus | undefined): string[] {
  const lines: string[] = [];
  if (continuity) {
    if (continuity.continuedFrom !== null) lines.push(`Conversation: continued the conversation from ${utcTime(continuity.continuedFrom)} (reset starts fresh)`);
    if (continuity.note) lines.push(`Conversation: ${continuity.note}`);
    if (continuity.earlierSessions !== null) lines.push(`Earlier sessions Codex keeps for this workspace: ${continuity.earlierSessions}`);
    if (continuity.resumeCommand) lines.push(`Continue in Codex itself: ${continuity.resumeCommand}`);
    lines.push(`Kept in: ${continuity.stateFile}`);
  }
  if (usage) {
    const context = contextText(usage);
    if (context) lines.push(`Context: ${context}`);
    if (usage.sessionTotalTokens > 0) lines.push(`Tokens this server: ${thousands(usage.sessionTotalTokens)}`);
    if (usage.rateLimits.length > 0) lines.push(`Rate limits: ${usage.rateLimits.map(windowText).join("; ")}`);
  }
  return lines;
}

/** The window most used, for warnings and the status bar. */
export function busiestWindow(usage: UsageStatus | undefined): RateLimitWindow | null {
  return (usage?.rateLimits ?? []).reduce<RateLimitWindow | null>((most, window) => (most === null || window.usedPercent > most.usedPercent ? window : most), null);
}
