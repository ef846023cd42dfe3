// Findings as JSON: the object Codex's review task asks the model for — {"findings":[{"title","body","priority",
// "code_location":{"absolute_file_path","line_range":{"start","end"}}}], "overall_correctness", …} — when it shows up
// in an answer (the whole answer, or a ```json block), and the flat variants models write ({file, line, severity,
// title, message}). Pure; malformed JSON is ignored.
import type { Draft } from "./item";
import { withRange } from "./location";
import { severityOfPriority, tagOf } from "./severity";
import { readTag } from "./tags";

/** The most JSON text read for findings (in fences, or a whole JSON answer). */
export const MAX_JSON_CHARS = 2_000_000;

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

function int(value: unknown): number | undefined {
  const n = typeof value === "string" ? Number(value) : value;
  return typeof n === "number" && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function toDraft(value: unknown): Draft | null {
  const f = record(value);
  if (!f) return null;
  let title = str(f.title) ?? str(f.summary) ?? str(f.message) ?? str(f.description) ?? str(f.text);
  if (!title) return null;
  // Codex's titles carry the priority as a tag: "[P1] Guard the empty list".
  const tag = readTag(title);
  if (tag && tag.strength === "strong") title = tag.rest.trim() || title;
  const priority = int(f.priority) ?? (f.priority === 0 ? 0 : undefined) ?? tag?.priority;
  const word = str(f.severity) ?? str(f.level);
  const severity = (word ? tagOf(word)?.severity : undefined) ?? (priority !== undefined ? severityOfPriority(priority) : undefined) ?? tag?.severity ?? "major";
  const location = record(f.code_location) ?? record(f.location) ?? f;
  const range = record(location.line_range) ?? record(location.lines) ?? location;
  const file = str(location.absolute_file_path) ?? str(location.file) ?? str(location.path) ?? str(location.file_path) ?? str(f.file);
  const line = int(range.start) ?? int(range.line) ?? int(range.start_line) ?? int(f.line);
  const end = int(range.end) ?? int(range.end_line) ?? int(f.end_line) ?? int(f.endLine);
  const body = str(f.body) ?? (title !== str(f.description) ? str(f.description) : undefined) ?? str(f.details);
  const d: Draft = { severity, title, body: body ? [body] : [] };
  if (priority !== undefined) d.priority = priority;
  if (file) {
    d.loc = { file };
    withRange(d.loc, line, end);
  }
  return d;
}

/** The findings of one JSON text, or null when it is not a findings object. */
export function jsonFindings(text: string): Draft[] | null {
  const t = text.trim();
  if (t.length > MAX_JSON_CHARS || !/^[{[]/.test(t)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch {
    return null;
  }
  const object = record(parsed);
  // A bare array counts only when its items look like findings (a severity, a priority or a code location).
  const list = object ? object.findings : Array.isArray(parsed) ? parsed.filter((item) => ["severity", "priority", "code_location"].some((key) => key in (record(item) ?? {}))) : undefined;
  if (!Array.isArray(list) || (!object && list.length === 0)) return null;
  return list.map(toDraft).filter((d): d is Draft => d !== null);
}
