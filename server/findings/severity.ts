// The severity vocabulary of review answers: words, Codex's P0–P3 priorities and emoji markers, all mapped onto our
// three levels. Pure.
//
// Four-level word scales (critical/high/medium/low) map with critical→blocker, high→major and everything below high
// (medium, moderate, low, nit, trivial) → minor: "medium" items are rarely worth blocking on, and over-ranking them
// drowns the real majors. Codex's priorities follow its own rubric (P0 "drop everything", P1 "urgent, next cycle",
// P2 "normal, eventually", P3 "nice to have"): P0→blocker, P1→major, P2 and P3→minor (docs/adr: findings contract).
import type { Severity } from "../protocol/results";

// A Map, not an object literal, so words like "constructor" never hit the prototype.
const WORDS: ReadonlyMap<string, Severity> = new Map<string, Severity>([
  ["blocker", "blocker"],
  ["blockers", "blocker"],
  ["blocking", "blocker"],
  ["critical", "blocker"],
  ["major", "major"],
  ["majors", "major"],
  ["high", "major"],
  ["minor", "minor"],
  ["minors", "minor"],
  ["medium", "minor"],
  ["moderate", "minor"],
  ["low", "minor"],
  ["nit", "minor"],
  ["nits", "minor"],
  ["nitpick", "minor"],
  ["nitpicks", "minor"],
  ["trivial", "minor"],
  ["info", "minor"],
  ["informational", "minor"],
  ["suggestion", "minor"],
  ["suggestions", "minor"],
]);

/** Every severity word (longest first) and the P-tags, for building regular expressions. */
export const SEVERITY_WORDS = [...WORDS.keys()].sort((a, b) => b.length - a.length).join("|");
export const TAG_WORDS = `${SEVERITY_WORDS}|p[0-3]`;

export const RANK: Readonly<Record<Severity, number>> = { blocker: 3, major: 2, minor: 1 };

export interface Tagged {
  severity: Severity;
  /** Codex's P0–P3 when the answer used one. */
  priority?: number;
  /** No level was given (a findings section, a location heading): a finding only with a location, shown as major. */
  unrated?: boolean;
}

/** What an item without a level is: a finding at major, marked unrated (docs/adr/0021). */
export const UNRATED: Tagged = { severity: "major", unrated: true };

export function severityOfPriority(priority: number): Severity {
  if (priority <= 0) return "blocker";
  return priority === 1 ? "major" : "minor";
}

/** "major", "High", "P1", "p0" → its severity (and priority); anything else → undefined. */
export function tagOf(word: string): Tagged | undefined {
  const w = word.trim().toLowerCase();
  const p = /^p([0-3])$/.exec(w);
  if (p) {
    const priority = Number(p[1]);
    return { severity: severityOfPriority(priority), priority };
  }
  const severity = WORDS.get(w);
  return severity ? { severity } : undefined;
}

// Marker emoji at the start of an item or heading, with the meaning reviewers give them. Written as strings, which
// esbuild escapes: a literal in a regex would stay non-ASCII in the bundle (see the note in index.ts).
const EMOJI: ReadonlyArray<readonly [RegExp, Severity]> = (
  [
    [["🔴", "🛑", "⛔", "🚨", "❌", "🟥"], "blocker"],
    [["🟠", "⚠️", "⚠", "❗", "🟧"], "major"],
    [["🟡", "🟢", "🔵", "💡", "🟨", "🟩", "ℹ️", "ℹ"], "minor"],
  ] as const
).map(([marks, severity]) => [new RegExp(`^(?:${marks.join("|")})`, "u"), severity] as const);

/** A leading marker emoji: its severity and the text after it. */
export function leadingEmoji(text: string): { severity: Severity; rest: string } | null {
  for (const [re, severity] of EMOJI) {
    const m = re.exec(text);
    if (m) return { severity, rest: text.slice(m[0].length).replace(/^\uFE0F/, "").trimStart() };
  }
  return null;
}

/** Removes every marker emoji (for heading words). */
export function withoutEmoji(text: string): string {
  return text.replace(/[\u{1F300}-\u{1FAFF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}\uFE0F]/gu, " ");
}

// Words allowed next to a severity word in a section heading ("Major issues", "High-severity findings (2)") without
// turning it into an ordinary heading.
const HEADING_FILLER = new Set([
  "issue", "issues", "finding", "findings", "problem", "problems", "concern", "concerns",
  "bug", "bugs", "risk", "risks", "severity", "priority", "item", "items", "comment", "comments",
  "suggestion", "suggestions", "change", "changes", "and", "or", "only", "other", "found", "remaining",
  "potential", "refactor", "nitpick", "nitpicks", "security", "performance", "bug_risk", "i", "outside", "diff", "range",
]);

// Headings and labels that introduce findings without a level ("Findings", "Potential issues", "Individual Comments",
// "Vulnerabilities"): their items are findings when they carry a location.
const FINDINGS_WORDS = new Set([
  "finding", "findings", "issue", "issues", "problem", "problems", "concern", "concerns", "bug", "bugs", "vulnerability",
  "vulnerabilities", "comment", "comments", "review", "remarks", "risks", "defects",
]);
const FINDINGS_FILLER = new Set([
  ...HEADING_FILLER, "potential", "individual", "inline", "open", "key", "main", "the", "of", "code", "review", "reviewer",
  "detailed", "details", "list", "top", "new", "actionable", "security", "i", "we", "that", "need", "attention", "to", "be",
  "addressed", "s", "here", "are", "summary", "what", "found", "in", "this", "pr", "change", "diff",
]);

/** A heading or label that introduces findings without giving their level. */
export function isFindingsHeading(title: string): boolean {
  const words = withoutEmoji(title).replace(/[*_`#:()\d]/g, " ").toLowerCase().split(/[^a-z]+/).filter((w) => w !== "");
  return words.length > 0 && words.length <= 6 && words.some((w) => FINDINGS_WORDS.has(w)) && words.every((w) => FINDINGS_WORDS.has(w) || FINDINGS_FILLER.has(w));
}

// Section names that say how much a finding matters without a level word.
const PHRASES: ReadonlyArray<readonly [RegExp, Severity]> = [
  [/^(?:must[- ]fix|must[- ]haves?|required(?: changes?)?)$/, "major"],
  [/^(?:should[- ]fix|nice[- ]to[- ]haves?|optional|could[- ]fix|consider|minor suggestions?)$/, "minor"],
];

/** The severity of a section heading made only of severity and filler words ("Blockers", "🔴 High (2)"), else null. */
export function headingSeverity(title: string): Tagged | null {
  const phrase = withoutEmoji(title).replace(/[*_`:]/g, "").replace(/\(\s*\d+\s*\)/g, "").trim().toLowerCase();
  for (const [re, severity] of PHRASES) if (re.test(phrase)) return { severity };
  const words = withoutEmoji(title)
    .replace(/[*_`]/g, "")
    .toLowerCase()
    .replace(/\(\s*\d+\s*\)/g, " ")
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
  let best: Tagged | null = null;
  for (const w of words) {
    const tag = tagOf(w);
    if (tag) {
      if (best === null || RANK[tag.severity] > RANK[best.severity]) best = tag;
    } else if (!HEADING_FILLER.has(w)) {
      return null;
    }
  }
  return best;
}
