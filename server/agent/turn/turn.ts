// One ask as Codex works on it: the streamed answer, reasoning and tool activity, the idle clock, and the
// single place a waiting caller learns what happened next (finished, failed, or paused on a permission).
// Everything about a turn changes through its methods; nobody writes its fields from outside.
import type * as acp from "@agentclientprotocol/sdk/unstable";
import type { AskTool } from "../../protocol/constants";
import type { ErrorCode, ProtocolError } from "../../protocol/errors";
import type { PermissionView, Reviewer, TurnResult } from "../../protocol/results";
import { thousands } from "../../protocol/text";
import { collapseRepeat, readAnswer, VisibleStream } from "../../findings";
import { TextAccumulator } from "./textAccumulator";
import { contextUsage } from "../../sessions/usage";

/** What a waiting caller hears next from the turn `turnId`. */
export type TurnOutcome =
  | { kind: "finished"; turnId: string; result: TurnResult }
  | { kind: "failed"; turnId: string; error: ProtocolError; result: TurnResult }
  | { kind: "permission"; turnId: string; request: PermissionView; result: TurnResult };

export type CancelReason = "client" | "timeout" | "reset";

export interface Denial {
  what: string;
  by: string;
  note?: string;
}

/** Everything a turn starts from. */
export interface TurnInit<Tool extends string = AskTool> {
  tool: Tool;
  client: string | null;
  summary: string;
  /** How long Codex may stay silent (time waiting for a permission does not count). */
  idleTimeoutMs: number;
  /** Codex stayed silent for too long. */
  onIdle(turn: Turn<Tool>): void;
  /** The session this turn runs in now (null when it is gone). */
  sessionId: () => string | null;
  /** Said once on the result: what became of Codex's context (the agent restarted, a fork was lost). */
  contextNote?: string;
  /** Keeps an over-long answer somewhere it can be read whole; returns where (or null). */
  archive?: (turnId: string, text: string) => string | null;
  /** Finding paths are made relative to it. */
  workspace?: string;
  /** For review_diff: who reviews. */
  reviewer?: Reviewer;
  /** The workspace's tracked files, for locations the answer names by a suffix. */
  files?: () => readonly string[] | undefined;
}

export interface TurnListener {
  /** Something changed; `line` computes the progress line (only called when a progress notification goes out). */
  progress(line: () => string): void;
}

const MAX_ACTIVITY = 50;
/** The most of an answer a result carries (its start and its end); the whole text goes to the answer archive. */
export const MAX_RESULT_ANSWER_CHARS = 100_000;
const RESULT_TAIL_CHARS = 20_000;
/** setTimeout's limit (2^31 − 1 ms); longer waits are made of several timers. */
const MAX_TIMER_MS = 2_147_483_647;
const DIFF_PREVIEW_CHARS = 2000;
const NATIVE_VERDICT_NOTE = "Codex's own reviewer answered (its /review mode): it writes no VERDICT line, so the verdict is null — call reply to debate the findings and get one.";

let nextTurnNumber = 1;

/** `Tool` is what the turn does: an ask tool, or `delegate` for a delegate's turns (server/copies/). */
export class Turn<Tool extends string = AskTool> {
  readonly id = `turn-${nextTurnNumber++}`;
  readonly startedAt = Date.now();
  private readonly answerText = new TextAccumulator();
  /** The answer as progress shows it: without Codex's findings block. */
  private readonly visibleText = new VisibleStream();
  private readonly thoughtText = new TextAccumulator();
  private readonly activityLog: string[] = [];
  private readonly noteList: string[] = [];
  private tokens: TurnResult["tokens"];
  private context: TurnResult["context"] | null = null;
  /** Set when the agent reported a model/API failure inside an otherwise normal turn. */
  private systemError = false;
  /** Set by a denial: the agent aborts its turn, and we send a follow-up so the caller still gets an answer. */
  private denial: Denial | null = null;
  private cancelling: CancelReason | null = null;
  private outcome: TurnOutcome | null = null;
  /** The turn ended while nobody was waiting (e.g. the editor answered a permission): kept for the caller's `permit`. */
  private endedUncollected = false;
  /** Diff paths and previews announced by `tool_call` updates, keyed by tool call id (edits carry their paths there). */
  private readonly diffPaths = new Map<string, string[]>();
  private readonly diffPreviews = new Map<string, string>();
  /** How each tool call was announced by its `tool_call` update: a permission request for an MCP call names nothing else. */
  private readonly announced = new Map<string, { title?: string | null; kind?: string | null; rawInput?: unknown; meta?: unknown }>();

