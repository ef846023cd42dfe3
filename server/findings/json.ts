// Findings as JSON: the object Codex's review task asks the model for — {"findings":[{"title","body","priority",
// "code_location":{"absolute_file_path","line_range":{"start","end"}}}], "overall_correctness", …} — when it shows up
// in an answer (the whole answer, or a ```json block), and the flat variants models write ({file, line, severity,
// title, message}). Pure; malformed JSON is ignored.
import type { Draft } from "./item";
import { readLocation, withRange, type Loc } from "./location";
import { normalizeLine } from "./normalize";
import { splitTitle } from "./text";
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

/** "src/a.ts:12", "src/a.ts:12-18", "src/a.ts#L12": a location string. */
function locationString(value: unknown): Loc | null {
  const text = str(value);
  return text ? (readLocation(text, 0)?.loc ?? null) : null;
}

function toDraft(value: unknown): Draft | null {
  const f = record(value);
  if (!f) return null;
  let text = str(f.title) ?? str(f.summary) ?? str(f.issue) ?? str(f.message) ?? str(f.description) ?? str(f.text) ?? str(f.body) ?? str(f.comment);
  if (!text) return null;
  // A review comment's body may open with its badge ("**![P1 Badge](…)  Title**"): the tag, then the title.
  text = normalizeLine(text.split("\n")[0]!).replace(/^\*\*(.*)\*\*$/, "$1").trim() || text;
  let title = text;
  // Codex's titles carry the priority as a tag: "[P1] Guard the empty list".
  const tag = readTag(title);
  if (tag && tag.strength === "strong") title = tag.rest.trim() || title;
  title = title.replace(/^\*\*(.*)\*\*$/, "$1").trim();
  const split = title.length > 160 ? splitTitle(title) : null;
  if (split) title = split.title;
  const priority = int(f.priority) ?? (f.priority === 0 ? 0 : undefined) ?? tag?.priority;
  const word = str(f.severity) ?? str(f.level) ?? str(f.impact);
  const rated = (word ? tagOf(word)?.severity : undefined) ?? (priority !== undefined ? severityOfPriority(priority) : undefined) ?? tag?.severity;
  const location = record(f.code_location) ?? record(f.location) ?? f;
  const range = record(location.line_range) ?? record(location.lines) ?? location;
  const listed = Array.isArray(f.files) ? locationString(f.files[0]) : null;
  const spelled = locationString(f.location) ?? locationString(f.file) ?? listed;
  const file = str(location.absolute_file_path) ?? str(location.file) ?? str(location.path) ?? str(location.file_path) ?? str(location.filename) ?? str(f.file) ?? str(f.path);
  const line = int(range.start) ?? int(range.line) ?? int(range.start_line) ?? int(range.line_start) ?? int(range.startLine) ?? int(f.line) ?? int(f.start_line) ?? int(f.line_start) ?? int(f.startLine);
  const end = int(range.end) ?? int(range.end_line) ?? int(range.line_end) ?? int(range.endLine) ?? int(f.end_line) ?? int(f.endLine) ?? int(f.line_end);
  const bodyText = [str(f.body), str(f.details), str(f.description), str(f.suggestion) ? `Fix: ${str(f.suggestion)}` : undefined].filter((b): b is string => b !== undefined && b !== text && b !== title);
  const d: Draft = { severity: rated ?? "major", title, body: bodyText.length > 0 ? [bodyText.join("\n\n")] : split?.body ? [split.body] : [] };
  if (!rated) d.unrated = true;
  if (priority !== undefined) d.priority = priority;
  if (spelled && (spelled.line !== undefined || line === undefined) && (!file || spelled.file === file || /[:#]/.test(file))) d.loc = spelled;
  else if (file) {
    d.loc = { file };
    withRange(d.loc, line, end);
  }
  return d;
}

const LOCATION_KEYS = ["severity", "priority", "code_location", "file", "path", "location", "files"];

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
  const looksLikeFinding = (item: unknown) => LOCATION_KEYS.some((key) => key in (record(item) ?? {}));
  // The findings list under its usual names, else the first list of finding-like objects.
  let list: unknown = object ? (object.findings ?? object.issues ?? object.comments ?? object.reviewComments ?? object.review_comments ?? object.problems) : parsed;
  if (object && !Array.isArray(list)) list = Object.values(object).find((v) => Array.isArray(v) && v.some(looksLikeFinding));
  if (!Array.isArray(list)) return null;
  const items = object && list === object.findings ? list : list.filter(looksLikeFinding);
  if (!object && items.length === 0) return null;
  return items.map(toDraft).filter((d): d is Draft => d !== null);
}
