// Cost and context as the editor shows them: text meters for the status bar tooltip, the Verdict panel's meters,
// and the warning before a review that would send a very large diff or run when a quota window is nearly used.
// Pure (no `vscode`), so it is unit-tested; the words come from server/protocol/usageText.ts where they are shared.
import type { ServerStatus } from "../../server/protocol/results";
import { busiestWindow, contextText, utcTime, windowText } from "../../server/protocol/usageText";
import { thousands } from "../../server/protocol/text";

/** One meter: a label, how full it is (0–100) and a line of detail. */
export interface MeterView {
  label: string;
  percent: number;
  detail: string;
  /** What to add after the percentage in one line: "resets 14:30", "51,680 of 258,400 tokens". */
  note: string | null;
}

/** What the Verdict panel shows above its history. */
export interface UsageView {
  meters: MeterView[];
  /** "Continued the conversation from …" or why not, when there is something to say. */
  conversation: string | null;
  /** `codex resume <id>`: the button that continues the conversation in Codex itself. */
  resumeCommand: string | null;
}

/** "▰▰▰▱▱▱▱▱▱▱" for 30 %. */
export function meter(percent: number, width = 10): string {
  const filled = Math.max(0, Math.min(width, Math.round((percent / 100) * width)));
  return `${"▰".repeat(filled)}${"▱".repeat(width - filled)}`;
}

export function usageMeters(status: ServerStatus | null): MeterView[] {
  const usage = status?.usage;
  if (!usage) return [];
  const meters: MeterView[] = [];
  const context = usage.context;
  if (context) meters.push({ label: "Context", percent: Math.round((100 - context.leftPercent) * 10) / 10, detail: contextText(usage) ?? "", note: `${thousands(context.used)} of ${thousands(context.size)} tokens` });
  for (const window of usage.rateLimits) meters.push({ label: window.label, percent: window.usedPercent, detail: windowText(window), note: window.resets ? `resets ${window.resets}` : null });
  return meters;
}

export function conversationLine(status: ServerStatus | null): string | null {
  const continuity = status?.continuity;
  if (!continuity) return null;
  if (continuity.note) return continuity.note;
  if (continuity.continuedFrom !== null) return `Continued the conversation from ${utcTime(continuity.continuedFrom)}.`;
  return null;
}

export function usagePanelView(status: ServerStatus | null): UsageView {
  return { meters: usageMeters(status), conversation: conversationLine(status), resumeCommand: status?.continuity?.resumeCommand ?? null };
}

/** The tooltip's lines: a meter per window, the conversation, the earlier sessions. */
export function usageTooltipLines(status: ServerStatus | null): string[] {
  const lines = usageMeters(status).map((m) => `${m.label}: ${meter(m.percent)} ${m.percent} % used${m.note ? `, ${m.note}` : ""}`);
  const conversation = conversationLine(status);
  if (conversation) lines.push(conversation);
  const earlier = status?.continuity?.earlierSessions;
  if (earlier) lines.push(`${earlier} earlier Codex session${earlier === 1 ? "" : "s"} for this workspace (Continue Earlier Session…)`);
  if (status?.usage && status.usage.sessionTotalTokens > 0) lines.push(`Tokens since the server started: ${thousands(status.usage.sessionTotalTokens)}`);
  return lines;
}

/** About how many tokens a text is (OpenAI's rule of thumb: four characters a token). */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

export interface WarningThresholds {
  /** Warn when a review would send more than this many tokens (0: never). */
  reviewTokens: number;
  /** Warn when a quota window is at least this full (0: never). */
  quotaPercent: number;
}

/**
 * The warning before a review, or null: "This review would send ~120,000 tokens; 80 % of the codex 5h limit is used
 * (resets 14:30)." `tokens` is null when the size is not known (Codex's own reviewer reads git itself).
 */
export function reviewWarning(tokens: number | null, status: ServerStatus | null, thresholds: WarningThresholds): string | null {
  const parts: string[] = [];
  const large = tokens !== null && thresholds.reviewTokens > 0 && tokens > thresholds.reviewTokens;
  const busiest = busiestWindow(status?.usage);
  const nearlyUsed = busiest !== null && thresholds.quotaPercent > 0 && busiest.usedPercent >= thresholds.quotaPercent;
  if (!large && !nearlyUsed) return null;
  if (tokens !== null) parts.push(`This review would send ~${thousands(tokens)} tokens`);
  if (nearlyUsed) parts.push(`${busiest.usedPercent} % of the ${busiest.label} is used${busiest.resets ? ` (resets ${busiest.resets})` : ""}`);
  const context = status?.usage?.context;
  if (large && context && tokens! > context.size - context.used) parts.push(`that is more than the ${thousands(context.size - context.used)} tokens left in Codex's context`);
  return `${parts.join("; ")}.`;
}
