// Findings written as attributes: the Codex app's `::code-comment{title="…" body="…" file="…" start=12 end=15
// priority=1}` directive, and the key=value lines an AGENTS.md may ask for (`file=src/a.ts start=12 severity=high`).
// Pure.
import type { Draft } from "./item";
import { withRange } from "./location";
import { severityOfPriority, tagOf } from "./severity";
import { readTag } from "./tags";
import { splitTitle } from "./text";

const PAIR = /\b([A-Za-z_]{1,20})=(?:"((?:[^"\\]|\\.){0,20000})"|'([^']{0,20000})'|([^\s"'}]{1,1000}))/g;
const DIRECTIVE = /^\s*::code-comment\{(.*)\}\s*$/;

export function readAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(PAIR)) {
    const key = m[1]!.toLowerCase();
    if (!out.has(key)) out.set(key, m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : (m[3] ?? m[4]!));
  }
  return out;
}

function int(value: string | undefined): number | undefined {
  const n = value === undefined ? NaN : Number.parseInt(value, 10);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** A finding from attributes that name a file and a title or body, else null. */
export function attributeFinding(attrs: Map<string, string>): Draft | null {
  const file = attrs.get("file") ?? attrs.get("path");
  let title = attrs.get("title") ?? attrs.get("message") ?? attrs.get("summary");
  const body = attrs.get("body") ?? attrs.get("description") ?? "";
  if (!file || (!title && !body)) return null;
  let priority = int(attrs.get("priority"));
  if (priority !== undefined && priority > 3) priority = undefined;
  let severity = attrs.get("severity") ? tagOf(attrs.get("severity")!)?.severity : undefined;
  if (!title) {
    const split = splitTitle(body);
    title = split.title;
  }
  const tag = readTag(title);
  if (tag?.strength === "strong") {
    title = tag.rest.trim() || title;
    priority ??= tag.priority;
    severity ??= tag.severity;
  }
  const d: Draft = { severity: severity ?? (priority !== undefined ? severityOfPriority(priority) : "major"), title, body: body && body !== title ? [body] : [] };
  if (priority !== undefined) d.priority = priority;
  if (severity === undefined && priority === undefined) d.unrated = true;
  const range = (attrs.get("line_range") ?? attrs.get("lines") ?? "").split(/[-\u2013]/);
  d.loc = { file };
  withRange(d.loc, int(attrs.get("start") ?? attrs.get("line") ?? attrs.get("line_start") ?? attrs.get("start_line") ?? range[0]) || undefined, int(attrs.get("end") ?? attrs.get("line_end") ?? attrs.get("end_line") ?? range[1]) || undefined);
  return d;
}

/** The finding a `::code-comment{…}` line holds, or null for any other line. */
export function directiveFinding(line: string): Draft | null {
  if (!line.includes("::code-comment{")) return null;
  const m = DIRECTIVE.exec(line);
  return m ? attributeFinding(readAttributes(m[1]!)) : null;
}

/** A key=value finding line ("title=\"…\" file=src/a.ts start=12 severity=high"), else null. */
export function keyValueFinding(text: string): Draft | null {
  if (!/\b(?:file|path)=/.test(text)) return null;
  const attrs = readAttributes(text);
  return attrs.has("title") || attrs.has("message") ? attributeFinding(attrs) : null;
}
