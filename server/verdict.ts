// Tolerant parser for Codex answers: the final VERDICT line and review
// findings. Codex is asked for exact formats (see server/prompts.ts) but
// models drift into markdown variations, so this accepts the common ones and
// never throws. Pure: no I/O.

import type { Finding, Severity } from "./protocol/results";

export type { Finding, Severity };

export interface ParsedAnswer {
  verdict: "consensus" | "open" | null;
  verdictText: string | null;
  findings: Finding[];
}

const MAX_FINDINGS = 100;
// Bounds regex work on pathological input; real answer lines are far shorter.
const MAX_LINE = 4000;

// Severity vocabulary. Four-level scales (critical/high/medium/low) map onto
// our three levels with critical→blocker, high→major and everything below
// high (medium, moderate, low, nit, trivial) → minor: "medium" items are
// rarely worth blocking on and over-ranking them drowns the real majors.
// A Map, not an object literal, so words like "constructor" never hit the prototype.
const SEVERITY_WORDS: ReadonlyMap<string, Severity> = new Map<string, Severity>([
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
]);
const SEV = [...SEVERITY_WORDS.keys()]
  .sort((a, b) => b.length - a.length)
  .join("|");
const RANK: Readonly<Record<Severity, number>> = { blocker: 3, major: 2, minor: 1 };

// Words allowed next to a severity word in a section heading ("Major issues",
// "High-severity findings (2)") without turning it into an ordinary heading.
const HEADING_FILLER = new Set([
  "issue", "issues", "finding", "findings", "problem", "problems", "concern", "concerns",
  "bug", "bugs", "risk", "risks", "severity", "priority", "item", "items", "comment", "comments",
  "suggestion", "suggestions", "change", "changes", "and", "or", "only", "other", "found", "remaining",
]);

function severityOf(word: string): Severity | undefined {
  return SEVERITY_WORDS.get(word.toLowerCase());
}

