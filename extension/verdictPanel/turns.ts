// The turns the verdict panel shows: those in progress, oldest first (from turnStarted / turnProgress / serverState;
// several run side by side on forked sessions), and the finished ones of this workspace, newest first and bounded. Pure (no vscode): persistence and the webview live
// elsewhere.
import type { Finding, Reviewer, Severity, TurnResult } from "../../server/protocol/results";
import type { ControlEvent } from "../../server/protocol/control";
import { isErrorCode, type ErrorCode } from "../../server/protocol/errors";
import { EDITOR_CLIENT } from "../../server/protocol/constants";

export interface LiveTurn {
  id: string;
  tool: string;
  client: string | null;
  summary: string;
  startedAt: number;
  answerTail: string;
  thoughtTail: string;
  activity: string[];
}

/** A finished turn as the panel keeps it: the result's parts it shows, plus who asked and how it ended. */
export interface TurnRecord extends Pick<TurnResult, "answer" | "verdict" | "verdictText" | "findings" | "stopReason" | "durationMs"> {
  id: string;
  tool: string;
  client: string | null;
  summary: string;
  startedAt: number;
  finishedAt: number;
  isError: boolean;
  error: string | null;
  /** Why it failed, for the panel's fix button. */
  errorCode: ErrorCode | null;
  /** review_diff: Codex's own reviewer or our prompt. */
  reviewer: Reviewer | null;
  /** Total tokens, when the agent reported them. */
  tokens: number | null;
  notes: string[];
  activity: string[];
}

export const HISTORY_LIMIT = 50;
/** Bounds what one turn keeps in workspace state. */
export const MAX_ANSWER_CHARS = 100_000;
const MAX_ACTIVITY = 30;
const MAX_FINDINGS = 200;
const MAX_NOTES = 20;

export type TurnsChange = "live" | "history" | null;

export class TurnsModel {
  private liveTurns: LiveTurn[] = [];
  private records: TurnRecord[];
  private failures = 0;

  constructor(
    history: readonly TurnRecord[] = [],
    private readonly limit = HISTORY_LIMIT,
    private readonly now: () => number = Date.now,
  ) {
    this.records = history.slice(0, limit);
  }

  /** The oldest turn in progress (the panel's main live view). */
  get live(): LiveTurn | null {
    return this.liveTurns[0] ?? null;
  }

  /** Every turn in progress, oldest first. */
  get lives(): readonly LiveTurn[] {
    return this.liveTurns;
  }

  /** Newest first. */
  get history(): readonly TurnRecord[] {
    return this.records;
  }

  find(id: string): TurnRecord | undefined {
    return this.records.find((record) => record.id === id);
  }

  /** Applies one control event; says what changed. */
  apply(event: ControlEvent): TurnsChange {
    switch (event.type) {
      case "turnStarted":
        this.liveTurns = [
          ...this.liveTurns.filter((turn) => turn.id !== event.id),
          { id: event.id, tool: event.tool, client: event.client, summary: event.summary, startedAt: event.startedAt, answerTail: "", thoughtTail: "", activity: [] },
        ];
        return "live";
      case "turnProgress": {
        const live = this.liveTurns.find((turn) => turn.id === event.id);
        if (!live) return null;
        live.answerTail = event.answerTail;
        live.thoughtTail = event.thoughtTail;
        if (event.activity && live.activity.at(-1) !== event.activity) {
          live.activity.push(event.activity);
          if (live.activity.length > MAX_ACTIVITY) live.activity.splice(0, live.activity.length - MAX_ACTIVITY);
        }
        return "live";
      }
      case "turnFinished": {
        const started = this.liveTurns.find((turn) => turn.id === event.id) ?? null;
        if (started) this.liveTurns = this.liveTurns.filter((turn) => turn !== started);
        const finishedAt = this.now();
        const result = event.result;
        const record: TurnRecord = {
          id: event.id,
          tool: event.tool,
          client: event.client,
          summary: event.summary,
          startedAt: started?.startedAt ?? finishedAt - (result?.durationMs ?? 0),
          finishedAt,
          isError: event.isError,
          error: event.error,
          errorCode: event.errorCode,
          reviewer: result?.reviewer ?? null,
          answer: clipAnswer(result?.answer ?? ""),
          verdict: result?.verdict ?? null,
          verdictText: result?.verdictText ?? null,
          findings: (result?.findings ?? []).slice(0, MAX_FINDINGS),
          stopReason: result?.stopReason ?? "",
          durationMs: result?.durationMs ?? 0,
          tokens: result?.tokens?.total ?? (result?.tokens ? (result.tokens.input ?? 0) + (result.tokens.output ?? 0) || null : null),
          notes: [...(result?.contextNote ? [result.contextNote] : []), ...(result?.notes ?? [])].slice(0, MAX_NOTES),
          activity: event.activity.slice(-MAX_ACTIVITY),
        };
        this.records = [record, ...this.records.filter((r) => r.id !== record.id)].slice(0, this.limit);
        return "history";
      }
      case "serverState": {
        // The server's list is the truth: turns that ended without a turnFinished (the agent died) go, turns that
        // started before we were listening (a reload mid-turn) come.
        const running = event.status.turns ?? (event.status.turn ? [event.status.turn] : []);
        const known = new Map(this.liveTurns.map((turn) => [turn.id, turn]));
        const next = running.map(
          (turn) => known.get(turn.id) ?? { id: turn.id, tool: turn.tool, client: turn.client, summary: turn.summary ?? "", startedAt: this.now() - turn.elapsedMs, answerTail: "", thoughtTail: "", activity: [] },
        );
        const same = next.length === this.liveTurns.length && next.every((turn, i) => turn === this.liveTurns[i]);
        this.liveTurns = next;
        return same ? null : "live";
      }
      default:
        return null;
    }
  }

