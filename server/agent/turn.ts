// One ask as Codex works on it: the streamed answer, reasoning and tool activity, the idle clock, and the
// single place a waiting caller learns what happened next (finished, or paused on a permission).
import type * as acp from "@agentclientprotocol/sdk";
import type { AskTool, PermissionView, TurnResult } from "../control/protocol";
import { parseAnswer } from "../verdict";
import { tail } from "../progress";

export type TurnOutcome =
  | { kind: "finished"; result: TurnResult }
  | { kind: "failed"; message: string; result: TurnResult }
  | { kind: "permission"; request: PermissionView; result: TurnResult };

export interface TurnListener {
  progress(message: string): void;
}

let nextTurnNumber = 1;

export class Turn {
  readonly id = `turn-${nextTurnNumber++}`;
  readonly startedAt = Date.now();
  answer = "";
  thoughts = "";
  activity: string[] = [];
  notes: string[] = [];
  tokens: TurnResult["tokens"];
  stopReason = "running";
  /** Set when the agent reported a model/API failure inside an otherwise normal turn. */
  systemError = false;
  /** Set by a denial: the agent aborts its turn, and we send a follow-up so the caller still gets an answer. */
  denial: { what: string; by: string; note?: string } | null = null;
  cancelReason: "client" | "timeout" | "reset" | null = null;
  settled: TurnOutcome | null = null;
  /** The turn ended while nobody was waiting (e.g. the editor answered a permission): keep the outcome for `permit`. */
  unclaimed = false;
  /** Diff paths announced by `tool_call` updates, keyed by tool call id (edits carry their paths there). */
  readonly diffPaths = new Map<string, string[]>();
  readonly diffPreviews = new Map<string, string>();

  private waiter: ((outcome: TurnOutcome) => void) | null = null;
  private listener: TurnListener | null = null;
  private pausedCount = 0;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly tool: AskTool,
    readonly client: string | null,
    readonly summary: string,
    private readonly idleTimeoutMs: number,
    private readonly onIdle: (turn: Turn) => void,
    readonly sessionId: () => string | null,
    readonly contextNote: string | undefined,
  ) {
    this.armIdle();
  }

  get elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  get waitingForPermission(): boolean {
    return this.pausedCount > 0;
  }

  /** Applies one `session/update` from the agent. */
  apply(update: acp.SessionUpdate): void {
    this.armIdle();
    switch (update.sessionUpdate) {
      case "agent_message_chunk":
        if (update.content.type === "text") this.answer += update.content.text;
        break;
      case "agent_thought_chunk":
        if (update.content.type === "text") this.thoughts += update.content.text;
        break;
      case "tool_call":
      case "tool_call_update": {
        if (update.title) this.noteActivity(update.title);
        const diffs = (update.content ?? []).filter((item): item is acp.ToolCallContent & { type: "diff" } => item.type === "diff");
        if (diffs.length > 0) {
          this.diffPaths.set(update.toolCallId, diffs.map((d) => d.path));
          this.diffPreviews.set(update.toolCallId, diffs.map((d) => `--- ${d.path}\n${(d.newText ?? "").slice(0, 2000)}`).join("\n"));
        }
        break;
      }
      case "session_info_update": {
        const meta = update._meta as { codex?: { threadStatus?: { type?: string } } } | null | undefined;
        if (meta?.codex?.threadStatus?.type === "systemError") this.systemError = true;
        break;
      }
      default:
        break;
    }
    this.listener?.progress(this.progressLine());
  }

  /** The line a caller sees in its progress notifications. */
  progressLine(): string {
    const seconds = Math.round(this.elapsedMs / 1000);
    if (this.answer) return `Codex (${seconds}s): ${tail(this.answer)}`;
    const doing = this.activity.at(-1);
    if (this.thoughts) return `Codex thinking (${seconds}s): ${tail(this.thoughts)}${doing ? ` · ${doing}` : ""}`;
    if (doing) return `Codex working (${seconds}s): ${doing}`;
    return `Codex working (${seconds}s)…`;
  }

  /** Waits for the next thing the caller must hear: the end of the turn or a permission question. */
  next(listener: TurnListener | null): Promise<TurnOutcome> {
    if (this.settled) return Promise.resolve(this.settled);
    this.listener = listener;
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Someone must decide: stop the idle clock and hand the question to whoever waits. */
  pause(request: PermissionView): void {
    this.pausedCount += 1;
    this.disarmIdle();
    this.deliver({ kind: "permission", request, result: this.result("permission_required", request) });
  }

  resume(): void {
    this.pausedCount = Math.max(0, this.pausedCount - 1);
    if (this.pausedCount === 0 && !this.settled) this.armIdle();
  }

  finish(stopReason: string, tokens?: TurnResult["tokens"]): TurnOutcome {
    this.stopReason = stopReason;
    if (tokens) this.tokens = tokens;
    return this.settle({ kind: "finished", result: this.result(stopReason) });
  }

  fail(message: string, stopReason = "error"): TurnOutcome {
    this.stopReason = stopReason;
    return this.settle({ kind: "failed", message, result: this.result(stopReason) });
  }

  /** Whether a caller is currently waiting to hear the outcome. */
  get claimed(): boolean {
    return this.waiter !== null;
  }

  result(stopReason: string, pending?: PermissionView): TurnResult {
    const parsed = parseAnswer(this.answer);
    const result: TurnResult = {
      answer: this.answer,
      verdict: parsed.verdict,
      verdictText: parsed.verdictText,
      findings: parsed.findings,
      stopReason,
      durationMs: this.elapsedMs,
      sessionId: this.sessionId(),
    };
    if (this.tokens) result.tokens = this.tokens;
    if (this.contextNote) result.contextNote = this.contextNote;
    if (pending) result.pendingPermission = pending;
    if (this.notes.length > 0) result.notes = [...this.notes];
    return result;
  }

  private settle(outcome: TurnOutcome): TurnOutcome {
    if (this.settled) return this.settled;
    this.settled = outcome;
    this.disarmIdle();
    this.deliver(outcome);
    return outcome;
  }

  private deliver(outcome: TurnOutcome): void {
    const waiter = this.waiter;
    this.waiter = null;
    this.listener = null;
    if (waiter) waiter(outcome);
    else if (outcome.kind !== "permission") this.unclaimed = true;
  }

  private noteActivity(title: string): void {
    if (this.activity.at(-1) !== title) this.activity.push(title);
    if (this.activity.length > 50) this.activity.shift();
  }

  private armIdle(): void {
    if (this.settled || this.pausedCount > 0) return;
    this.disarmIdle();
    this.idleTimer = setTimeout(() => this.onIdle(this), this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  private disarmIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
