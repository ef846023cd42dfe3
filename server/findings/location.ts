// Where a finding points: a file (a path with an extension or a slash, or a well-known file name) and an optional
// line or line range, in the shapes models write — `src/a.ts:12`, `src/a.ts:12-14`, `a.ts#L12-L14`, `a.ts:L12`,
// "src/a.ts (line 12)", "src/a.ts, lines 3–5", "[src/a.ts:12](src/a.ts#L12)", "line 12 of `src/a.ts`", absolute
// paths and `file://` URLs. Everything reads one whitespace-delimited token and a bounded look-ahead at a time, so
// the work stays linear in the length of the text. Pure.
import nodePath from "node:path";
import { relativeInside, toSlashes } from "../protocol/wording";

export interface Loc {
  file: string;
  line?: number;
  endLine?: number;
}

export interface LocMatch {
  loc: Loc;
  start: number;
  end: number;
  /** Backticks or a markdown link around it: a path without a line number is then still trusted. */
  marked: boolean;
}

const MAX_TOKEN = 400;

// A path with an extension: optional root (file://, C:\, /, ~/, ./, ../), segments, a name ending in .ext.
const EXT_PATH = /^(?:[A-Za-z]:[\\/]|\/|~\/|\.{1,2}[\\/])?(?:[\w@.~+\-]+[\\/])*[\w@.~+\-]*\w\.[A-Za-z][\w]{0,9}$/;
// A path without an extension: at least one slash.
const DIR_PATH = /^(?:[A-Za-z]:[\\/]|\/|~\/|\.{1,2}[\\/])?(?:[\w@.~+\-]+[\\/])+[\w@.~+\-]*[\w]$/;
const KNOWN_NAMES = /^(?:.*[\\/])?(?:Makefile|GNUmakefile|Dockerfile|Containerfile|Gemfile|Rakefile|Procfile|Jenkinsfile|Vagrantfile|Justfile|Brewfile|CODEOWNERS|LICENSE|BUILD|WORKSPACE)$/;
const NOT_PATHS = new Set(["e.g", "i.e", "a.k.a", "etc", "vs", "n.b", "cf"]);
const EMAIL = /^[\w.+-]+@[\w-]+\.[\w.]+$/;

type PathKind = "ext" | "dir" | "name";

