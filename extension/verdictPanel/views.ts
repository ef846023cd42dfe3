// Turns → what the webview shows (labels, durations, finding locations, sanitized answer HTML). Pure.
import { EDITOR_CLIENT } from "../../server/protocol/constants";
import type { ErrorCode } from "../../server/protocol/errors";
import { Commands, type CommandId } from "../commandIds";
import { locationLabel, severityLabel } from "../review/findingText";
import type { FindingState, FindingView, LiveTurnView, ReviewView, TurnView } from "./protocol";
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

/** The button that fixes a failure, by its code (the message already says what to do). */
export const ERROR_ACTIONS: Partial<Record<ErrorCode, { label: string; command: CommandId }>> = {
  auth_required: { label: "Sign in to Codex", command: Commands.signIn },
  agent_missing: { label: "Install Codex Agent", command: Commands.installAgent },
  agent_start_failed: { label: "Show Log", command: Commands.showLog },
  agent_crashed: { label: "Show Log", command: Commands.showLog },
  unreachable: { label: "Restart Server", command: Commands.restartServer },
  timeout: { label: "Show Status", command: Commands.showStatus },
};

/** `state(index)`: how each finding stands in the editor when this turn is the latest review, else null. */
export function toTurnView(record: TurnRecord, render: (markdown: string) => string, state: (index: number) => FindingState | null = () => null): TurnView {
  const findings: FindingView[] = record.findings
    .map((finding, index) => {
      const standing = state(index);
      return {
        index,
        severity: finding.severity,
        label: severityLabel(finding),
        location: locationLabel(finding),
        title: finding.title,
        body: finding.body,
        // Outside the workspace or missing: listed, never opened.
        openable: Boolean(finding.file) && standing !== "outside" && standing !== "missing",
        state: standing,
      };
    })
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
    action: record.isError && record.errorCode ? (ERROR_ACTIONS[record.errorCode]?.label ?? null) : null,
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

const COUNTED: { label: string; states: readonly (FindingState | null)[] }[] = [
  { label: "open", states: ["open", "unplaced", "missing", "outside", null] },
  { label: "fix proposed", states: ["fix_proposed"] },
  { label: "fixed", states: ["fixed"] },
  { label: "dismissed", states: ["dismissed"] },
];

/** The latest review as the panel keeps it in view: its findings' states counted, and what Fix all would take. */
export function toReviewView(turn: TurnView, fixable: number): ReviewView {
  const counts = COUNTED.map(({ label, states }) => ({ label, n: turn.findings.filter((finding) => states.includes(finding.state)).length })).filter(({ n }) => n > 0);
  const total = turn.findings.length;
  const time = new Date(turn.finishedAt).toLocaleTimeString();
  return {
    turnId: turn.id,
    title: `${turn.toolLabel} · ${time}${turn.summary ? ` — ${turn.summary}` : ""}`,
    counts: total === 0 ? "no findings" : `${total === 1 ? "1 finding" : `${total} findings`}: ${counts.map(({ label, n }) => `${n} ${label}`).join(" · ")}`,
    findings: turn.findings,
    fixable,
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
