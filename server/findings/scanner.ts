// The answer, line by line: each line is normalised (badges, HTML wrappers), then code fences (skipped; ```json and
// quoted review comments kept), the verdict line, ::code-comment directives, headings, tables (findings tables and a
// finding's field table) and JSON objects are handled here; sections, blocks, items, paragraphs and the place a line
// names are scanState.ts's. One pass; each line costs at most a bounded amount of work. Pure.
import { directiveFinding } from "./attributes";
import { applyField, readField } from "./fields";
import { normalizeLine } from "./normalize";
import { BULLET_RE, HEADING_RE, HR_RE, ScanState, type ScanResult } from "./scanState";
import { headerRoles, isSeparatorRow, splitRow, tableFinding } from "./table";
import { indentOf, stripEmphasis } from "./text";
import { MAX_JSON_CHARS } from "./json";
import { matchVerdict } from "./verdict";

const MAX_LINE = 4000;
const FENCE_RE = /^(\s*)(?:>\s*)*(`{3,}|~{3,})(.*)$/;

export interface ScanOptions {
  /** The answer is a review (review_diff): every located item outside a descriptive section is a finding. */
  review?: boolean;
}

export function scan(answer: string, options: ScanOptions = {}): ScanResult {
  const scanner = new Scanner(options.review === true);
  let start = 0;
  while (start <= answer.length) {
    let end = answer.indexOf("\n", start);
    if (end < 0) end = answer.length;
    scanner.line(answer.slice(start, end > start && answer[end - 1] === "\r" ? end - 1 : end));
    start = end + 1;
  }
  scanner.finish();
  return scanner.result;
}
class Scanner extends ScanState {
  private fence: { char: string; len: number; body: boolean; json: string[] | null; first: boolean } | null = null;
  /** A fence read as text: its closing line is skipped. */
  private quoted: { char: string; len: number } | null = null;
  private jsonChars = 0;
  private table: { roles: ReturnType<typeof headerRoles> | null; pending: string[] | null } | null = null;

  line(full: string): void {
    const raw = normalizeLine(full.length > MAX_LINE ? full.slice(0, MAX_LINE) : full);
    if (this.fence) return this.inFence(raw);
    if (this.openFence(raw)) return;
    if (raw.trim() === "") {
      if (this.open) this.open.blank = true;
      this.endTable();
      return;
    }
    const isTable = /^\s*\|/.test(raw);
    if (!isTable) this.endTable();

    const verdict = matchVerdict(raw) ?? (this.verdictNext ? matchVerdict(`VERDICT: ${stripEmphasis(raw)}`) : null);
    this.verdictNext = false;
    if (verdict) {
      this.closeOpen();
      this.result.verdict = verdict.verdict;
      this.result.verdictText = verdict.text;
      return;
    }
    const directive = directiveFinding(raw);
    if (directive) {
      this.closeOpen();
      this.closeHeaded();
      return this.push(directive);
    }
    const heading = HEADING_RE.exec(raw);
    if (heading) return this.onHeading(heading[2]!);
    if (HR_RE.test(raw)) return this.closeOpen();
    if (isTable) return this.onTableRow(raw);
    const json = /\}\]?\s*$/.test(raw) ? /(?:^|[:\s])(\[?\{\s*")/.exec(raw) : null;
    if (json) {
      // A JSON object ending the line, outside a fence ("Result: {\"comments\": [...]}").
      this.closeOpen();
      return this.keepJson([raw.slice(json.index + json[0].length - json[1]!.length).trim()]);
    }

    const indent = indentOf(raw);
    if (this.open && this.continues(raw, indent)) return;
    this.closeOpen();
    const bullet = BULLET_RE.exec(raw);
    if (bullet) return this.onBullet(indentOf(bullet[1]!), bullet[2]!);
    this.onParagraph(raw, indent);
  }

  finish(): void {
    if (this.fence?.json) this.keepJson(this.fence.json);
    this.fence = null;
    this.closeOpen();
    this.endTable();
    this.closeHeaded();
  }

  // ── fences ──────────────────────────────────────────────────────────────────────────────────────

  private openFence(raw: string): boolean {
    const m = FENCE_RE.exec(raw);
    // Backtick fences cannot have backticks in their info string (CommonMark): inline ```code``` stays a line.
    if (!m || (m[2]![0] === "`" && m[3]!.includes("`"))) return false;
    if (this.quoted && m[3]!.trim() === "" && m[2]![0] === this.quoted.char && m[2]!.length >= this.quoted.len) {
      this.quoted = null;
      return true;
    }
    const o = this.open;
    const inBody = o !== null && (o.block || indentOf(m[1]!) > o.indent);
    if (inBody) this.appendBody(o, raw);
    else {
      this.closeOpen();
      this.endTable();
    }
    this.fence = { char: m[2]![0]!, len: m[2]!.length, body: inBody, json: /^\s*(?:json5?|jsonc)?\s*$/i.test(m[3]!) ? [] : null, first: m[3]!.trim() === "" && this.headed !== null };
    return true;
  }

  private inFence(raw: string): void {
    const fence = this.fence!;
    // An unlabelled fence under a place that quotes a review comment ("**[P1] Title**"): the comment is read as text.
    if (fence.first) {
      fence.first = false;
      if (/^\s*(?:\*\*|__)?\s*\[(?:p[0-3]|[a-z]{3,12})\]/i.test(raw)) {
        this.fence = null;
        this.quoted = { char: fence.char, len: fence.len };
        return this.line(raw);
      }
    }
    const m = FENCE_RE.exec(raw);
    const closes = m !== null && m[2]![0] === fence.char && m[2]!.length >= fence.len && m[3]!.trim() === "";
    if (fence.body && this.open) this.appendBody(this.open, raw);
    if (closes) {
      if (fence.json) this.keepJson(fence.json);
      this.fence = null;
      return;
    }
    if (fence.json && this.jsonChars < MAX_JSON_CHARS) {
      fence.json.push(raw);
      this.jsonChars += raw.length + 1;
    }
  }

  private keepJson(lines: string[]): void {
    const text = lines.join("\n");
    if (/^\s*[{[]/.test(text)) this.result.json.push(text);
  }

  // ── tables ──────────────────────────────────────────────────────────────────────────────────────

  private onTableRow(raw: string): void {
    // A two-column table of a finding's fields ("| File | src/a.ts |", "| Severity | Critical |") fills the finding.
    if (this.open?.block && !this.table?.roles) {
      const cells = splitRow(raw);
      const field = cells.length === 2 ? readField(`${cells[0]}: ${cells[1]}`) : null;
      if (isSeparatorRow(raw) || (cells.length === 2 && /^(?:field|key|name|property)$/i.test(stripEmphasis(cells[0]!)))) return;
      if (field && applyField(this.open.draft, field)) {
        this.open.fields = true;
        if (field.kind === "severity") this.open.rated = true;
        return;
      }
    }
    this.closeOpen();
    if (isSeparatorRow(raw)) {
      if (this.table?.pending) {
        this.table.roles = headerRoles(this.table.pending);
        this.table.pending = null;
      }
      return;
    }
    const cells = splitRow(raw);
    if (!this.table) {
      this.table = { roles: null, pending: cells };
      return;
    }
    if (this.table.pending) {
      this.push(tableFinding(this.table.pending, null, this.section));
      this.table.pending = null;
    }
    this.push(tableFinding(cells, this.table.roles, this.section));
  }

  private endTable(): void {
    if (this.table?.pending) this.push(tableFinding(this.table.pending, null, this.section));
    this.table = null;
  }
}
