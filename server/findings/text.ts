// Small text helpers of the findings parser: markdown emphasis, line prefixes, placeholders, title and body. Pure.

/** Remove bold/italic markers and backticks; keep underscores inside words (snake_case). */
export function stripEmphasis(s: string): string {
  return s
    .replace(/`+/g, "")
    .replace(/(?<![\w*])[*_]+|[*_]+(?![\w*])/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Strip blockquote markers, heading hashes and list markers from the start of a line. */
export function stripLinePrefix(s: string): string {
  return s.replace(/^\s*(?:>\s*)*/, "").replace(/^(?:#{1,6}\s+|(?:[-*+\u2022]|\d{1,3}[.)])\s+)/, "");
}

/** Leading spaces of a line (a tab counts as four). */
export function indentOf(line: string): number {
  let n = 0;
  for (const ch of line) {
    if (ch === " ") n += 1;
    else if (ch === "\t") n += 4;
    else break;
  }
  return n;
}

// Placeholder items under a severity heading ("### Blockers" / "- None.").
const NOTHING_RE =
  /^(?:(?:none|nothing|n\/a)(?: (?:found|identified|noted|spotted|so far))?|no (?:blockers?|issues?|findings?|problems?|concerns?|major issues|minor issues)(?: (?:found|identified|noted|spotted|so far))?)[.!]?$/i;

export function isPlaceholder(text: string): boolean {
  return NOTHING_RE.test(stripEmphasis(text));
}

const TITLE_MAX = 160;

/**
 * A finding's short title and the rest as its body: a bold lead ("**Race in cancel()** — details") is the title;
 * otherwise the first sentence, when the text has more than one. Markdown stays in both.
 */
export function splitTitle(text: string): { title: string; body: string } {
  const t = text.trim();
  const bold = /^(\*\*|__)(.+?)\1\s*(?:[:.\-\u2013\u2014]+\s*)?(.*)$/s.exec(t);
  if (bold && bold[2]!.trim() !== "" && bold[3] !== undefined) {
    return { title: bold[2]!.trim().replace(/[:.]$/, ""), body: bold[3].trim() };
  }
  // A sentence ends at ". " / "! " / "? " before a capital letter, a backtick or an opening bracket.
  const end = /[.!?](?=\s+[A-Z`([*"])/.exec(t);
  if (end && end.index + 1 <= TITLE_MAX && end.index + 1 < t.length) {
    const rest = t.slice(end.index + 1).trim();
    if (rest !== "") return { title: t.slice(0, end.index + 1).trim(), body: rest };
  }
  if (t.length > TITLE_MAX) {
    const cut = t.lastIndexOf(" ", TITLE_MAX);
    const at = cut > 40 ? cut : TITLE_MAX;
    return { title: `${t.slice(0, at).trim()}…`, body: t };
  }
  return { title: t, body: "" };
}
