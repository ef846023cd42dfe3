// How a finding reads in each place: its label ("P1 · major"), its location, the Problems message, the markdown of
// its inline thread, the context sent with "Ask Codex", the prompt handed to Claude Code, and the task of Fix all
// with Codex. Pure.
import type { Finding } from "../../server/protocol/results";
import { clip, oneLine } from "../../server/protocol/text";

/** "P1 · major", or "major" when Codex gave no priority. */
export function severityLabel(finding: Pick<Finding, "severity" | "priority">): string {
  return finding.priority !== undefined ? `P${finding.priority} · ${finding.severity}` : finding.severity;
}

/** "src/a.ts:12-14", "src/a.ts:12", "src/a.ts", or null without a file. */
export function locationLabel(finding: Pick<Finding, "file" | "line" | "endLine">): string | null {
  if (!finding.file) return null;
  if (finding.line === undefined) return finding.file;
  return `${finding.file}:${finding.line}${finding.endLine !== undefined && finding.endLine > finding.line ? `-${finding.endLine}` : ""}`;
}


/** One line for the Problems view: the title, then the body's start. */
export function diagnosticMessage(finding: Pick<Finding, "title" | "body">): string {
  const body = oneLine(finding.body);
  return clip(body ? `${finding.title} — ${body}` : finding.title, 600);
}

export interface ThreadFacts {
  /** Who reviewed: Codex's own reviewer (/review) or Codex Fusion's review prompt. */
  reviewer: "codex" | "prompt" | null;
  /** The code moved or changed since the review. */
  edited: boolean;
}

/** The first comment of a finding's thread (markdown; rendered without HTML or command links). */
export function threadMarkdown(finding: Finding, facts: ThreadFacts): string {
  const parts = [`**[${severityLabel(finding)}]** ${finding.title}`];
  if (finding.body.trim()) parts.push(finding.body.trim());
  const where = [locationLabel(finding), facts.reviewer === "codex" ? "Codex's own reviewer" : "Codex review"].filter(Boolean).join(" · ");
  parts.push(`*${where}${facts.edited ? " · the code here changed since the review" : ""}*`);
  return parts.join("\n\n");
}

/** What Codex is told about the finding a person asks about in its thread. */
export function askContext(finding: Finding): string {
  return [
    "The person asks about one finding of your last code review:",
    `[${severityLabel(finding)}] ${finding.title}${locationLabel(finding) ? ` — ${locationLabel(finding)}` : ""}`,
    ...(finding.body.trim() ? [finding.body.trim()] : []),
    "Answer their question about this finding; re-read the code if you need to.",
  ].join("\n");
}

/**
 * The prompt handed to Claude Code: one line (a terminal would submit at the first line break), with the file, the
 * lines and what Codex found, and the instruction to check before changing anything.
 */
export function claudePrompt(finding: Finding): string {
  const where = locationLabel(finding);
  const text = [
    `Codex reviewed this change and reported a ${severityLabel(finding)} finding${where ? ` in ${where}` : ""}: ${oneLine(finding.title)}.`,
    finding.body.trim() ? oneLine(finding.body) : "",
    "Check whether it is right; if it is, fix it with the smallest change and say what you changed; if it is not, say why and change nothing.",
  ]
    .filter(Boolean)
    .join(" ");
  return clip(text, 3000);
}

/** The task of "Fix all with Codex": the open findings of the review, numbered, fixed in one change. */
export function fixAllTask(findings: readonly Finding[]): string {
  const lines = findings.map((finding, i) => {
    const where = locationLabel(finding);
    const body = oneLine(finding.body);
    return clip(`${i + 1}. [${severityLabel(finding)}] ${oneLine(finding.title)}${where ? ` (${where})` : ""}${body ? `: ${body}` : ""}`, 1500);
  });
  return [
    `Codex reviewed this change and reported ${findings.length === 1 ? "1 open finding" : `${findings.length} open findings`}. Fix them in one change:`,
    ...lines,
    "For each, check whether it is right; if it is, fix it with the smallest change; if it is not, change nothing for it and say why. Say what you changed for each.",
  ].join("\n");
}
