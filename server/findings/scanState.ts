// The scanner's state and what each kind of line does to it: sections, headings, finding blocks, items, paragraphs and
// the place a line names (see scanner.ts for the line-by-line dispatch, fences and tables). Pure.
import { keyValueFinding } from "./attributes";
import { applyField, readField } from "./fields";
import { Headed } from "./headed";
import { parseItem, titleWithTrailingTag, type Draft } from "./item";
import { headingLocation, isDescriptiveHeading, isFieldHeading, isMetadataLine, levelBeside, locationLine, NUMBERED_PREFIX } from "./lines";
import { findLocation, leadingLocation, readLocation, trailingLocation, type Loc } from "./location";
import { headingSeverity, isFindingsHeading, leadingEmoji, UNRATED, type Tagged } from "./severity";
import { readTag, trailingTag } from "./tags";
import { indentOf, stripEmphasis } from "./text";
import type { VerdictValue } from "./verdict";

export const BULLET_RE = /^(\s*)(?:>\s*)*(?:[-*+\u2022]|\d{1,3}[.)])\s+(.*)$/;
export const HEADING_RE = /^\s{0,3}(?:>\s*)*(#{1,6})\s+(.*?)\s*#*\s*$/;
export const HR_RE = /^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$/;
// Codex's own review: "Full review comments:" (several findings) or "Review comment:" (one).
export const NATIVE_HEADER_RE = /^(?:full review comments|review comments?)\s*:?\s*$/i;
export const LABEL_RE = /^(\*\*|__)?([^*_:]{1,60}?)\1?\s*:?\s*(?:\*\*|__)?\s*$/;
export const BOLD_LINE_RE = /^(\*\*|__)(.+?)\1\s*:?\s*$/;
export const LINE_REF_RE = /^[*_`]*(?:lines?\s*|L)(\d+)(?:\s*[-\u2013]\s*L?(\d+))?[*_`]*\s*(?:[:\-\u2013\u2014]\s*)?[*_`]*\s*/i;
// CodeRabbit's "`139-156`: **title**" under a file: a bare line range in backticks before a colon.
export const BARE_RANGE_RE = /^`(\d+)(?:\s*[-\u2013]\s*(\d+))?`\s*:\s*/;
// "lines 251–288", "at line 31" in a finding's text.
export const LINES_IN_TEXT_RE = /\b(?:lines?|L)\s?(\d{1,7})(?:\s*(?:[-\u2013]|to)\s*L?(\d{1,7}))?\b/i;
export const RECORD_TITLE_RE = /^(?:\*\*|__)?(?:vulnerability|finding|issue|bug|problem|title)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(\S.{0,200})$/i;
// A "## Verdict" heading whose value is on the next line.
export const VERDICT_HEADING_RE = /^(?:final\s+|overall\s+)?verdict\s*[:\uFF1A]?$/i;

/** The path a heading or bold line consists of ("`src/d.ts`", "src/d.ts:"), else null. */
export function fileOnly(text: string): string | null {
  const t = text.trim().replace(/^(?:file\s*:\s*)/i, "").replace(/:$/, "");
  const m = readLocation(t, 0);
  return m && m.loc.line === undefined && t.slice(m.end).trim() === "" ? m.loc.file : null;
}

/** "XSS: `app/views/profile.py:42`": a location after the last colon. */
function trailingAfterColon(text: string): { loc: Loc; before: string } | null {
  const at = text.lastIndexOf(": ");
  if (at <= 0) return null;
  const m = readLocation(text, at + 2);
  return m && text.slice(m.end).trim() === "" ? { loc: m.loc, before: text.slice(0, at) } : null;
}

/** Codex's review format puts no priority on some titles; its reviewer only reports real bugs. */
export const NATIVE_DEFAULT: Tagged = { severity: "major" };

export interface Open {
  draft: Draft;
  /** The item's own indent; continuation lines are indented more. Blocks take every line until the next heading. */
  indent: number;
  block: boolean;
  /** A block whose heading gave no severity waits for a "Severity:" field. */
  rated: boolean;
  /** A block whose heading had an explicit tag ("[major] …", "Critical: …") is a finding even without a location. */
  strong: boolean;
  fields: boolean;
  blank: boolean;
  bodyIndent: number | null;
}

export interface ScanResult {
  verdict: VerdictValue | null;
  verdictText: string | null;
  drafts: Draft[];
  /** The contents of ```json (and unlabelled) code fences, for the JSON pass. */
  json: string[];
}

export abstract class ScanState {
  readonly result: ScanResult = { verdict: null, verdictText: null, drafts: [], json: [] };
  protected section: Tagged | null = null;
  protected sectionIndent: number | null = null;
  protected sectionHasItems = false;
  protected open: Open | null = null;
  /** The file a heading named ("### `src/d.ts`"): items below it that give only a line ("Line 12 (major): …") are in it. */
  protected fileContext: string | null = null;
  /** A place named on its own line, waiting for the finding it heads. */
  protected headed: Headed | null = null;
  /** The current section describes rather than finds (a map, praise, a test plan). */
  protected descriptive = false;
  /** The last heading was "Verdict": its value is on the next line. */
  protected verdictNext = false;

  constructor(protected readonly review: boolean) {}

  // ── sections, headings, blocks ─────────────────────────────────────────────────────────────────

  protected startSection(tag: Tagged | null): void {
    this.descriptive = false;
    this.section = tag;
    this.sectionIndent = null;
    this.sectionHasItems = false;
  }

  protected onHeading(text: string): void {
    // "### Description" inside a finding block is one of its parts, not a new section.
    if (this.open?.block && isFieldHeading(text)) return;
    this.closeOpen();
    if (VERDICT_HEADING_RE.test(stripEmphasis(text))) {
      this.verdictNext = true;
      return;
    }
    // A heading naming a file ("### `src/d.ts`", "src/lib/a.ts (1)"): it groups the findings below, in their section.
    const file = fileOnly(text.replace(/\s*\(\d+\)\s*$/, ""));
    if (file) {
      this.closeHeaded();
      this.fileContext = file;
      const count = /\((\d+)\)\s*$/.exec(text);
      if (count) this.headed = new Headed({ file, line: Number(count[1]) });
      return;
    }
    const placed = headingLocation(text);
    if (placed && (placed.title === "" || locationLine(placed.title))) {
      // "### Thread 1: src/a.ts:65 (unresolved)", "### src/a.ts:145": the place of the finding below.
      this.closeHeaded();
      this.fileContext = placed.loc.file;
      this.headed = new Headed(placed.loc);
      this.headed.severity = levelBeside(text);
      return;
    }
    this.closeHeaded();
    this.fileContext = null;
    const plain = stripEmphasis(text);
    if (NATIVE_HEADER_RE.test(plain)) return this.startSection(NATIVE_DEFAULT);
    const severity = headingSeverity(text);
    if (severity) return this.startSection(severity);
    if (isFindingsHeading(plain)) return this.startSection(UNRATED);
    this.startSection(null);
    this.descriptive = isDescriptiveHeading(plain);
    this.startBlock(text);
  }

  /** A place named on its own waits for its finding; a new place, heading or the end settles the old one. */
  protected closeHeaded(): void {
    const headed = this.headed;
    this.headed = null;
    const d = headed?.finding() ?? null;
    // Without a level, a place and its text are a finding only where the answer reads as findings.
    if (d?.unrated && !(this.review || this.section?.unrated)) return;
    this.push(d);
  }

  /** A new finding takes the place a line above named, if it has none of its own. */
  protected takeHeaded(d: Draft): void {
    const headed = this.headed;
    if (!headed) return;
    this.headed = null;
    if (!d.loc || d.loc.line === undefined) d.loc = { ...headed.loc };
    if (headed.severity && d.unrated) {
      d.severity = headed.severity.severity;
      delete d.unrated;
      if (headed.severity.priority !== undefined) d.priority = headed.severity.priority;
    }
  }

  /** A heading (or a bold line) that may be a finding of its own, its details following on the next lines. */
  protected startBlock(text: string): void {
    let t = text
      .trim()
      .replace(/^(?:\d{1,3}[.)]|#\d+)\s+/, "")
      .replace(NUMBERED_PREFIX, "")
      .replace(/^(?:issue|finding|bug|problem|vulnerability)\s*:\s*/i, "")
      .replace(/\s*\((?:confidence|cvss|cwe)\b[^)]{0,40}\)\s*$/i, "");
    const emoji = leadingEmoji(t);
    if (emoji) t = emoji.rest;
    const tag = readTag(t);
    let draft: Draft | null = null;
    let strong = false;
    if (tag?.strength === "strong") {
      draft = parseItem(t, { section: null });
      strong = draft !== null;
    } else if (emoji) {
      // A marker emoji alone makes a heading a finding only with a place ("### 💡 Codex Review" is not one).
      draft = parseItem(t, { section: { severity: emoji.severity } });
    } else {
      const trailing = trailingTag(t);
      if (trailing) draft = titleWithTrailingTag(t);
    }
    let rated = draft !== null;
    // "Vuln 1: XSS: `app/views/profile.py:42`", "SSRF — `api/x.js`": the heading names the place.
    let loc: Loc | undefined;
    const link = draft ? null : /^\[([^\]]{1,200})\]\(\S+\)$/.exec(t.trim());
    if (link) {
      // "[Possible Issue](…/blob/main/a.py#L12-L14)": the link's text is the title, its target the place.
      loc = readLocation(t.trim(), 0)?.loc;
      if (loc) t = link[1]!;
    }
    if (!draft && !loc) {
      const trail = trailingLocation(t) ?? (/:\s*\S+\s*$/.test(t) ? trailingAfterColon(t) : null);
      const lead = trail ? null : leadingLocation(t);
      if (trail) {
        loc = trail.loc;
        t = trail.before;
      } else if (lead && lead.rest.trim() !== "") {
        loc = lead.loc;
        t = lead.rest;
      }
    }
    const title = stripEmphasis(t).replace(/[:\s\u2014\u2013-]+$/, "");
    if (!draft && title === "") return;
    const d: Draft = draft ?? { severity: "major", title, body: [], unrated: true, ...(loc ? { loc } : {}) };
    if (this.headed && (this.headed.loc.line !== undefined || this.headed.severity)) {
      this.takeHeaded(d);
      rated = rated || d.unrated !== true || d.loc?.line !== undefined;
    }
    this.open = { draft: d, indent: -1, block: true, rated, strong, fields: false, blank: false, bodyIndent: 0 };
  }

  // ── items ───────────────────────────────────────────────────────────────────────────────────────

  protected onBullet(indent: number, content: string): void {
    const inSection = this.section !== null && (this.sectionIndent === null || indent <= this.sectionIndent);
    if (this.section !== null) this.sectionHasItems = true;
    if (inSection) this.sectionIndent ??= indent;
    const section = inSection ? this.section : null;
    let draft = keyValueFinding(content) ?? this.inFileContext(content, section) ?? parseItem(content, { section });
    // In a review, an item that points at a line is a finding even without a level (unless it only describes).
    if (!draft && this.review && !this.descriptive && !/^\[[ xX]\]\s/.test(content)) {
      const located = parseItem(content, { section: UNRATED });
      if (located?.loc?.line !== undefined) draft = located;
    }
    draft ??= titleWithTrailingTag(content);
    if (!draft) return;
    if (this.headed) this.takeHeaded(draft);
    this.open = { draft, indent, block: false, rated: true, strong: false, fields: false, blank: false, bodyIndent: null };
  }

  /** Under a file heading: "**Line 12** (major): text", "L30 — minor: text", "[minor] lines 40-42: text". */
  protected inFileContext(content: string, section: Tagged | null): Draft | null {
    if (!this.fileContext) return null;
    const ref = LINE_REF_RE.exec(content) ?? BARE_RANGE_RE.exec(content) ?? LINE_REF_RE.exec(content.replace(/^\[[^\]]{1,12}\]\s*/, ""));
    if (!ref) return null;
    const tagPart = content.slice(0, content.length - ref.input.length) + ref.input.slice(ref[0].length);
    const tagged = parseItem(tagPart, { section: null });
    const draft = tagged ?? parseItem(tagPart, { section: section && !section.unrated ? section : { severity: "major" } });
    if (!draft) return null;
    if (!tagged && (!section || section.unrated) && !trailingTag(tagPart)) draft.unrated = true;
    const line = Number(ref[1]);
    draft.loc = { file: this.fileContext, line, ...(ref[2] !== undefined && Number(ref[2]) > line ? { endLine: Number(ref[2]) } : {}) };
    return draft;
  }

  protected onParagraph(raw: string, indent: number): void {
    const plain = raw.replace(/^\s*(?:>\s*)*/, "");
    const bare = stripEmphasis(plain);
    if (NATIVE_HEADER_RE.test(bare)) return this.startSection(NATIVE_DEFAULT);
    // A line that only names a place heads the finding below it.
    const place = !/^[[(]/.test(plain) && plain.length < 600 && /[./\\]/.test(plain) ? locationLine(plain) : null;
    if (place) {
      this.closeHeaded();
      if (place.line === undefined && fileOnly(stripEmphasis(plain))) {
        this.fileContext = place.file;
        return;
      }
      this.headed = new Headed(place);
      this.headed.severity = levelBeside(plain);
      return;
    }
    // "Vulnerability: SQL injection" opening a run of "Severity:", "Location:", "Description:" lines: one finding.
    const record = RECORD_TITLE_RE.exec(plain);
    if (record && !this.headed) return this.startBlock(record[1]!);
    if (this.headed) {
      if (isMetadataLine(plain)) return;
      // "![medium](…)", "_⚠️ Potential issue_ | _🟡 Minor_": the level of the finding below the place.
      const level = headingSeverity(bare.replace(/\|/g, " ").replace(/[[\]]/g, " "));
      if (level && !this.headed.severity && this.headed.text.length === 0) {
        this.headed.severity = level;
        return;
      }
    }
    if (this.fileContext) {
      const ranged = BARE_RANGE_RE.test(plain) || LINE_REF_RE.test(plain) ? this.inFileContext(plain, this.section) : null;
      if (ranged) {
        if (this.headed) this.takeHeaded(ranged);
        this.open = { draft: ranged, indent, block: false, rated: true, strong: false, fields: false, blank: false, bodyIndent: null };
        return;
      }
    }
    if (isFindingsHeading(bare.replace(/:$/, "")) && bare.length <= 60 && !this.headed) return this.startSection(UNRATED);
    // A bold-only or "Label:" line made of severity words acts as a section heading ("**Blockers**", "Major issues:").
    const label = LABEL_RE.exec(plain);
    const labelSeverity = label ? headingSeverity(label[2]!) : null;
    if (label && labelSeverity && (label[1] !== undefined || /:\s*(?:\*\*|__)?\s*$/.test(plain))) return this.startSection(labelSeverity);
    // A bold line: a file heading ("**src/d.ts**") or a finding's title with its details below.
    const bold = BOLD_LINE_RE.exec(plain.trimEnd());
    if (bold && !(this.headed && /^\*\*@/.test(plain))) {
      const file = fileOnly(bold[2]!);
      if (file) {
        this.fileContext = file;
        return;
      }
      return this.startBlock(bold[2]!);
    }
    // "[major] src/z.ts:4 — leaks the handle": a finding without a list marker; under a place, "**nitpick:** …".
    const draft = keyValueFinding(plain) ?? parseItem(plain, { section: null, paragraph: this.headed === null });
    if (draft) {
      if (this.headed) this.takeHeaded(draft);
      this.open = { draft, indent, block: false, rated: true, strong: false, fields: false, blank: false, bodyIndent: null };
      return;
    }
    if (this.headed) {
      this.headed.text.push(plain);
      return;
    }
    // Prose after a section's list ends the section; prose before it is an intro.
    if (this.sectionHasItems) this.startSection(null);
  }

  /** Whether the line belongs to the open finding (its body, its fields, a nested detail); applies it if so. */
  protected continues(raw: string, indent: number): boolean {
    const o = this.open!;
    // "**Issue**: …" after a blank line starts the next record, whatever the open one already holds.
    if (o.block && o.blank && RECORD_TITLE_RE.test(raw.trim())) return false;
    const bullet = BULLET_RE.exec(raw);
    const field = readField(raw);
    if (field && (o.block || indent > o.indent || !o.blank)) {
      const applied = applyField(o.draft, field);
      if (applied) {
        o.fields = true;
        if (field.kind === "severity") o.rated = true;
        o.blank = false;
        return true;
      }
    }
    if (!o.block && indent <= o.indent) return false;
    // A nested item with a tag of its own is a finding of its own.
    if (bullet && readTag(bullet[2]!.replace(/^\[[ xX]\]\s+/, ""))?.strength === "strong") return false;
    if (o.block) {
      if (!o.rated && bullet) return false;
      // A line that starts a finding of its own ("[major] …", "**[minor] Title**") or names the next place ends the block.
      if (!bullet && (BOLD_LINE_RE.test(raw.trim()) || parseItem(raw, { section: null, paragraph: true }))) return false;
      if (!bullet && !field && (o.draft.loc || o.draft.body.length > 0 || o.blank) && /[./\\]/.test(raw) && locationLine(raw.trim())) return false;
      // Prose after a complete block is the answer going on, not the finding.
      if (o.blank && indent === 0 && !bullet && o.draft.loc && o.draft.body.length > 0) return false;
    }
    if (!o.draft.loc) {
      const loc = findLocation(raw);
      if (loc?.line !== undefined) {
        o.draft.loc = loc;
        o.fields = true;
      }
    } else if (o.draft.loc.line === undefined) {
      // The heading named the file; the text names the lines ("The handler (lines 251–288) …").
      const lines = LINES_IN_TEXT_RE.exec(raw);
      if (lines) {
        const line = Number(lines[1]);
        o.draft.loc = { ...o.draft.loc, line, ...(lines[2] !== undefined && Number(lines[2]) > line ? { endLine: Number(lines[2]) } : {}) };
      }
    }
    this.appendBody(o, raw);
    return true;
  }

  protected appendBody(o: Open, raw: string): void {
    if (o.blank && o.draft.body.length > 0) o.draft.body.push("");
    o.blank = false;
    const indent = indentOf(raw);
    o.bodyIndent ??= indent;
    let cut = 0;
    while (cut < raw.length && cut < o.bodyIndent && (raw[cut] === " " || raw[cut] === "\t")) cut++;
    o.draft.body.push(raw.slice(cut).trimEnd());
  }

  protected closeOpen(): void {
    const o = this.open;
    this.open = null;
    if (!o) return;
    const d = o.draft;
    // A block without a level is a finding when it points at a line in a review or a findings section.
    if (o.block && !o.rated && d.loc?.line !== undefined && !this.descriptive && (this.review || this.section?.unrated)) o.rated = true;
    if (o.block ? !o.rated || !(d.loc || o.fields || o.strong) : d.weak && !d.loc && !o.fields) return;
    delete d.weak;
    this.push(d);
  }

  protected push(d: Draft | null): void {
    if (!d) return;
    while (d.body.length > 0 && d.body.at(-1)!.trim() === "") d.body.pop();
    while (d.body.length > 0 && d.body[0]!.trim() === "") d.body.shift();
    this.result.drafts.push(d);
  }
}
