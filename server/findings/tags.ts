// Severity tags at the start of a finding: "[major]", "**[BLOCKER]**", "(minor)", "[severity: high]", "[P1]",
// "**Major**:", "Nit:", "Minor —", and the weaker "**blocker** src/…" / "minor src/…" (no separator, which only count
// when a location follows). Pure.
import { TAG_WORDS, tagOf, type Tagged } from "./severity";

export interface Tag extends Tagged {
  /** "weak": a bold or bare word without a separator — a finding only when a location comes with it. */
  strength: "strong" | "weak";
  /** Written in brackets ("[major]", "(P1)"): a finding even on a line that is not a list item. */
  bracket: boolean;
  rest: string;
}

const EMPH = "[*_`]{0,3}";
// After a tag only bold/italic closers: a backtick there opens the inline code of the title.
const CLOSER = "[*_]{0,3}";
const SEP = String.raw`(?::|\u2014|\u2013|--|-(?=\s)|\|)`;
const BRACKET_RE = new RegExp(
  String.raw`^${EMPH}\s*[\[(]\s*(?:(?:severity|priority)\s*[:=]\s*)?(${TAG_WORDS})(?:\s*[\u00B7/,|:-]\s*(${TAG_WORDS}))?\s*[\])]\s*${CLOSER}\s*(?:${SEP}\s*)?${CLOSER}\s*`,
  "i",
);
const WORD_RE = new RegExp(String.raw`^${EMPH}\s*(${TAG_WORDS})\s*${CLOSER}\s*${SEP}\s*${CLOSER}\s*`, "i");
const BOLD_RE = new RegExp(String.raw`^(\*\*|__)\s*(${TAG_WORDS})\s*\1\s+`, "i");
const BARE_RE = new RegExp(String.raw`^(${TAG_WORDS})\s+`, "i");

function combine(first: string, second: string | undefined): Tagged | undefined {
  const a = tagOf(first);
  const b = second === undefined ? undefined : tagOf(second);
  if (!a) return b;
  if (!b) return a;
  // "[P1 · major]": the word decides the severity, the P-tag is kept as the priority.
  const word = a.priority === undefined ? a : b;
  const priority = a.priority ?? b.priority;
  return priority === undefined ? word : { severity: word.severity, priority };
}

function readOne(content: string): Tag | null {
  let m = BRACKET_RE.exec(content);
  if (m) {
    const tag = combine(m[1]!, m[2]);
    if (tag) return { ...tag, strength: "strong", bracket: true, rest: content.slice(m[0].length) };
  }
  m = WORD_RE.exec(content);
  if (m) {
    const tag = tagOf(m[1]!);
    if (tag) return { ...tag, strength: "strong", bracket: false, rest: content.slice(m[0].length) };
  }
  m = BOLD_RE.exec(content) ?? BARE_RE.exec(content);
  if (m) {
    const tag = tagOf(m[m.length - 1]!);
    if (tag) return { ...tag, strength: "weak", bracket: false, rest: content.slice(m[0].length) };
  }
  return null;
}

/** The severity tag(s) at the start of `content`; "[P1] [major]" reads as one tag. */
export function readTag(content: string): Tag | null {
  const first = readOne(content);
  if (!first) return null;
  const second = BRACKET_RE.test(first.rest) || WORD_RE.test(first.rest) ? readOne(first.rest) : null;
  if (!second) return first;
  const severity = first.priority !== undefined && second.priority === undefined ? second.severity : first.severity;
  const priority = first.priority ?? second.priority;
  return { severity, ...(priority !== undefined ? { priority } : {}), strength: "strong", bracket: first.bracket || second.bracket, rest: second.rest };
}

const TRAILING_RE = new RegExp(String.raw`^(.*?)\s*(?:[\[(]\s*(${TAG_WORDS})(?:\s+(?:severity|priority))?\s*[\])]|[\u2014\u2013-]\s+(${TAG_WORDS})(?:\s+(?:severity|priority))?)[\s*_]*[.,]?[\s*_]*$`, "i");

/** A tag at the end of a title ("Missing await (major)", "Race in cancel() — High"). */
// "… is not disabled while the request runs. High." — a last sentence that is only a level.
const LAST_SENTENCE_RE = new RegExp(String.raw`^(.*?[.!?])\s+[*_]*(?:severity:\s*)?(${TAG_WORDS})[*_]*\.?\s*$`, "i");

export function trailingTag(title: string): (Tagged & { before: string }) | null {
  const last = LAST_SENTENCE_RE.exec(title);
  if (last) {
    const tag = tagOf(last[2]!);
    if (tag) return { ...tag, before: last[1]!.trim() };
  }
  const m = TRAILING_RE.exec(title);
  if (!m) return null;
  const tag = tagOf(m[2] ?? m[3]!);
  return tag && m[1]!.trim() !== "" ? { ...tag, before: m[1]!.trim() } : null;
}
