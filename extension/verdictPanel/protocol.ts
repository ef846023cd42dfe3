// The one definition of every message between the verdict panel's host (panel.ts) and its webview
// (webview/main.ts). Types plus a tiny guard; no vscode and no DOM, so both sides import it.
import type { Severity, Verdict } from "../../server/protocol/results";
import type { UsageView } from "../usage/usageView";

export type { UsageView };

/** A turn in progress, as the webview shows it. Text fields are plain text (the webview sets textContent). */
export interface LiveTurnView {
  id: string;
  toolLabel: string;
  client: string;
  summary: string;
  /** Epoch ms; the webview ticks the elapsed time from it. */
  startedAt: number;
  answerTail: string;
  thoughtTail: string;
  activity: string[];
  /** "run `npm test` in ./pkg" while Codex waits for a permission decision. */
  waitingFor: string | null;
}

/** How a finding of the latest review stands in the editor (null for older turns): its state in the review model,
 * or, while open, where it could not be placed. */
export type FindingState = "open" | "dismissed" | "fix_proposed" | "fixed" | "outside" | "missing" | "unplaced";

export interface FindingView {
  index: number;
  severity: Severity;
  /** "P1 · major", or the severity alone. */
  label: string;
  /** "src/a.ts:12-14", or null when Codex named no file. */
  location: string | null;
  title: string;
  /** Plain text (the webview sets textContent); may be empty. */
  body: string;
  /** Whether a click can open it (its thread, or its file): never for paths outside the workspace. */
  openable: boolean;
  state: FindingState | null;
}

/** A finished turn. `answerHtml` is sanitized HTML rendered on the host (raw HTML disabled); all else is text. */
export interface TurnView {
  id: string;
  toolLabel: string;
  client: string;
  summary: string;
  startedAt: number;
  finishedAt: number;
  isError: boolean;
  error: string | null;
  /** A button that fixes the failure ("Sign in to Codex"), when there is one. */
  action: string | null;
  verdict: Verdict;
  verdictText: string | null;
  answerHtml: string;
  hasAnswer: boolean;
  findings: FindingView[];
  /** "3 min 12 s · 12,345 tokens · end_turn" */
  meta: string;
  notes: string[];
  activity: string[];
}

/** The latest review, kept in view after later asks: its findings with their states, and Fix all with Codex. */
export interface ReviewView {
  turnId: string;
  /** "Diff review · 10:42:03 — working tree vs HEAD" */
  title: string;
  /** "3 findings: 1 open · 1 fix proposed · 1 fixed" */
  counts: string;
  findings: FindingView[];
  /** How many open findings Fix all with Codex would hand to Codex (0: the button is off). */
  fixable: number;
}

/** Host → webview. */
export type HostMessage =
  /** `live`: the oldest turn in progress; `others`: the ones running beside it (parallel asks), oldest first. */
  | { type: "state"; live: LiveTurnView | null; others: LiveTurnView[]; history: TurnView[]; review: ReviewView | null }
  | { type: "live"; live: LiveTurnView | null; others: LiveTurnView[] }
  | { type: "copied"; id: string }
  /** Context and quota meters, and how to continue the conversation in Codex. */
  | { type: "usage"; usage: UsageView }
  /** Show this turn (the newest, after a turn finishes). */
  | { type: "select"; id: string };

/** Webview → host. */
export type WebviewMessage =
  | { type: "ready" }
  /** Cancels that turn (the person clicked its Cancel). */
  | { type: "cancelTurn"; turnId?: string }
  | { type: "copyAnswer"; id: string }
  | { type: "openFinding"; turnId: string; index: number }
  /** Fix all with Codex: the open findings of that review (the latest), as one change. */
  | { type: "fixAll"; turnId: string }
  | { type: "openLink"; turnId: string; href: string }
  | { type: "openAnswer"; id: string }
  | { type: "runAction"; id: string }
  /** Opens a terminal with `codex resume <id>`. */
  | { type: "continueInCodex" }
  | { type: "clearHistory" };

/** The host checks every message it receives: a webview is another process. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  switch (m.type) {
    case "ready":
    case "clearHistory":
    case "continueInCodex":
      return true;
    case "cancelTurn":
      return m.turnId === undefined || typeof m.turnId === "string";
    case "copyAnswer":
    case "openAnswer":
    case "runAction":
      return typeof m.id === "string";
    case "openFinding":
      return typeof m.turnId === "string" && Number.isInteger(m.index);
    case "openLink":
      return typeof m.turnId === "string" && typeof m.href === "string";
    case "fixAll":
      return typeof m.turnId === "string";
    default:
      return false;
  }
}