  private waiter: ((outcome: TurnOutcome) => void) | null = null;
  private listener: TurnListener | null = null;
  /** What this turn waits for: the permission requests held for a decision, oldest first. */
  private readonly pending: PermissionView[] = [];
  private idleTimer: NodeJS.Timeout | null = null;
  private lastActivityAt = Date.now();

  readonly tool: Tool;
  readonly client: string | null;
  readonly summary: string;
  private readonly idleTimeoutMs: number;
  private readonly init: TurnInit<Tool>;

  constructor(init: TurnInit<Tool>) {
    this.init = init;
    this.tool = init.tool;
    this.client = init.client;
    this.summary = init.summary;
    this.idleTimeoutMs = init.idleTimeoutMs;
    if (init.reviewer === "codex") this.addNote(NATIVE_VERDICT_NOTE);
    this.armIdle();
  }

  // ── reading ───────────────────────────────────────────────────────────────────────────────────────

  get elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  get waitingForPermission(): boolean {
    return this.pending.length > 0;
  }

  /** The permission requests this turn waits on, oldest first. */
  get waitingFor(): readonly PermissionView[] {
    return this.pending;
  }

  get settled(): TurnOutcome | null {
    return this.outcome;
  }

  get cancelReason(): CancelReason | null {
    return this.cancelling;
  }

  /** Whether a caller is waiting now to hear what happens next. */
  get awaited(): boolean {
    return this.waiter !== null;
  }

  /** The turn ended while nobody waited: its outcome is for its caller to collect (with `permit`). */
  get uncollected(): boolean {
    return this.endedUncollected;
  }

  get answer(): string {
    return this.answerText.text;
  }

  get activity(): readonly string[] {
    return this.activityLog;
  }

  /** The end of the answer and of the reasoning, without joining the whole text (linear in long turns). */
  answerTail(max: number): string {
    return this.visibleText.tail(max);
  }

  thoughtTail(max: number): string {
    return this.thoughtText.tail(max);
  }

  /** Sizes that change whenever there is something new to show. */
  get revision(): string {
    return `${this.answerText.length}:${this.thoughtText.length}:${this.activityLog.length}`;
  }

  diffPathsFor(toolCallId: string): string[] | undefined {
    return this.diffPaths.get(toolCallId);
  }

  diffPreviewFor(toolCallId: string): string | null {
    return this.diffPreviews.get(toolCallId) ?? null;
  }

  announcedToolCall(toolCallId: string): { title?: string | null; kind?: string | null; rawInput?: unknown; meta?: unknown } | undefined {
    return this.announced.get(toolCallId);
  }

  /** The session this turn runs in now (null when it is gone). */
  currentSessionId(): string | null {
    return this.init.sessionId();
  }

  get reportedSystemError(): boolean {
    return this.systemError;
  }

  // ── what the agent says ───────────────────────────────────────────────────────────────────────────

