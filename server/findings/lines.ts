// What kind of line a line is, before the scanner decides what it means: a line that only names a place (a heading
// "### Thread 1: src/a.ts:65 (unresolved)", a bold "**src/a.ts:40**", a permalink, a "── id | src/a.ts:447 | bot ──"
// banner), a heading that only names a field of the finding above it ("### Location"), a section whose items are not
// findings ("Files Reviewed", "Test plan"). Pure.
import { findLocation, readLocation, type Loc } from "./location";
import { TAG_WORDS, tagOf, type Tagged } from "./severity";
import { stripEmphasis } from "./text";

// Words that may sit beside a location on a line that only names it: bots, threads, states.
const NEUTRAL = new Set(["comment", "comments", "thread", "by", "on", "in", "at", "of", "file", "line", "lines", "location", "pr", "unresolved", "resolved", "outdated", "reviewer", "bot", "state", "null", "severity", "priority", ...TAG_WORDS.split("|")]);

/** "severity: high", "priority: P1" written beside a place. */
export function levelBeside(text: string): Tagged | null {
  const m = /\b(?:severity|priority)\s*[:=]\s*[*_`[]*([A-Za-z]+[0-3]?)/i.exec(text);
  return m ? (tagOf(m[1]!) ?? null) : null;
}

/** The location a line consists of (give or take ids, bot names and decoration), else null. */
export function locationLine(text: string): Loc | null {
  const tokens = text.split(/\s+/);
  // A path without a line counts here too ("… on src/a.ts:N/A"): the line is nothing but the place.
  const loc = findLocation(text) ?? tokens.map((token) => readLocation(token, 0)?.loc).find((found) => found !== undefined) ?? null;
  if (!loc) return null;
  let words = 0;
  for (const token of tokens) {
    if (token === "" || readLocation(token, 0)) continue;
    const w = token.replace(/^[*_`([{"'#>:|\-\u2500-\u257F]+|[*_`)\]}"':,.|\-\u2500-\u257F]+$/g, "");
    if (/^[A-Za-z]{2,}$/.test(w) && !NEUTRAL.has(w.toLowerCase())) words += 1;
  }
  return words === 0 ? loc : null;
}

/** "Thread 1:", "PR #4462:", "Vuln 2:", "Comment 3 -", "Issue #1." at the start of a heading. */
export const NUMBERED_PREFIX = /^(?:[A-Za-z]{2,14}\s*#?\d{1,6}|#\d{1,6})\s*[:.\-\u2013\u2014]\s*/;

/** A heading with a location: the title it gives besides the place (empty when it names only the place). */
export function headingLocation(text: string): { loc: Loc; title: string } | null {
  const plain = text.trim();
  const loc = findLocation(plain);
  if (!loc || loc.line === undefined) return null;
  const title = stripEmphasis(plain)
    .replace(NUMBERED_PREFIX, "")
    .replace(/\((?:unresolved|resolved|outdated)\)/gi, "")
    .trim();
  return { loc, title };
}

// Headings inside one finding that name its parts ("### Description", "### Location", "#### Exploit scenario").
const FIELD_HEADINGS = /^(?:location|description|details|technical details|impact|remediation|recommendation|recommended fix|fix|suggested fix|exploit scenario|exploit path|attack path|proof of concept|evidence|why|what'?s wrong|vulnerable code|root cause|explanation)$/i;

export function isFieldHeading(text: string): boolean {
  return FIELD_HEADINGS.test(stripEmphasis(text).replace(/[:\s]+$/, ""));
}

// Sections whose items describe rather than find: a codebase map, praise, the files looked at, a test plan.
const DESCRIPTIVE = /^(?:overview|summary|high[- ]level summary|structure|main components|components|architecture|where to start|how it works|files? reviewed|reviewed changes|code quality|strengths|what'?s good|what works|positives|praise|test plan|testing|methodology(?: notes)?|context|background|conventions|data and control flow|questions|next steps|changes|walkthrough)$/i;

export function isDescriptiveHeading(text: string): boolean {
  return DESCRIPTIVE.test(stripEmphasis(text).replace(/[:\s]+$/, "").replace(/^\d+\.\s*/, ""));
}

/** A line that is only an author stamp ("**@chatgpt-codex-connector** (2026-05-25T13:36:41Z):") or a metadata pair. */
export function isMetadataLine(text: string): boolean {
  const t = text.trim();
  return /^\*{0,2}@[\w-]+(?:\[bot\])?\*{0,2}/.test(t) || /^[A-Z][\w ]{0,24}:\s*\S{0,40}(?:\s*\|\s*[A-Z][\w ]{0,24}:\s*\S{0,40})*$/.test(t) || /^useful\? react with/i.test(t);
}
