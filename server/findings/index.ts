// Codex's answer → its verdict line and its review findings. Our prompts ask for a findings block (answer.ts reads it
// first; block.ts cuts it out); everything else — Codex's native review, other agents, AGENTS.md formats, drift — is
// read here without knowing the format (docs/adr/0021): candidate items of any markdown shape, a location from any
// path-like token (resolved against the workspace's tracked files when the caller passes them), levels from one
// vocabulary, one finding per file line. It never throws, and its work grows linearly with the answer. Pure: no I/O.
//
// The regexes spell their dashes and bullets as escapes (\u2013 en dash, \u2014 em dash, \u2022 bullet, \u00B7 middle
// dot): esbuild escapes non-ASCII in strings but not in regex literals or String.raw, and one such character makes
// V8 hold the whole bundle as a two-byte string (~2 MB more memory, a slower read). esbuild.mjs refuses a bundle
// that is not ASCII.
import type { Finding, Severity } from "../protocol/results";
import type { Draft } from "./item";
import { jsonFindings } from "./json";
import { workspacePath } from "./location";
import { fileIndex, resolvePath, type FileIndex } from "./resolve";
import { scan } from "./scanner";

export type { Finding, Severity };
export { collapseRepeat } from "./repeat";

export interface ParsedAnswer {
  verdict: "consensus" | "open" | null;
  verdictText: string | null;
  findings: Finding[];
}

export interface ParseOptions {
  /** The workspace's absolute path: finding paths inside it become relative to it. */
  workspace?: string;
  /**
   * The workspace's tracked files (workspace-relative, forward slashes), listed by the caller: a bare name or a diff
   * path ("b/src/a.ts") that names exactly one of them becomes that file.
   */
  files?: readonly string[];
  /** The answer is a review (review_diff): located items are findings even without a level. */
  review?: boolean;
}

export const MAX_FINDINGS = 100;

export function parseAnswer(answer: unknown, options: ParseOptions = {}): ParsedAnswer {
  const result: ParsedAnswer = { verdict: null, verdictText: null, findings: [] };
  const text = typeof answer === "string" ? answer : "";
  const seen = new Map<string, Finding>();
  const index = options.files && options.files.length > 0 ? fileIndex(options.files) : null;
  const add = (drafts: readonly Draft[]) => {
    for (const d of drafts) {
      if (result.findings.length >= MAX_FINDINGS) return;
      const finding = toFinding(d, options.workspace, index);
      if (!finding) continue;
      // The same finding twice (a summary table and its detail section, the JSON beside its rendering, a review
      // rendered twice) is one finding: the same line of the same file, else the same title there.
      const key = finding.file !== undefined && finding.line !== undefined ? `${finding.file}|${finding.line}` : `${finding.file ?? ""}||${finding.title.toLowerCase()}`;
      const first = seen.get(key);
      if (first) {
        merge(first, finding);
        continue;
      }
      seen.set(key, finding);
      result.findings.push(finding);
    }
  };
  try {
    const scanned = scan(text, { review: options.review === true });
    result.verdict = scanned.verdict;
    result.verdictText = scanned.verdictText;
    add(scanned.drafts);
    const whole = text.trim();
    for (const candidate of [...scanned.json, ...(/^\{[^]*\}$/.test(whole) ? [whole] : [])]) add(jsonFindings(candidate) ?? []);
  } catch {
    // Tolerant by contract: keep whatever was parsed before the failure.
  }
  return result;
}

/** What the second statement of a finding adds to the first: a longer explanation, the end line, the priority. */
function merge(first: Finding, again: Finding): void {
  if (again.body.length > first.body.length) first.body = again.body;
  if (first.endLine === undefined && again.endLine !== undefined) first.endLine = again.endLine;
  if (first.priority === undefined && again.priority !== undefined) first.priority = again.priority;
}

function toFinding(d: Draft, workspace: string | undefined, index: FileIndex | null): Finding | null {
  let title = d.title.replace(/\s+/g, " ").replace(/\s*[\u2014\u2013:-]+$/, "").trim();
  // Emphasis cut in half by the title split ("Missing null check**").
  if ((title.match(/\*\*/g)?.length ?? 0) % 2 === 1) title = title.replace(/^\*\*|\*\*$/, "").trim();
  if (title === "") return null;
  const finding: Finding = { severity: d.severity, title, body: d.body.join("\n").trim() };
  if (d.priority !== undefined) finding.priority = d.priority;
  if (d.loc) {
    const file = workspacePath(d.loc.file, workspace);
    finding.file = (index ? resolvePath(file, index) : null) ?? file;
    if (d.loc.line !== undefined) finding.line = d.loc.line;
    if (d.loc.line !== undefined && d.loc.endLine !== undefined && d.loc.endLine > d.loc.line) finding.endLine = d.loc.endLine;
  }
  return finding;
}
export { readAnswer, type ReadAnswer } from "./answer";
export { VisibleStream } from "./visibleStream";