/** Remove bold/italic markers and backticks; keep underscores inside words (snake_case). */
function stripEmphasis(s: string): string {
  return s
    .replace(/`+/g, "")
    .replace(/(?<![\w*])[*_]+|[*_]+(?![\w*])/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Strip blockquote markers, heading hashes and list markers from the start of a line. */
function stripLinePrefix(s: string): string {
  return s.replace(/^\s*(?:>\s*)*/, "").replace(/^(?:#{1,6}\s+|(?:[-*+•]|\d{1,3}[.)])\s+)/, "");
}

const FENCE_RE = /^\s*(?:>\s*)*(`{3,}|~{3,})(.*)$/;

const VERDICT_RE = new RegExp(
  String.raw`^verdict\s*[:\-–—]*\s*(consensus|open)\b\s*(?:[:\-–—]+\s*)?(.*)$`,
  "i",
);

function matchVerdict(raw: string): { verdict: "consensus" | "open"; text: string | null } | null {
  const line = stripEmphasis(stripLinePrefix(raw));
  const m = VERDICT_RE.exec(line);
  if (!m) return null;
  const text = m[2].trim();
  return { verdict: m[1].toLowerCase() === "consensus" ? "consensus" : "open", text: text === "" ? null : text };
}

// --- findings -------------------------------------------------------------

const EMPH = "[*_`]{0,3}";
const SEP = String.raw`(?::|—|–|--|-(?=\s)|\|)`;
// "[major]", "**[BLOCKER]**", "(minor)", "[severity: high]"
const TAG_BRACKET_RE = new RegExp(
  String.raw`^${EMPH}\s*[\[(]\s*(?:severity\s*[:=]\s*)?(${SEV})\s*[\])]\s*${EMPH}\s*(?:${SEP}\s*)?${EMPH}\s*`,
  "i",
);
// "**Major**: ...", "Major: ...", "**Nit:** ...", "Minor — ..."
const TAG_WORD_RE = new RegExp(String.raw`^${EMPH}\s*(${SEV})\s*${EMPH}\s*${SEP}\s*${EMPH}\s*`, "i");

function explicitSeverity(content: string): { severity: Severity; rest: string } | null {
  const m = TAG_BRACKET_RE.exec(content) ?? TAG_WORD_RE.exec(content);
  if (!m) return null;
  const severity = severityOf(m[1]);
  return severity ? { severity, rest: content.slice(m[0].length) } : null;
}

// A path must contain a slash or end in a short extension, so prose like
// "e.g." or "Note" is not taken for a file.
const PATH = String.raw`(?:[\w@.~\-]+[/\\])*[\w@.~\-]*\w\.[A-Za-z][\w]{0,9}|(?:[\w@.~\-]+[/\\])+[\w@.~\-]+`;
const LINE_SUFFIX = String.raw`(?::(\d+)(?:[-–]\d+)?(?::\d+)?|#L(\d+)(?:-L?\d+)?)`;
// Leading location: optional markdown link / emphasis, path, optional line,
// optional "(line 7)", then a separator before the description.
const LEAD_LOC_RE = new RegExp(
  String.raw`^[*_\`\[]{0,4}(${PATH})${LINE_SUFFIX}?[*_\`]{0,3}(?:\]\([^)\s]*\))?[*_\`]{0,3}` +
    String.raw`(?:\s*\(\s*(?:lines?|l\.?)\s*(\d+)(?:\s*[-–]\s*\d+)?\s*\))?` +
    String.raw`(\s*(?:${SEP}|,)\s*|\s*$)`,
  "i",
);
// Anywhere in the text, but only with a line number: "the loop in src/a.ts:12 ...".
const ANY_LOC_RE = new RegExp(String.raw`(?<![\w/.~@\-])(${PATH})${LINE_SUFFIX}`);

interface Location {
  file?: string;
  line?: number;
  rest: string;
}

function toLine(...candidates: (string | undefined)[]): number | undefined {
  for (const c of candidates) {
    if (c !== undefined) {
      const n = Number.parseInt(c, 10);
      if (Number.isFinite(n) && n > 0) return n;
    }
  }
  return undefined;
}

function locate(text: string): Location {
  const lead = LEAD_LOC_RE.exec(text);
  if (lead) {
    const line = toLine(lead[2], lead[3], lead[4]);
    const quoted = /^[*_`[]/.test(text);
    // Without a line number, accept a bare path only when it is clearly
    // marked up or set off by a separator ("README.md — typo").
    if (line !== undefined || quoted || lead[5].trim() !== "") {
      return { file: lead[1], line, rest: text.slice(lead[0].length) };
    }
  }
  const any = ANY_LOC_RE.exec(text);
  if (any) return { file: any[1], line: toLine(any[2], any[3]), rest: text };
  return { rest: text };
}

// Placeholder items under a severity heading ("### Blockers" / "- None.").
const NOTHING_RE =
  /^(?:(?:none|nothing|n\/a)(?: (?:found|identified|noted|spotted|so far))?|no (?:blockers?|issues?|findings?|problems?|concerns?)(?: (?:found|identified|noted|spotted|so far))?)[.!]?$/i;

function makeFinding(severity: Severity, content: string): Finding | null {
  const loc = locate(content.trim());
  let text = loc.rest.replace(/^\s*(?:[:\-–—,]+\s*)?/, "").trim();
  if (text === "") text = content.trim();
  text = text.replace(/^\*\*(.*)\*\*$/, "$1").trim();
  if (text === "" || NOTHING_RE.test(stripEmphasis(text))) return null;
  const f: Finding = { severity, text };
  if (loc.file !== undefined) f.file = loc.file;
  if (loc.line !== undefined) f.line = loc.line;
  return f;
}

/** Severity of a section heading made only of severity and filler words, else null. */
function headingSeverity(title: string): Severity | null {
  const words = stripEmphasis(title)
    .toLowerCase()
    .replace(/\(\s*\d+\s*\)/g, " ")
    .split(/[^a-z]+/)
    .filter((w) => w !== "");
  let best: Severity | null = null;
  for (const w of words) {
    const s = severityOf(w);
    if (s) {
      if (best === null || RANK[s] > RANK[best]) best = s;
    } else if (!HEADING_FILLER.has(w)) {
      return null;
    }
  }
  return best;
}

const LOC_CELL_RE = new RegExp(String.raw`^[\`*]*(?:${PATH})${LINE_SUFFIX}?[\`*]*$`);

/** Markdown table row like `| major | src/a.ts:12 | text |`. */
function tableFinding(line: string): Finding | null {
  const cells = line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((c) => c.trim());
  let severity: Severity | undefined;
  const others: string[] = [];
  for (const c of cells) {
    const bare = stripEmphasis(c).replace(/^\[(.*)\]$/, "$1").trim();
    const s = severity === undefined ? severityOf(bare) : undefined;
    if (s) severity = s;
    else if (c !== "" && !/^\d+$/.test(c)) others.push(c);
  }
  if (!severity || others.length === 0) return null;
  // Put a cell that is just a location first so locate() picks it up.
  const locIdx = others.findIndex((c) => LOC_CELL_RE.test(c));
  if (locIdx > 0) others.unshift(...others.splice(locIdx, 1));
  return makeFinding(severity, others.join(" — "));
}

const BULLET_RE = /^(\s*)(?:>\s*)*(?:[-*+•]|\d{1,3}[.)])\s+(.*)$/;
const HEADING_RE = /^\s{0,3}(?:>\s*)*#{1,6}\s+(.*?)\s*#*\s*$/;
// "src/a.ts:12 [major] — text": location first, tag second.
const TAG_AFTER_LOC_RE = new RegExp(String.raw`^(\S+)\s+[*_\`]{0,3}\[\s*(${SEV})\s*\][*_\`]{0,3}\s*`, "i");

function taggedContent(content: string): { severity: Severity; rest: string } | null {
  const front = explicitSeverity(content);
  if (front) return front;
  const m = TAG_AFTER_LOC_RE.exec(content);
  const severity = m ? severityOf(m[2]) : undefined;
  return m && severity ? { severity, rest: `${m[1]} ${content.slice(m[0].length)}` } : null;
}

export function parseAnswer(answer: string): ParsedAnswer {
  const result: ParsedAnswer = { verdict: null, verdictText: null, findings: [] };
  try {
    parseInto(typeof answer === "string" ? answer : String(answer ?? ""), result);
  } catch {
    // Tolerant by contract: keep whatever was parsed before the failure.
  }
  if (result.findings.length > MAX_FINDINGS) result.findings.length = MAX_FINDINGS;
  return result;
}

function parseInto(answer: string, out: ParsedAnswer): void {
  const lines = answer.split(/\r?\n/);
  let fence: { char: string; len: number } | null = null;
  // Severity implied by the current section heading ("### Blockers"), and the
  // indent of its first bullet so nested sub-bullets are not separate findings.
  let sectionSeverity: Severity | null = null;
  let sectionIndent: number | null = null;
  let sectionHasItems = false;
  // Last finding and its bullet indent, for folding in continuation lines.
  let last: { finding: Finding; indent: number } | null = null;

  const startSection = (severity: Severity | null): void => {
    sectionSeverity = severity;
    sectionIndent = null;
    sectionHasItems = false;
  };
  const push = (f: Finding | null, indent: number): void => {
    last = null;
    if (f === null || out.findings.length >= MAX_FINDINGS) return;
    out.findings.push(f);
    last = { finding: f, indent };
  };

  for (const full of lines) {
    const raw = full.length > MAX_LINE ? full.slice(0, MAX_LINE) : full;

    const fm = FENCE_RE.exec(raw);
    if (fence) {
      if (fm && fm[1][0] === fence.char && fm[1].length >= fence.len && fm[2].trim() === "") fence = null;
      continue;
    }
    // Backtick fences cannot have backticks in their info string (CommonMark),
    // which keeps inline ```code``` on one line from opening a block.
    if (fm && !(fm[1][0] === "`" && fm[2].includes("`"))) {
      fence = { char: fm[1][0], len: fm[1].length };
      last = null;
      continue;
    }

    if (raw.trim() === "") {
      last = null;
      continue;
    }

    const v = matchVerdict(raw);
    if (v) {
      out.verdict = v.verdict;
      out.verdictText = v.text;
      last = null;
      continue;
    }

    const heading = HEADING_RE.exec(raw);
    if (heading) {
      last = null;
      const tagged = explicitSeverity(heading[1].replace(/^\d{1,3}[.)]\s+/, ""));
      if (tagged) {
        // A finding written as its own heading: "#### 1. [major] src/a.ts:3 — ...".
        push(makeFinding(tagged.severity, tagged.rest), 0);
        startSection(null);
      } else {
        startSection(headingSeverity(heading[1]));
      }
      continue;
    }

    const bullet = BULLET_RE.exec(raw);
    if (bullet) {
      const indent = bullet[1].replace(/\t/g, "    ").length;
      const content = bullet[2];
      const tagged = taggedContent(content);
      const current = last as { finding: Finding; indent: number } | null;
      if (sectionSeverity !== null) sectionHasItems = true;
      if (tagged) {
        push(makeFinding(tagged.severity, tagged.rest), indent);
      } else if (current !== null && indent > current.indent) {
        // Nested detail under a finding ("  - Fix: ..."): fold into its text.
        current.finding.text += ` ${content.trim()}`;
      } else if (sectionSeverity !== null && (sectionIndent === null || indent <= sectionIndent)) {
        sectionIndent ??= indent;
        push(makeFinding(sectionSeverity, content), indent);
      } else {
        last = null;
      }
      continue;
    }

    if (/^\s*\|/.test(raw)) {
      last = null;
      if (!/^\s*\|[\s|:\-]+$/.test(raw)) push(tableFinding(raw), 0);
      continue;
    }

    // Plain text from here on.
    const current = last as { finding: Finding; indent: number } | null;
    if (current !== null && /^\s/.test(raw)) {
      current.finding.text += ` ${raw.trim()}`;
      continue;
    }
    last = null;
    const plain = raw.replace(/^\s*(?:>\s*)*/, "");
    const bracketed = TAG_BRACKET_RE.test(plain) ? explicitSeverity(plain) : null;
    if (bracketed) {
      // Paragraph-style finding without a list marker: "[major] src/a.ts:3 — ...".
      push(makeFinding(bracketed.severity, bracketed.rest), 0);
      continue;
    }
    // A bold-only or "Label:" line can act as a section heading ("**Blockers**").
    const label = /^(\*\*|__)?([^*_:]{1,60}?)\1?\s*:?\s*(?:\*\*|__)?\s*$/.exec(plain);
    const labelSev = label ? headingSeverity(label[2]) : null;
    if (label && labelSev !== null && (label[1] !== undefined || /:\s*(?:\*\*|__)?\s*$/.test(plain))) {
      startSection(labelSev);
      continue;
    }
    // Prose after a section's list ends the section; prose before it is an intro.
    if (sectionHasItems) startSection(null);
  }
}
