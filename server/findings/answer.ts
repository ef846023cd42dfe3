// The whole reading of a finished (or paused) answer: Codex's findings block first — schema-checked, then cut out of
// the text people and models read — and the free reader of the text when there is no valid block. The result says
// which was used. Pure.
import type { FindingsReport } from "../protocol/findingsReport";
import type { Finding, FindingsSource } from "../protocol/results";
import { splitFindingsBlock } from "./block";
import { parseAnswer, type ParseOptions, type ParsedAnswer } from "./index";
import { workspacePath } from "./location";

export interface ReadAnswer extends ParsedAnswer {
  /** The answer without the findings block. */
  answer: string;
  findingsSource: FindingsSource;
  /** Set when Codex wrote a findings block that could not be used, and why (its findings were read from the text). */
  blockProblem: string | null;
}

export function readAnswer(text: string, options: ParseOptions = {}): ReadAnswer {
  const split = splitFindingsBlock(text);
  const read = parseAnswer(split.answer, options);
  const blockProblem = split.report === null && split.blocks > 0 ? split.problem : null;
  if (split.report) {
    return {
      answer: split.answer,
      verdict: read.verdict ?? split.report.verdict ?? null,
      verdictText: read.verdictText,
      findings: reportFindings(split.report, options.workspace),
      findingsSource: "block",
      blockProblem,
    };
  }
  return { ...read, answer: split.answer, findingsSource: read.findings.length > 0 ? "text" : "none", blockProblem };
}

function reportFindings(report: FindingsReport, workspace: string | undefined): Finding[] {
  return report.findings.map((f) => {
    const finding: Finding = { severity: f.severity, title: f.title.replace(/\s+/g, " "), body: f.body.trim(), file: workspacePath(f.file, workspace), line: f.line };
    if (f.priority !== undefined) finding.priority = f.priority;
    if (f.endLine !== undefined && f.endLine > f.line) finding.endLine = f.endLine;
    return finding;
  });
}