function pathKind(path: string): PathKind | null {
  if (path.length < 2 || path.length > MAX_TOKEN) return null;
  // Most words of an answer: no dot, no slash, not a well-known file name.
  if (!/[./\\]/.test(path)) return KNOWN_NAMES.test(path) ? "name" : null;
  if (/:\/\//.test(path) || /^www\./i.test(path) || EMAIL.test(path)) return null;
  if (NOT_PATHS.has(path.toLowerCase().replace(/\.$/, ""))) return null;
  if (!/[A-Za-z]/.test(path)) return null;
  if (EXT_PATH.test(path)) return "ext";
  if (KNOWN_NAMES.test(path)) return "name";
  if (DIR_PATH.test(path)) return "dir";
  return null;
}

// path + one of ":12", ":12:5", ":12-14", ":12:5-14:2", "#L12", "#L12-L14", "#L12C3-L14C1", ":L12", ":L12-L14"
const TOKEN_RE =
  /^(.+?)(?::(\d+)(?::\d+)?(?:\s*[-\u2013]\s*L?(\d+)(?::\d+)?)?|#L(\d+)(?:C\d+)?(?:-L?(\d+)(?:C\d+)?)?|:L(\d+)(?:-L?(\d+))?)?$/;
const TOKEN_CHARS = /[^\s`*\[\]()<>"'|,;]+/y;
const OPEN = /[*_`\["'(]{0,5}/y;
const CLOSE = /[*_`\]"')]{0,5}/y;
const LINK_TARGET = /\(([^)\s]{0,400})\)/y;
const AFTER_SUFFIX = /:(\d+)(?::\d+)?(?:\s*[-\u2013]\s*L?(\d+))?/y;
const LINE_WORD = String.raw`(?:lines?\s*|l\.\s*|ln\.?\s*|L(?=\d))(\d+)(?:\s*(?:-|\u2013|\u2014|to|through)\s*L?(\d+))?`;
const PAREN_LINES = new RegExp(String.raw`\s*\(\s*(?:at\s+|on\s+)?${LINE_WORD}\s*\)`, "iy");
const PLAIN_LINES = new RegExp(String.raw`(?:\s*,\s*|\s+(?:at|on)\s+|\s+)${LINE_WORD}`, "iy");

function num(...candidates: (string | undefined)[]): number | undefined {
  for (const c of candidates) {
    if (c === undefined) continue;
    const n = Number.parseInt(c, 10);
    if (Number.isSafeInteger(n) && n > 0) return n;
  }
  return undefined;
}

function sticky(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/** Sets a location's line and, when it ends later, its end line. */
export function withRange(loc: Loc, line: number | undefined, end: number | undefined): void {
  if (line === undefined) return;
  loc.line = line;
  if (end !== undefined && end > line) loc.endLine = end;
}

const LINE_RANGE = /(\d+)(?:\s*[-\u2013]\s*(\d+))?/;

/** The first "12" or "12-14" in a cell or field value, onto `loc`; false when there is none. */
export function withLineRangeOf(loc: Loc, text: string): boolean {
  const m = LINE_RANGE.exec(text);
  if (!m) return false;
  withRange(loc, Number(m[1]), m[2] === undefined ? undefined : Number(m[2]));
  return true;
}

// A GitHub/GitLab permalink to a file: its path after /blob/<ref>/ (the #L anchor is read like any other).
const BLOB_URL = /^https?:\/\/[^/\s]+\/[^/\s]+\/[^/\s]+\/(?:-\/)?blob\/[^/\s]+\/(.+)$/;
// "(18-21)" or "(40)" after a path: the lines (a count such as CodeRabbit's "(1)" is overridden by the items' lines).
const PAREN_RANGE = /\s*\((\d+)(?:\s*[-\u2013]\s*(\d+))?\)/y;
const BACKTICKED = /`([^`\n]{1,400})`/y;
const LINK = /\[([^\]\n]{0,400})\]\(([^)\s]{1,1000})\)/y;

/** Percent-decoding of a file:// URI; the text as it is when it does not decode. */
function decoded(file: string): string {
  if (!/^file:\/\//i.test(file)) return file;
  const path = file.replace(/^file:\/\//i, "");
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** A path token (with its line suffix) as a location and whether it is a path without an extension, or null. */
function tokenLocation(raw: string, spaced: boolean): { loc: Loc; dir: boolean } | null {
  const blob = BLOB_URL.exec(raw);
  const parts = TOKEN_RE.exec(blob ? blob[1]! : raw.replace(/:N\/A$/i, ""));
  if (!parts) return null;
  const file = decoded(parts[1]!);
  const kind = spaced || file.includes(" ") ? (/\S\.[A-Za-z][\w]{0,9}$/.test(file) && !/^\s|\s$|\s{2}/.test(file) && pathKind(file.replace(/ /g, "_")) !== null ? "ext" : null) : pathKind(file);
  if (!kind) return null;
  const loc: Loc = { file };
  withRange(loc, num(parts[2], parts[4], parts[6]), num(parts[3], parts[5], parts[7]));
  return { loc, dir: kind === "dir" };
}

/** The location starting at `at` (after optional emphasis, backticks or brackets), or null. */
export function readLocation(text: string, at: number): LocMatch | null {
  // A markdown link: its target is the place ("[retry.ts](src/http/retry.ts#L40-L52)"), else its text.
  const link = text[at] === "[" || (text[at] === "*" && text.slice(at, at + 4).includes("[")) ? sticky(LINK, text, at + (text[at] === "[" ? 0 : text.indexOf("[", at) - at)) : null;
  if (link) {
    const linked = tokenLocation(link[2]!.replace(/^<|>$/g, ""), false);
    const target = linked && !(linked.dir && linked.loc.line === undefined) ? linked.loc : null;
    if (target) {
      let i = (link.index ?? at) + link[0].length;
      i += sticky(CLOSE, text, i)![0].length;
      if (target.line === undefined) {
        const inner = readLocation(link[1]!, 0);
        if (inner?.loc.line !== undefined) withRange(target, inner.loc.line, inner.loc.endLine);
      }
      return { loc: target, start: at, end: i, marked: true };
    }
  }
  let i = at;
  const open = sticky(OPEN, text, i)!;
  i += open[0].length;
  let marked = /[`[]/.test(open[0]);
  // A path with spaces in backticks ("`src/ui/Order Form.tsx:12`").
  const quoted = open[0].endsWith("`") ? sticky(BACKTICKED, text, i - 1) : null;
  let loc: Loc | null = null;
  let dir = false;
  if (quoted && quoted[1]!.includes(" ")) {
    loc = tokenLocation(quoted[1]!.trim(), true)?.loc ?? null;
    if (loc) i = i - 1 + quoted[0].length - 1;
  }
  if (!loc) {
    const token = sticky(TOKEN_CHARS, text, i);
    if (!token || token[0].length > MAX_TOKEN) return null;
    // Sentence punctuation after a location is not part of it ("see src/a.ts:12.").
    const raw = token[0].replace(/[.:!?]+$/, "");
    const found = tokenLocation(raw, false);
    if (!found) return null;
    loc = found.loc;
    dir = found.dir;
    i += raw.length;
  }
  const close = sticky(CLOSE, text, i)!;
  if (/[`\]]/.test(close[0])) marked = true;
  i += close[0].length;
  if (open[0].includes("[") && close[0].includes("]")) {
    const target = sticky(LINK_TARGET, text, i);
    if (target) {
      i += target[0].length;
      const anchor = /#L(\d+)(?:-L?(\d+))?$/.exec(target[1]!);
      if (loc.line === undefined && anchor) withRange(loc, num(anchor[1]), num(anchor[2]));
    }
  }
  if (loc.line === undefined) {
    const suffix = sticky(AFTER_SUFFIX, text, i) ?? sticky(PAREN_LINES, text, i) ?? sticky(PLAIN_LINES, text, i) ?? sticky(PAREN_RANGE, text, i);
    if (suffix) {
      withRange(loc, num(suffix[1]), num(suffix[2]));
      i += suffix[0].length;
      i += sticky(CLOSE, text, i)![0].length;
    }
  }
  // A path without an extension is only a location with a line number or in backticks.
  if (dir && loc.line === undefined && !marked) return null;
  return { loc, start: at, end: i, marked };
}

const SEPARATOR = /\s*(?::|\u2014|\u2013|--|-(?=\s)|\||,)\s*/y;

/** A location at the very start of `text`, and the text after it (and after a separator, if any). */
export function leadingLocation(text: string): { loc: Loc; rest: string; marked: boolean; separated: boolean } | null {
  const m = readLocation(text, 0);
  if (!m) return null;
  const sep = sticky(SEPARATOR, text, m.end);
  const rest = text.slice(m.end + (sep ? sep[0].length : 0));
  const atEnd = rest.trim() === "";
  // Without a line number, a bare path must be clearly marked up or set off by a separator ("README.md — typo").
  if (m.loc.line === undefined && !m.marked && !sep && !atEnd) return null;
  return { loc: m.loc, rest, marked: m.marked, separated: sep !== null };
}

const TRAILING_SEPARATORS = [" — ", " – ", " -- ", " - "];

/** "Title — src/a.ts:12-14" (Codex's review format, ours) or "Title (`src/a.ts:12`)": the location at the end. */
export function trailingLocation(text: string): { loc: Loc; before: string } | null {
  const t = text.replace(/[\s.]+$/, "");
  let best = -1;
  let sepLen = 0;
  for (const sep of TRAILING_SEPARATORS) {
    const at = t.lastIndexOf(sep);
    if (at > best) {
      best = at;
      sepLen = sep.length;
    }
  }
  if (best > 0) {
    const m = readLocation(t, best + sepLen);
    if (m && t.slice(m.end).trim() === "") return { loc: m.loc, before: t.slice(0, best).trim() };
  }
  const paren = t.lastIndexOf("(");
  if (paren > 0 && t.endsWith(")")) {
    const inner = /^\((?:in|at|see)?\s*/.exec(t.slice(paren))!;
    const m = readLocation(t, paren + inner[0].length);
    if (m && /^\s*\)?$/.test(t.slice(m.end))) return { loc: m.loc, before: t.slice(0, paren).trim() };
  }
  return null;
}

const LINE_OF = /\blines?\s+(\d+)(?:\s*[-\u2013]\s*(\d+))?\s+(?:of|in)\s+/gi;

/**
 * A location anywhere in the text: the first one with a line number ("the loop in src/a.ts:12", "in `src/a.ts`
 * (line 12)", "line 12 of `src/a.ts`"), else the first path in backticks or a link.
 */
export function findLocation(text: string): Loc | null {
  let markedOnly: Loc | null = null;
  const tokens = /\S+/g;
  for (let m = tokens.exec(text); m; m = tokens.exec(text)) {
    const found = readLocation(text, m.index);
    if (!found) continue;
    if (found.loc.line !== undefined) return found.loc;
    markedOnly ??= found.marked ? found.loc : null;
    if (found.end > tokens.lastIndex) tokens.lastIndex = found.end;
  }
  LINE_OF.lastIndex = 0;
  for (let m = LINE_OF.exec(text); m; m = LINE_OF.exec(text)) {
    const found = readLocation(text, m.index + m[0].length);
    if (found) {
      const loc: Loc = { file: found.loc.file };
      withRange(loc, num(m[1]), num(m[2]));
      return loc;
    }
  }
  return markedOnly;
}

/** A table cell or field value that is a location ("`src/a.ts:12`", "src/a.ts, line 12"), else null. */
export function locationCell(text: string): Loc | null {
  const t = text.trim();
  const m = readLocation(t, 0);
  if (m && /^[\s.,;)]*$/.test(t.slice(m.end))) return m.loc;
  return findLocation(t);
}

/**
 * A path as the finding keeps it: workspace-relative with forward slashes when it is inside the workspace (the
 * agent reports absolute paths; `..` segments are resolved first, so `/ws/a/../../etc/x` is not inside), else as
 * given. `file://` and a leading "./" are dropped.
 */
export function workspacePath(file: string, workspace: string | undefined): string {
  let f = file.replace(/^file:\/\//, "");
  if (/^\/[A-Za-z]:\//.test(f)) f = f.slice(1); // file:///C:/…
  if (workspace) {
    const p = /^[A-Za-z]:[\\/]/.test(workspace) ? nodePath.win32 : nodePath.posix;
    const rel = relativeInside(workspace, f, p);
    if (rel !== null && rel !== "") return toSlashes(rel, p);
  }
  return f.replace(/^\.\/(?=.)/, "");
}