  /** Applies one `session/update` from the agent. */
  apply(update: acp.SessionUpdate): void {
    this.armIdle();
    switch (update.sessionUpdate) {
      case "agent_message_chunk":
        if (update.content.type === "text") {
          this.answerText.append(update.content.text);
          this.visibleText.append(update.content.text);
        }
        break;
      case "agent_thought_chunk":
        if (update.content.type === "text") this.thoughtText.append(update.content.text);
        break;
      case "tool_call":
      case "tool_call_update": {
        if (update.title) this.noteActivity(update.title);
        if (update.sessionUpdate === "tool_call") this.announced.set(update.toolCallId, { title: update.title, kind: update.kind, rawInput: update.rawInput, meta: update._meta });
        const diffs = (update.content ?? []).filter((item): item is acp.ToolCallContent & { type: "diff" } => item.type === "diff");
        if (diffs.length > 0) {
          this.diffPaths.set(update.toolCallId, diffs.map((d) => d.path));
          this.diffPreviews.set(update.toolCallId, diffs.map((d) => `--- ${d.path}\n${(d.newText ?? "").slice(0, DIFF_PREVIEW_CHARS)}`).join("\n"));
        }
        break;
      }
      case "usage_update":
        this.context = contextUsage(update.used, update.size) ?? this.context;
        break;
      case "session_info_update": {
        const meta = update._meta as { codex?: { threadStatus?: { type?: string } } } | null | undefined;
        if (meta?.codex?.threadStatus?.type === "systemError") this.systemError = true;
        break;
      }
      default:
        break;
    }
    this.listener?.progress(this.progressLineOf);
  }

  private readonly progressLineOf = () => this.progressLine();

  /** The line a caller sees in its progress notifications. */
  progressLine(): string {
    const seconds = Math.round(this.elapsedMs / 1000);
    if (this.visibleText.length > 0) return `Codex (${seconds}s): ${this.visibleText.tail(160)}`;
    const doing = this.activityLog.at(-1);
    if (this.thoughtText.length > 0) return `Codex thinking (${seconds}s): ${this.thoughtText.tail(160)}${doing ? ` · ${doing}` : ""}`;
    if (doing) return `Codex working (${seconds}s): ${doing}`;
    return `Codex working (${seconds}s)…`;
  }

  addNote(note: string): void {
    this.noteList.push(note);
  }

  recordDenial(denial: Denial): void {
    this.denial = denial;
  }

  /** The denial to answer with a follow-up prompt, once; the next part of the answer starts on a new paragraph. */
  takeDenial(): Denial | null {
    const denial = this.denial;
    this.denial = null;
    if (denial && this.answerText.length > 0) {
      this.answerText.append("\n\n");
      this.visibleText.append("\n\n");
    }
    return denial;
  }

  /** Marks the turn as being cancelled; false when it already ended or is already being cancelled. */
  beginCancel(reason: CancelReason): boolean {
    if (this.outcome || this.cancelling) return false;
    this.cancelling = reason;
    return true;
  }

  // ── waiting for it ────────────────────────────────────────────────────────────────────────────────

