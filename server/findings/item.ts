// One finding written as a list item or a line: a severity tag (or a severity section around it), a location —
// leading ("src/a.ts:12 — text"), trailing ("Title — /abs/src/a.ts:12-14", Codex's review format and ours) or
// mentioned ("the loop in `src/a.ts` (line 12)") — and the description, split into a title and a body. Pure.
import type { Severity } from "../protocol/results";
import { findLocation, leadingLocation, trailingLocation, type Loc } from "./location";
import { leadingEmoji, tagOf, type Tagged } from "./severity";
import { readTag, trailingTag, type Tag } from "./tags";
import { isPlaceholder, splitTitle } from "./text";

export interface Draft {
  severity: Severity;
  priority?: number;
  title: string;
  /** Body lines (markdown), in order. */
  body: string[];
  loc?: Loc;
  /** Only worth keeping once a location or a labelled field turns up ("**Missing await** (major)"). */
  weak?: boolean;
  /** The answer gave it no severity: shown as major (docs/adr/0021). */
  unrated?: boolean;
}

export interface ItemContext {
  /** The severity a surrounding section gives untagged items ("### Blockers"), if any. */
  section: Tagged | null;
  /** A line that is not a list item: only bracket tags ("[major] …") or a tag with a location make it a finding. */
  paragraph?: boolean;
}

function draft(tagged: Tagged, description: string, loc: Loc | undefined): Draft | null {
  let text = description.replace(/^\s*(?:[:\-\u2013\u2014,]+\s*)?/, "").trim();
  text = text.replace(/^\*\*([^*]+)\*\*$/, "$1").trim();
  if (text === "" && loc) text = loc.line !== undefined ? `${loc.file}:${loc.line}` : loc.file;
  if (text === "" || isPlaceholder(text)) return null;
  const { title, body } = splitTitle(text);
  const d: Draft = { severity: tagged.severity, title, body: body === "" ? [] : [body] };
  if (tagged.priority !== undefined) d.priority = tagged.priority;
  if (loc) d.loc = loc;
  return d;
}

/** The finding an item's content describes, or null when it is not one. */
export function parseItem(content: string, context: ItemContext): Draft | null {
  let c = content.trim().replace(/^\[[ xX]\]\s+/, "");
  const emoji = leadingEmoji(c);
  if (emoji) c = emoji.rest;
  let tag: Tag | null = readTag(c);
  let loc: Loc | undefined;
  let description: string | undefined;
  if (tag) {
    c = tag.rest;
  } else {
    // "`src/q.ts:9` [major] — retries forever": the location first, the tag after it.
    const lead = leadingLocation(c);
    const after = lead ? readTag(lead.rest.trimStart()) : null;
    if (lead && after?.strength === "strong") {
      tag = after;
      loc = lead.loc;
      description = after.rest;
    }
  }
  if (context.paragraph && tag?.strength !== "strong") return null;
  // "**Bug** (Major) `src/a.ts:14` — …": a category in bold with its level in parentheses.
  if (!tag) {
    const category = /^(\*\*|__)([^*_]{1,30})\1\s*\(\s*([A-Za-z]+[0-3]?)\s*\)\s*/.exec(c);
    const level = category ? tagOf(category[3]!) : undefined;
    if (category && level) {
      tag = { ...level, strength: "strong", bracket: true, rest: c.slice(category[0].length) };
      c = tag.rest;
    }
  }
  // "Unused variable (src/a.ts, line 4) — low severity.": the level at the end goes before the location is read.
  const endLevel = tag || emoji ? null : trailingTag(c);
  if (endLevel) c = endLevel.before;
  const tagged: Tagged | null = tag ?? (emoji ? { severity: emoji.severity } : null) ?? context.section;
  if (!tagged) return null;
  if (description === undefined) {
    const lead = leadingLocation(c);
    const trail = lead ? null : trailingLocation(c);
    if (lead) {
      loc = lead.loc;
      description = lead.rest;
    } else if (trail) {
      loc = trail.loc;
      description = trail.before;
    } else {
      loc = findLocation(c) ?? undefined;
      description = c;
    }
  }
  // A weak tag ("**blocker** …", "minor …") or a bare emoji outside a section is a finding only with a location.
  const vouched = tag?.strength === "strong" || (context.section !== null && !context.section.unrated);
  if (!vouched && !loc) return null;
  // Outside a list, "Minor: I'd rename this." is prose; "[minor] …" or a tag with a location is a finding.
  if (context.paragraph && !tag?.bracket && !loc) return null;
  const d = draft(tagged, description, loc);
  // An emoji with a severity word after it: the word decides.
  if (d && tag && emoji) d.severity = tag.severity;
  if (d && endLevel) {
    d.severity = endLevel.severity;
    if (endLevel.priority !== undefined) d.priority = endLevel.priority;
  } else if (d && !tag && !emoji) {
    // No tag in front: a level at the end of the title ("… (high).", "… — Low") decides.
    const inTitle = trailingTag(d.title);
    const trailing = inTitle ?? trailingTag(description.replace(/[\s.]+$/, ""));
    if (trailing) {
      d.severity = trailing.severity;
      if (inTitle) d.title = inTitle.before.replace(/[\s,;:\u2014\u2013-]+$/, "");
      if (trailing.priority !== undefined) d.priority = trailing.priority;
    } else if (tagged.unrated) d.unrated = true;
  }
  return d;
}

/** "**Missing null check** (major)": a title with its severity at the end, waiting for its location in the lines below. */
export function titleWithTrailingTag(content: string): Draft | null {
  const t = trailingTag(content.trim());
  if (!t) return null;
  const title = t.before.replace(/^\d{1,3}[.)]\s+/, "").replace(/^(\*\*|__)(.*)\1$/, "$2").replace(/[:\s*_]+$/, "").trim();
  if (title === "") return null;
  const d: Draft = { severity: t.severity, title, body: [], weak: true };
  if (t.priority !== undefined) d.priority = t.priority;
  return d;
}
