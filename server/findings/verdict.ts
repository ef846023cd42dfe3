// The final "VERDICT: CONSENSUS — …" / "VERDICT: OPEN — …" line, tolerant of emphasis, list markers, separators and
// case. Pure.
import { stripEmphasis, stripLinePrefix } from "./text";

export type VerdictValue = "consensus" | "open";

// "：" (U+FF1A) is the full-width colon CJK keyboards type.
const VERDICT_RE = /^verdict\s*[:\uFF1A\-\u2013\u2014]*\s*(consensus|open)\b\s*(?:[:\uFF1A\-\u2013\u2014]+\s*)?(.*)$/i;

export function matchVerdict(raw: string): { verdict: VerdictValue; text: string | null } | null {
  if (!/verdict/i.test(raw)) return null;
  const m = VERDICT_RE.exec(stripEmphasis(stripLinePrefix(raw)));
  if (!m) return null;
  const text = m[2]!.trim();
  return { verdict: m[1]!.toLowerCase() === "consensus" ? "consensus" : "open", text: text === "" ? null : text };
}
