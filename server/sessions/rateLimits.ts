// Codex's rate-limit windows, read from the text of codex-acp's `/status` command — the one place codex-acp 2.6
// exposes them (it keeps Codex's `account/rateLimits` notifications to itself). `/status` is answered by codex-acp
// without a model call. Its lines look like `**codex 5h limit:** 80% left (resets 14:30)` or
// `**Weekly limit:** 95% left (resets 09:00 on 9 Dec)`; reset times are the agent's local time (ours: same machine).
import type { RateLimitWindow } from "../protocol/continuity";

const LINE = /^\s*\*\*(.+?):\*\*\s*(\d+(?:\.\d+)?)% left(?:\s*\(resets ([^)]+)\))?\s*$/;

/** The windows in a `/status` answer (none when it shows "Limits: data not available yet"). */
export function parseRateLimits(text: string, now = new Date()): RateLimitWindow[] {
  const windows: RateLimitWindow[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = LINE.exec(line.replace(/\s+$/, ""));
    if (!match) continue;
    const label = match[1]!.trim();
    const resets = match[3]?.trim() ?? null;
    windows.push({
      label,
      usedPercent: Math.max(0, Math.min(100, Math.round((100 - Number(match[2])) * 10) / 10)),
      windowMinutes: windowMinutesOf(label),
      resets,
      resetsAt: resets ? resetTime(resets, now) : null,
    });
  }
  return windows;
}

/** "5h limit" → 300, "7d limit" → 10080, "Weekly limit" → 10080, "45m limit" → 45; else null. */
export function windowMinutesOf(label: string): number | null {
  if (/weekly limit$/i.test(label)) return 7 * 1440;
  const match = /(\d+)([mhd]) limit$/i.exec(label);
  if (!match) return null;
  const unit = match[2]!.toLowerCase();
  return Number(match[1]) * (unit === "m" ? 1 : unit === "h" ? 60 : 1440);
}

/** "14:30" (today, local) or "14:30 on 9 Dec" / "14:30 on Dec 9" (the next such date); null when unreadable. */
function resetTime(text: string, now: Date): number | null {
  const match = /^(\d{1,2}):(\d{2})(?:\s+on\s+(.+))?$/.exec(text);
  if (!match) return null;
  const at = new Date(now);
  at.setHours(Number(match[1]), Number(match[2]), 0, 0);
  if (match[3]) {
    const day = dayOf(match[3]);
    if (!day) return null;
    at.setMonth(day.month, day.date);
    if (at.getTime() < now.getTime() - 86_400_000) at.setFullYear(at.getFullYear() + 1);
  }
  return at.getTime();
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

function dayOf(text: string): { month: number; date: number } | null {
  const words = text.toLowerCase().replace(/[.,]/g, " ").split(/\s+/).filter(Boolean);
  const date = words.map(Number).find((n) => Number.isInteger(n) && n >= 1 && n <= 31);
  const month = words.map((word) => MONTHS.indexOf(word.slice(0, 3))).find((index) => index >= 0);
  return date !== undefined && month !== undefined ? { month, date } : null;
}