  /** An ask of the editor's that failed before any turn started (not signed in, no agent): a record with its fix. */
  fail(failure: { tool: string; summary: string; message: string; code: ErrorCode | null }): TurnsChange {
    const at = this.now();
    const record: TurnRecord = {
      id: `failed-${at}-${++this.failures}`,
      tool: failure.tool,
      client: EDITOR_CLIENT,
      summary: failure.summary,
      startedAt: at,
      finishedAt: at,
      isError: true,
      error: failure.message,
      errorCode: failure.code,
      reviewer: null,
      answer: "",
      verdict: null,
      verdictText: null,
      findings: [],
      stopReason: "error",
      durationMs: 0,
      tokens: null,
      notes: [],
      activity: [],
    };
    this.records = [record, ...this.records].slice(0, this.limit);
    return "history";
  }

  /** The server stopped: whatever was running is gone. */
  endLive(): TurnsChange {
    if (this.liveTurns.length === 0) return null;
    this.liveTurns = [];
    return "live";
  }

  clearHistory(): void {
    this.records = [];
  }
}

function clipAnswer(answer: string): string {
  return answer.length > MAX_ANSWER_CHARS ? `${answer.slice(0, MAX_ANSWER_CHARS)}\n\n… (answer cut to ${MAX_ANSWER_CHARS.toLocaleString("en-US")} characters in the history)` : answer;
}

// ── persistence codec: workspace state is data from an older version, check it field by field ────────────────

const SEVERITIES: readonly Severity[] = ["blocker", "major", "minor"];

export function loadHistory(raw: unknown, limit = HISTORY_LIMIT): TurnRecord[] {
  if (!Array.isArray(raw)) return [];
  const records: TurnRecord[] = [];
  for (const item of raw) {
    const record = toRecord(item);
    if (record) records.push(record);
    if (records.length >= limit) break;
  }
  return records;
}

function toRecord(value: unknown): TurnRecord | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== "string" || typeof v.tool !== "string" || typeof v.answer !== "string") return null;
  const str = (x: unknown): string | null => (typeof x === "string" ? x : null);
  const num = (x: unknown, fallback: number): number => (typeof x === "number" && Number.isFinite(x) ? x : fallback);
  const strings = (x: unknown, max: number): string[] => (Array.isArray(x) ? x.filter((s): s is string => typeof s === "string").slice(0, max) : []);
  const findings: Finding[] = Array.isArray(v.findings) ? v.findings.flatMap((f): Finding[] => storedFinding(f)) : [];
  return {
    id: v.id,
    tool: v.tool,
    client: str(v.client),
    summary: str(v.summary) ?? "",
    startedAt: num(v.startedAt, 0),
    finishedAt: num(v.finishedAt, 0),
    isError: v.isError === true,
    error: str(v.error),
    errorCode: isErrorCode(v.errorCode) ? v.errorCode : null,
    reviewer: v.reviewer === "codex" || v.reviewer === "prompt" ? v.reviewer : null,
    answer: clipAnswer(v.answer),
    verdict: v.verdict === "consensus" || v.verdict === "open" ? v.verdict : null,
    verdictText: str(v.verdictText),
    findings: findings.slice(0, MAX_FINDINGS),
    stopReason: str(v.stopReason) ?? "",
    durationMs: num(v.durationMs, 0),
    tokens: typeof v.tokens === "number" ? v.tokens : null,
    notes: strings(v.notes, MAX_NOTES),
    activity: strings(v.activity, MAX_ACTIVITY),
  };
}

/** A stored finding; records of older versions had one `text` instead of a title and a body. */
function storedFinding(value: unknown): Finding[] {
  if (typeof value !== "object" || value === null) return [];
  const g = value as Record<string, unknown>;
  const title = typeof g.title === "string" ? g.title : typeof g.text === "string" ? g.text : null;
  if (!SEVERITIES.includes(g.severity as Severity) || title === null) return [];
  const line = (x: unknown) => (typeof x === "number" && Number.isSafeInteger(x) && x > 0 ? x : undefined);
  const finding: Finding = { severity: g.severity as Severity, title, body: typeof g.body === "string" ? g.body : "" };
  if (typeof g.priority === "number" && [0, 1, 2, 3].includes(g.priority)) finding.priority = g.priority;
  if (typeof g.file === "string") finding.file = g.file;
  if (line(g.line) !== undefined) finding.line = line(g.line);
  if (line(g.line) !== undefined && line(g.endLine) !== undefined && line(g.endLine)! > line(g.line)!) finding.endLine = line(g.endLine);
  return [finding];
}
