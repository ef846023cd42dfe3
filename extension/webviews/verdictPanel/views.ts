// Turns → what the webview shows (labels, durations, finding locations, sanitized answer HTML). Pure.
import { EDITOR_CLIENT } from "../../../server/protocol/constants";
import type { FindingView, LiveTurnView, TurnView } from "./protocol";
import type { LiveTurn, TurnRecord } from "./turns";

const TOOL_LABELS: Record<string, string> = {
  consult: "Consult",
  review_plan: "Plan review",
  review_diff: "Diff review",
  brainstorm: "Brainstorm",
  explore: "Explore",
  reply: "Reply",
};

const SEVERITY_ORDER = { blocker: 0, major: 1, minor: 2 } as const;

export function toolLabel(tool: string): string {
  return TOOL_LABELS[tool] ?? tool;
}

/** MCP client names as people know them. */
export function clientLabel(client: string | null): string {
  if (!client) return "unknown client";
  if (client === EDITOR_CLIENT) return "you (VS Code)";
  if (/^claude[-_ ]?code$/i.test(client)) return "Claude Code";
  if (/^visual studio code$|^vscode$/i.test(client)) return "VS Code agent mode";
  return client;
}

export function toLiveView(live: LiveTurn, waitingFor: string | null): LiveTurnView {
  return {
    id: live.id,
    toolLabel: toolLabel(live.tool),
    client: clientLabel(live.client),
    summary: live.summary,
    startedAt: live.startedAt,
    answerTail: live.answerTail,
    thoughtTail: live.thoughtTail,
    activity: live.activity.slice(-8),
    waitingFor,
  };
}

export function toTurnView(record: TurnRecord, render: (markdown: string) => string): TurnView {
  const findings: FindingView[] = record.findings
    .map((finding, index) => ({
      index,
      severity: finding.severity,
      location: finding.file ? `${finding.file}${finding.line !== undefined ? `:${finding.line}` : ""}` : null,
      text: finding.text,
      openable: Boolean(finding.file),
    }))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.index - b.index);
  return {
    id: record.id,
    toolLabel: toolLabel(record.tool),
    client: clientLabel(record.client),
    summary: record.summary,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    isError: record.isError,
    error: record.error,
    verdict: record.verdict,
    verdictText: record.verdictText,
    answerHtml: record.answer ? render(record.answer) : "",
    hasAnswer: record.answer.length > 0,
    findings,
    meta: metaLine(record),
    notes: record.notes,
    activity: record.activity,
  };
}

export function metaLine(record: Pick<TurnRecord, "durationMs" | "tokens" | "stopReason">): string {
  const parts = [formatDuration(record.durationMs)];
  if (record.tokens) parts.push(`${record.tokens.toLocaleString("en-US")} tokens`);
  if (record.stopReason && record.stopReason !== "end_turn") parts.push(record.stopReason.replace(/_/g, " "));
  return parts.join(" · ");
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
