// Codex's findings block (```codex-fusion-findings … ```, see server/protocol/findingsReport.ts): found, checked
// against its schema, and cut out of the answer that people and models read. Every such block is removed, valid or
// not (it is addressed to the server, not to a reader); the last one that passes the check is the report. A block
// that never closes (a cut-off answer) is removed to the end. One pass over the lines; pure.
import { FINDINGS_FENCE, findingsReportSchema, type FindingsReport } from "../protocol/findingsReport";

const OPEN_RE = new RegExp(String.raw`^ {0,3}(\`{3,}|~{3,})\s*${FINDINGS_FENCE}\s*$`, "i");
const CLOSE_RE = /^ {0,3}(`{3,}|~{3,})\s*$/;

export interface SplitAnswer {
  /** The answer without any findings block (trailing blank lines trimmed where a block was cut). */
  answer: string;
  /** The last block that parsed and passed the schema check, else null. */
  report: FindingsReport | null;
  /** How many blocks there were (0: Codex wrote none). */
  blocks: number;
  /** Why the last block failed its check, when no block passed. */
  problem: string | null;
}

export function splitFindingsBlock(text: string): SplitAnswer {
  if (!text.toLowerCase().includes(FINDINGS_FENCE)) return { answer: text, report: null, blocks: 0, problem: null };
  const kept: string[] = [];
  let body: string[] | null = null;
  let fence = "";
  let report: FindingsReport | null = null;
  let problem: string | null = null;
  let blocks = 0;
  let afterCut = false;
  const close = () => {
    blocks += 1;
    const checked = check(body!.join("\n"));
    if (checked.ok) {
      report = checked.report;
      problem = null;
    } else if (report === null) problem = checked.problem;
    body = null;
  };
  for (const line of text.split("\n")) {
    const bare = line.endsWith("\r") ? line.slice(0, -1) : line;
    if (body !== null) {
      const end = CLOSE_RE.exec(bare);
      if (end && end[1]![0] === fence[0] && end[1]!.length >= fence.length) close();
      else body.push(bare);
      continue;
    }
    const open = OPEN_RE.exec(bare);
    if (open) {
      fence = open[1]!;
      body = [];
      afterCut = true;
      continue;
    }
    // The blank lines around a removed block fold into one.
    if (afterCut && line.trim() === "" && (kept.length === 0 || kept.at(-1)!.trim() === "")) continue;
    afterCut = afterCut && line.trim() === "";
    kept.push(line);
  }
  if (body !== null) {
    close();
    problem ??= report === null ? "the block was not closed" : null;
  }
  return { answer: kept.join("\n").trimEnd(), report, blocks, problem };
}

function check(json: string): { ok: true; report: FindingsReport } | { ok: false; problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { ok: false, problem: "its JSON did not parse" };
  }
  const result = findingsReportSchema.safeParse(parsed);
  if (result.success) return { ok: true, report: result.data };
  const issue = result.error.issues[0];
  return { ok: false, problem: `it did not match the schema (${issue ? `${issue.path.join(".") || "root"}: ${issue.message}` : "invalid"})` };
}
