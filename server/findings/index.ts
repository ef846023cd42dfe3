// Codex's answer → its verdict line and its review findings. Codex is asked for one exact finding format (see
// server/prompts.ts), and its own reviewer (/review) writes a fixed one, but models drift: this reads both and the
// common drift shapes (see scanner.ts), plus findings as JSON. It never throws, and its work grows linearly with the
// answer. Pure: no I/O.
//
// The regexes spell their dashes and bullets as escapes (\u2013 en dash, \u2014 em dash, \u2022 bullet, \u00B7 middle
// dot): esbuild escapes non-ASCII in strings but not in regex literals or String.raw, and one such character makes
// V8 hold the whole bundle as a two-byte string (~2 MB more memory, a slower read). esbuild.mjs refuses a bundle
// that is not ASCII.
import type { Finding, Severity } from "../protocol/results";
import type { Draft } from "./item";
import { jsonFindings } from "./json";
import { workspacePath } from "./location";
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
}

export const MAX_FINDINGS = 100;

export function parseAnswer(answer: unknown, options: ParseOptions = {}): ParsedAnswer {
  const result: ParsedAnswer = { verdict: null, verdictText: null, findings: [] };
  const text = typeof answer === "string" ? answer : "";
  const seen = new Set<string>();
  const add = (drafts: readonly Draft[]) => {
    for (const d of drafts) {
      if (result.findings.length >= MAX_FINDINGS) return;
      const finding = toFinding(d, options.workspace);
      if (!finding) continue;
      // The same finding twice (a review rendered twice, the JSON beside its rendering) is one finding.
      const key = `${finding.file ?? ""}|${finding.line ?? ""}|${finding.title.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.findings.push(finding);
    }
  };
  try {
    const scanned = scan(text);
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

function toFinding(d: Draft, workspace: string | undefined): Finding | null {
  let title = d.title.replace(/\s+/g, " ").replace(/\s*[\u2014\u2013:-]+$/, "").trim();
  // Emphasis cut in half by the title split ("Missing null check**").
  if ((title.match(/\*\*/g)?.length ?? 0) % 2 === 1) title = title.replace(/^\*\*|\*\*$/, "").trim();
  if (title === "") return null;
  const finding: Finding = { severity: d.severity, title, body: d.body.join("\n").trim() };
  if (d.priority !== undefined) finding.priority = d.priority;
  if (d.loc) {
    finding.file = workspacePath(d.loc.file, workspace);
    if (d.loc.line !== undefined) finding.line = d.loc.line;
    if (d.loc.line !== undefined && d.loc.endLine !== undefined && d.loc.endLine > d.loc.line) finding.endLine = d.loc.endLine;
  }
  return finding;
}
export { readAnswer, type ReadAnswer } from "./answer";
export { VisibleStream } from "./visibleStream";