  /** Waits for the next thing the caller must hear: the end of the turn or a permission question. */
  next(listener: TurnListener | null): Promise<TurnOutcome> {
    if (this.outcome) return Promise.resolve(this.outcome);
    this.listener = listener;
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Someone must decide: stop the idle clock and hand the question to whoever waits. */
  pause(request: PermissionView): void {
    this.pending.push(request);
    this.disarmIdle();
    this.deliver({ kind: "permission", turnId: this.id, request, result: this.result("permission_required", request) });
  }

  /** The request was decided or withdrawn: once nothing is pending, the idle clock runs again. */
  resume(requestId: string): void {
    const index = this.pending.findIndex((request) => request.id === requestId);
    if (index < 0) return;
    this.pending.splice(index, 1);
    if (this.pending.length === 0 && !this.outcome) this.armIdle();
  }

  finish(stopReason: string, tokens?: TurnResult["tokens"]): TurnOutcome {
    if (tokens) this.tokens = tokens;
    return this.settle({ kind: "finished", turnId: this.id, result: this.result(stopReason) });
  }

  fail(code: ErrorCode, message: string, stopReason = "error"): TurnOutcome {
    return this.settle({ kind: "failed", turnId: this.id, error: { code, message }, result: this.result(stopReason) });
  }

  result(stopReason: string, pending?: PermissionView): TurnResult {
    // codex-acp sends the rendered review of Codex's own reviewer twice in one turn.
    // Codex's findings block is read, then cut out: people and models read the answer without it.
    const parsed = readAnswer(this.init.reviewer === "codex" ? collapseRepeat(this.answerText.text) : this.answerText.text, { workspace: this.init.workspace, files: this.init.files?.(), review: this.tool === "review_diff" });
    const answer = parsed.answer;
    const kept = this.keepWhole(answer);
    const result: TurnResult = {
      answer: kept ? shorten(answer, kept.path) : answer,
      verdict: parsed.verdict,
      verdictText: parsed.verdictText,
      findings: parsed.findings,
      findingsSource: parsed.findingsSource,
      stopReason,
      durationMs: this.elapsedMs,
      sessionId: this.init.sessionId(),
    };
    if (this.tokens) result.tokens = this.tokens;
    if (this.context) result.context = this.context;
    if (this.init.contextNote) result.contextNote = this.init.contextNote;
    if (pending) result.pendingPermission = pending;
    if (kept) result.fullAnswer = kept;
    const notes = parsed.blockProblem ? [...this.noteList, `Codex's findings block was not used (${parsed.blockProblem}); its findings were read from the text.`] : this.noteList;
    if (notes.length > 0) result.notes = [...notes];
    if (this.init.reviewer) result.reviewer = this.init.reviewer;
    return result;
  }

  private archived: { chars: number; path: string | null } | null = null;

  /** An answer over the result's limit is archived once (its length only grows until the turn ends). */
  private keepWhole(answer: string): { chars: number; path: string | null } | null {
    if (answer.length <= MAX_RESULT_ANSWER_CHARS) return null;
    if (this.archived?.chars !== answer.length) this.archived = { chars: answer.length, path: this.init.archive?.(this.id, answer) ?? null };
    return this.archived;
  }

  private settle(outcome: TurnOutcome): TurnOutcome {
    if (this.outcome) return this.outcome;
    this.outcome = outcome;
    this.disarmIdle();
    this.deliver(outcome);
    return outcome;
  }

  private deliver(outcome: TurnOutcome): void {
    const waiter = this.waiter;
    this.waiter = null;
    this.listener = null;
    if (waiter) waiter(outcome);
    else if (outcome.kind !== "permission") this.endedUncollected = true;
  }

  private noteActivity(title: string): void {
    if (this.activityLog.at(-1) !== title) this.activityLog.push(title);
    if (this.activityLog.length > MAX_ACTIVITY) this.activityLog.shift();
  }

  /** Restarts the idle clock. One timer per turn, re-armed only when it fires (not on every chunk). */
  private armIdle(): void {
    this.lastActivityAt = Date.now();
    if (this.outcome || this.pending.length > 0 || this.idleTimer) return;
    this.scheduleIdle(this.idleTimeoutMs);
  }

  private scheduleIdle(ms: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.outcome || this.pending.length > 0) return;
      const left = this.idleTimeoutMs - (Date.now() - this.lastActivityAt);
      if (left > 0) this.scheduleIdle(left);
      else this.init.onIdle(this);
    }, Math.min(ms, MAX_TIMER_MS));
    this.idleTimer.unref();
  }

  private disarmIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/** The start and the end of an over-long answer, and where the whole of it is. */
function shorten(answer: string, path: string | null): string {
  const head = answer.slice(0, MAX_RESULT_ANSWER_CHARS - RESULT_TAIL_CHARS);
  const tail = answer.slice(-RESULT_TAIL_CHARS);
  const where = path ? `the whole answer is in ${path}` : "the whole answer could not be kept";
  return `${head}\n\n[… Codex's answer is ${thousands(answer.length)} characters: ${thousands(answer.length - head.length - tail.length)} are cut here; ${where} …]\n\n${tail}`;
}

/** The oldest permission request these turns wait on (what a caller is told to decide first). */
export function oldestWaitingOf(turns: readonly Turn<string>[]): PermissionView | undefined {
  let oldest: PermissionView | undefined;
  for (const turn of turns) for (const view of turn.waitingFor) if (!oldest || view.createdAt < oldest.createdAt) oldest = view;
  return oldest;
}
