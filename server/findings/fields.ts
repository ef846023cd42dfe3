// Labelled lines inside a finding block ("**File:** `src/db.ts:42`", "- Severity: High", "**Fix:** use parameters"):
// what each label means for the finding. Pure.
import { locationCell, withLineRangeOf } from "./location";
import { tagOf } from "./severity";
import type { Draft } from "./item";

type FieldKind = "location" | "line" | "severity" | "body" | "fix" | "title";

const KINDS: ReadonlyMap<string, FieldKind> = new Map<string, FieldKind>([
  ["file", "location"], ["files", "location"], ["location", "location"], ["where", "location"], ["path", "location"],
  ["line", "line"], ["lines", "line"], ["line number", "line"], ["line numbers", "line"], ["line range", "line"],
  ["severity", "severity"], ["priority", "severity"], ["title", "title"],
  ["issue", "body"], ["problem", "body"], ["description", "body"], ["details", "body"], ["why", "body"],
  ["impact", "body"], ["risk", "body"], ["evidence", "body"], ["explanation", "body"], ["reason", "body"],
  ["fix", "fix"], ["suggested fix", "fix"], ["suggestion", "fix"], ["recommendation", "fix"], ["proposed fix", "fix"],
  ["remedy", "fix"], ["recommended fix", "fix"],
]);

const FIELD_RE = new RegExp(
  String.raw`^\s*(?:[-*+\u2022]\s+)?(?:\*\*|__)?(${[...KINDS.keys()].sort((a, b) => b.length - a.length).join("|")})(?:\s*:\s*(?:\*\*|__)|(?:\*\*|__)\s*:|\s*:)\s*(.*)$`,
  "i",
);

export interface Field {
  kind: FieldKind;
  label: string;
  value: string;
}

export function readField(line: string): Field | null {
  const m = FIELD_RE.exec(line);
  if (!m) return null;
  const label = m[1]!.toLowerCase();
  return { kind: KINDS.get(label)!, label, value: m[2]!.trim() };
}

/** Applies a field to the draft; false when it told nothing (an empty value). */
export function applyField(d: Draft, field: Field): boolean {
  const value = field.value;
  if (value === "") return false;
  switch (field.kind) {
    case "location": {
      const loc = locationCell(value);
      if (!loc) return false;
      d.loc = { ...loc, ...(d.loc?.line !== undefined && loc.line === undefined ? { line: d.loc.line } : {}) };
      return true;
    }
    case "line": {
      return d.loc !== undefined && withLineRangeOf(d.loc, value);
    }
    case "severity": {
      const word = /[A-Za-z]+[0-3]?/.exec(value.replace(/[*_`[\]()]/g, ""));
      const tag = word ? tagOf(word[0]) : undefined;
      if (!tag) return false;
      d.severity = tag.severity;
      if (tag.priority !== undefined) d.priority = tag.priority;
      return true;
    }
    case "body":
      d.body.push(value);
      return true;
    case "title":
      d.title = value.replace(/^\*\*|\*\*$/g, "").trim();
      return true;
    case "fix":
      d.body.push(`Fix: ${value}`);
      return true;
  }
}
