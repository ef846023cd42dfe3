// The workspace's one persistent Codex session: asks take turns on it, permissions go through the guardian and the
// broker, cancels and idle timeouts end turns, and a dead agent is respawned with its session reloaded.
// The agent's life cycle (AgentHost), session set-up (sessionSetup), the queue (TurnQueue) and the guardian's
// judgement (Guardian) live in their own files; this one only orchestrates them.
import { EventEmitter } from "node:events";
import * as path from "node:path";
import type * as acp from "@agentclientprotocol/sdk/unstable";
import type { Config } from "../config";
import type { ControlEvent } from "../protocol/control";
import type { ProtocolError } from "../protocol/errors";
import type { PermissionDecision, ServerStatus } from "../protocol/results";
import { PermissionBroker } from "../guardian/broker";
import { Guardian } from "../guardian/judge";
import { buildDenialFollowUp } from "../prompts";
import type { ProgressReporter } from "../progress";
import { AgentHost } from "./agentHost";
import { AnswerArchive } from "./answerArchive";
import { failure, type AskOutcome, type AskRequest } from "./askRequest";
import type { AgentConnection, AgentEnd } from "./connection";
import { AgentError, errorMessage } from "./errors";
import { Turn, type CancelReason, type TurnOutcome } from "./turn";
import { TurnProgressEvents } from "./turnProgressEvents";
import { TurnQueue } from "./turnQueue";
import { applyAskOptions } from "./sessionSetup";
import { WorkspaceSession } from "./workspaceSession";
import { PermissionGate } from "./permissionGate";
import { AvailableCommands } from "./availableCommands";
import { oneLine } from "../protocol/text";

const RESET_DURING_TURN = "The Codex session was reset while Codex was answering this ask — ask again; its partial answer is in the result.";
/** How long a fresh session may take to advertise its slash commands before review_diff falls back to its prompt. */
const COMMANDS_WAIT_MS = 3000;

export interface SessionEvents {
  control: [ControlEvent];
}

export class CodexSession extends EventEmitter<SessionEvents> {
  readonly broker: PermissionBroker;
  private readonly host: AgentHost;
  private readonly queue = new TurnQueue(() => this.emitState());
  private readonly progressEvents = new TurnProgressEvents((event) => this.emitControl(event));
  private readonly permissions: PermissionGate;
  private readonly answers: AnswerArchive;
  private readonly workspaceSession: WorkspaceSession;
  private readonly commands = new AvailableCommands();
  private currentTurn: Turn | null = null;
  private lastError: ProtocolError | null = null;
  private unclaimed: TurnOutcome | null = null;
  private closed = false;

  constructor(
    private readonly settings: Config,
    agentEnv: NodeJS.ProcessEnv = process.env,
  ) {
    super();
    this.broker = new PermissionBroker(settings.permissionTimeoutMs);
    this.answers = new AnswerArchive(path.join(settings.stateDir, "answers"));
    this.permissions = new PermissionGate(this.broker, new Guardian(settings.workspace, settings), {
      emit: (event) => this.emitControl(event),
      stateChanged: () => this.emitState(),
    });
    this.host = new AgentHost({
      argv: settings.agentCommand,
      cwd: settings.workspace,
      requestTimeoutMs: settings.agentRequestTimeoutMs,
      baseEnv: agentEnv,
      handlers: {
        onUpdate: (notification) => this.onUpdate(notification),
        onPermission: (request, signal) => this.onPermission(request, signal),
        onStderr: (text) => process.stderr.write(`[agent] ${text}`),
      },
    });
    this.host.on("exit", (agent, exit) => this.onAgentExit(agent, exit));
    this.workspaceSession = new WorkspaceSession(this.host, settings.workspace, {
      changed: () => this.emitState(),
      distrust: (agent) => this.endAgent(agent),
    });
    this.broker.on("pending", (request) => this.emitControl({ type: "permissionPending", request }));
    this.broker.on("resolved", (view, resolution) =>
      this.emitControl({ type: "permissionResolved", id: view.id, decision: resolution.decision, source: resolution.source, ...(resolution.note ? { note: resolution.note } : {}) }),
    );
    this.broker.on("withdrawn", (view, reason) => this.emitControl({ type: "permissionResolved", id: view.id, decision: "deny", source: "withdrawn", note: reason }));
  }

  // ── asks ────────────────────────────────────────────────────────────────────────────────────────

  async ask(request: AskRequest): Promise<AskOutcome> {
    if (this.closed) return failure("shutting_down", "The server is shutting down — call again once it has restarted.");
    const paused = this.currentTurn?.waitingForPermission ? this.broker.oldest() : undefined;
    if (paused) {
      return failure("busy", `Codex is waiting for a decision on the current ask (${paused.summary}) — answer it with permit (allow, allow_session or deny) first, or call reset.`);
    }
    if (!(await this.queue.acquire(request.progress, request.signal))) return failure("cancelled", "The ask was cancelled while it waited for its turn.");
    let turn: Turn | null = null;
    try {
      request.progress.update("Starting Codex…");
      const agent = await this.workspaceSession.ensure(request.signal);
      this.lastError = null;
      const ws = this.workspaceSession;
      const optionError = await applyAskOptions(agent, ws.sessionId!, ws.config, request.model ?? this.settings.defaultModel ?? undefined, request.effort ?? this.settings.defaultEffort ?? undefined);
      if (optionError) throw new AgentError("invalid_argument", optionError);
      // Codex's own reviewer when the agent advertises its command (the list arrives just after session/new).
      const native = request.nativeReview && (await this.commands.offers(ws.sessionId!, request.nativeReview.name, COMMANDS_WAIT_MS)) ? request.nativeReview : null;
      const reviewer = request.nativeReview ? (native ? "codex" : "prompt") : undefined;
      turn = new Turn(
        request.tool,
        request.client,
        request.summary,
        request.timeoutMs ?? this.settings.turnTimeoutMs,
        (t) => this.cancelTurn(t, "timeout"),
        () => this.workspaceSession.sessionId,
        ws.takeContextNote(),
        (id, text) => this.answers.keep(id, text),
        { workspace: this.settings.workspace, reviewer },
      );
      if (ws.modeWarning) turn.addNote(ws.modeWarning);
      if (request.nativeReview && !native) turn.addNote(`The agent does not offer Codex's /${request.nativeReview.name} command, so Codex Fusion's review prompt reviewed the same changes.`);
      this.currentTurn = turn;
      this.unclaimed = null;
      this.emitControl({ type: "turnStarted", id: turn.id, tool: turn.tool, client: turn.client, summary: turn.summary, startedAt: turn.startedAt });
      this.emitState();
      void this.runTurn(agent, turn, native ? native.command : request.prompt);
      return await this.waitFor(turn, request.signal, request.progress);
    } catch (error) {
      if (!turn) this.queue.release();
      const failed = error instanceof AgentError ? error.toProtocol() : { code: "internal" as const, message: `Codex failed: ${oneLine(errorMessage(error))}` };
      this.lastError = failed;
      this.emitState();
      return { kind: "error", error: failed };
    }
  }

  /** Answers the oldest (or the given) pending permission and follows the same turn to its next outcome. */
  async permit(decision: PermissionDecision, note: string | undefined, id: string | undefined, signal: AbortSignal | undefined, progress: ProgressReporter): Promise<AskOutcome> {
    const turn = this.currentTurn;
    const outcome = this.broker.decide(id, decision, "claude", note);
    if (!outcome.ok) {
      // Someone else (the editor, the timeout) decided first: hand over the answer this caller would have received.
      if (!id && this.unclaimed) {
        const finished = this.unclaimed;
        this.unclaimed = null;
        return finished;
      }
      if (!id && turn && !turn.settled && !turn.claimed) return this.waitFor(turn, signal, progress);
      return failure(outcome.code, `Nothing to permit: ${outcome.reason}.`);
    }
    if (!turn || turn.id !== outcome.request.turnId) return failure("not_found", "The permission was answered, but its turn has already ended.");
    return this.waitFor(turn, signal, progress);
  }

  /** Cancels the turn in progress, if any (the editor's Cancel). */
  cancelCurrent(): boolean {
    const turn = this.currentTurn;
    if (!turn || turn.settled) return false;
    this.cancelTurn(turn, "client");
    return true;
  }

  /** Drops the Codex session, whatever state the agent is in: the next ask starts a fresh one. */
  async reset(): Promise<string> {
    const running = this.currentTurn && !this.currentTurn.settled ? this.currentTurn : null;
    if (running) this.cancelTurn(running, "reset");
    // A start-up that hangs is abandoned (its agent is ended); the asks waiting for it are told why.
    const { dropped: old, abandonedStartup } = this.workspaceSession.drop(new AgentError("cancelled", "The Codex session was reset while Codex was starting — ask again."));
    const agent = this.host.agent;
    this.unclaimed = null;
    if (agent && old && agent.supportsSession("close")) {
      // An agent that cannot even close a session in time is not worth keeping.
      await agent.request("session/close", { sessionId: old }, { timeoutMs: Math.min(5_000, this.settings.agentRequestTimeoutMs) }).catch(() => this.endAgent(agent));
    }
    this.emitState();
    if (abandonedStartup) return "Codex's start-up was abandoned and the session dropped; the next ask starts afresh.";
    return old
      ? `Codex session ${old} dropped${running ? " (its turn was cancelled)" : ""}; the next ask starts a fresh session.`
      : "There was no Codex session; the next ask starts a fresh one.";
  }

  status(): ServerStatus {
    const turn = this.currentTurn && !this.currentTurn.settled ? this.currentTurn : null;
    const agent = this.host.agent;
    return {
      workspace: this.settings.workspace,
      agentCommand: this.settings.agentCommand,
      agentAlive: agent !== null,
      agentPid: agent?.process.pid ?? null,
      sessionId: this.workspaceSession.sessionId,
      mode: this.workspaceSession.mode,
      modeWarning: this.workspaceSession.modeWarning,
      startup: this.workspaceSession.startup,
      turn: turn ? { id: turn.id, tool: turn.tool, client: turn.client, elapsedMs: turn.elapsedMs, waitingForPermission: turn.waitingForPermission } : null,
      queued: this.queue.length,
      pendingPermissions: this.broker.list(),
      guardian: { allowExternalReads: this.settings.allowExternalReads, allowWrites: this.settings.allowWrites, allowCommands: this.settings.allowCommands },
      lastError: this.lastError?.message ?? null,
      lastErrorCode: this.lastError?.code ?? null,
      advice: this.advice(),
    };
  }

  /** Ends the agent and everything it started. */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.broker.withdrawAll("the server is shutting down");
    const turn = this.currentTurn;
    if (turn && !turn.settled) turn.fail("shutting_down", "The server is shutting down.", "cancelled");
    await this.host.stop(200);
  }

  /** Synchronous last resort on process exit. */
  killNow(): void {
    this.host.kill();
  }

  // ── the turn ────────────────────────────────────────────────────────────────────────────────────

  private async runTurn(agent: AgentConnection, turn: Turn, prompt: string): Promise<void> {
    let text = prompt;
    try {
      for (;;) {
        let response: acp.PromptResponse;
        try {
          // No request bound here: the turn's idle clock decides how long Codex may stay silent.
          response = await agent.request("session/prompt", { sessionId: this.workspaceSession.sessionId!, prompt: [{ type: "text", text }] }, { timeoutMs: null });
        } catch (error) {
          if (!turn.settled) {
            // An exit (or broken stream) is reported by onAgentExit with the agent's last words: let it land first.
            await Promise.race([agent.ended, new Promise((resolve) => setTimeout(resolve, 1_500))]);
            if (!turn.settled) turn.fail("agent_crashed", `Codex failed during the turn: ${oneLine(errorMessage(error))} — call again; if it repeats, call reset.`);
          }
          return;
        }
        // The SDK dispatches notifications a few microtasks late: let the last chunks land before reading the answer.
        await new Promise((resolve) => setImmediate(resolve));
        if (turn.settled) return;
        if (response.stopReason === "cancelled" && !turn.cancelReason) {
          // codex-acp aborts the whole turn on a denial; ask again so the caller still gets an answer.
          const denial = turn.takeDenial();
          if (denial) {
            text = buildDenialFollowUp(denial.what, denial.by, denial.note);
            continue;
          }
        }
        const usage = response.usage;
        const tokens = usage ? { input: usage.inputTokens, output: usage.outputTokens, total: usage.totalTokens } : undefined;
        if (turn.cancelReason === "timeout") turn.fail("timeout", this.timeoutMessage(turn), "timeout");
        else if (turn.cancelReason === "reset") turn.fail("cancelled", RESET_DURING_TURN, "cancelled");
        else if (turn.reportedSystemError) turn.fail("model_error", `Codex reported a model/API error: ${turn.answerTail(300) || "no details"} — check the model service, your plan and network, then call again.`);
        else turn.finish(response.stopReason, tokens);
        return;
      }
    } finally {
      this.endTurn(turn);
    }
  }

  private endTurn(turn: Turn): void {
    if (this.currentTurn === turn) this.currentTurn = null;
    this.progressEvents.ended(turn);
    const outcome = turn.settled;
    if (outcome) {
      if (outcome.kind === "failed") this.lastError = outcome.error;
      else if (outcome.kind === "finished") this.lastError = null;
      if (turn.unclaimed && outcome.kind !== "permission") this.unclaimed = outcome;
      const failed = outcome.kind === "failed" ? outcome.error : null;
      this.emitControl({
        type: "turnFinished",
        id: turn.id,
        tool: turn.tool,
        client: turn.client,
        summary: turn.summary,
        result: outcome.result,
        activity: [...turn.activity],
        isError: failed !== null,
        error: failed?.message ?? null,
        errorCode: failed?.code ?? null,
      });
    }
    this.queue.release();
  }

  private async waitFor(turn: Turn, signal: AbortSignal | undefined, progress: ProgressReporter): Promise<TurnOutcome> {
    const pending = this.broker.list().find((request) => request.turnId === turn.id);
    if (pending && !turn.settled) return { kind: "permission", request: pending, result: turn.result("permission_required", pending) };
    const onAbort = () => this.cancelTurn(turn, "client");
    if (signal?.aborted) onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      return await turn.next({ progress: (message) => progress.update(message) });
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  private cancelTurn(turn: Turn, reason: CancelReason): void {
    if (!turn.beginCancel(reason)) return;
    for (const request of this.broker.list()) if (request.turnId === turn.id) this.broker.withdraw(request.id, "the turn was cancelled");
    const agent = this.host.agent;
    const sessionId = this.workspaceSession.sessionId;
    if (agent && sessionId) void agent.cancel(sessionId).catch(() => undefined);
    const timer = setTimeout(() => {
      if (turn.settled) return;
      // The agent ignored the cancel: end its whole process group; the next ask respawns (and reloads).
      turn.addNote("The agent did not stop when asked, so it was restarted.");
      if (agent) {
        this.forgetAgent(agent);
        agent.killNow();
      }
      if (reason === "timeout") turn.fail("timeout", this.timeoutMessage(turn), "timeout");
      else if (reason === "reset") turn.fail("cancelled", RESET_DURING_TURN, "cancelled");
      else turn.finish("cancelled");
    }, this.settings.cancelGraceMs);
    timer.unref();
  }

  private timeoutMessage(turn: Turn): string {
    return `Codex sent nothing for too long (idle limit reached after ${Math.round(turn.elapsedMs / 1000)} s), so the turn was cancelled — call again, raise timeoutSec (or CODEX_FUSION_TURN_TIMEOUT_MS), or check the model service.`;
  }

  // ── the agent and its session ───────────────────────────────────────────────────────────────────

  /** Ends an agent we no longer trust, with its whole process group; the next ask starts a new one. */
  private endAgent(agent: AgentConnection): void {
    if (this.host.agent === agent) this.forgetAgent(agent);
    agent.killNow();
  }

  private onAgentExit(agent: AgentConnection, end: AgentEnd): void {
    this.forgetAgent(agent);
    const how = end.exit ? `exited (${end.exit.signal ? `signal ${end.exit.signal}` : `code ${end.exit.code}`})` : `was ended: ${end.streamFailure}`;
    const stderr = agent.process.lastStderrLines();
    const message = `The Codex agent ${how}${stderr ? `: ${stderr}` : ""} — the next call starts it again${agent.canLoadSessions ? " and reloads the session" : "; Codex's context is lost"}.`;
    this.lastError = { code: "agent_crashed", message };
    const turn = this.currentTurn;
    if (turn && !turn.settled) turn.fail("agent_crashed", message, "crashed");
    this.emitState();
  }

  /** The agent is no longer ours: remember its session for a reload, and withdraw what it asked for. */
  private forgetAgent(agent: AgentConnection): void {
    this.host.detach(agent);
    this.workspaceSession.lose();
    this.broker.withdrawAll("the Codex agent stopped");
  }

  // ── from the agent ──────────────────────────────────────────────────────────────────────────────

  private onUpdate(notification: acp.SessionNotification): void {
    const update = notification.update;
    this.workspaceSession.noteUpdate(update);
    if (update.sessionUpdate === "available_commands_update") this.commands.update(notification.sessionId, update.availableCommands);
    const turn = this.currentTurn;
    // Updates outside a turn (history replayed by session/load) are not part of any answer.
    if (!turn || turn.settled || notification.sessionId !== this.workspaceSession.sessionId) return;
    turn.apply(update);
    if (this.listenerCount("control") > 0) this.progressEvents.changed(turn);
  }

  private onPermission(request: acp.RequestPermissionRequest, signal: AbortSignal): Promise<acp.RequestPermissionResponse> {
    return this.permissions.answer(request, signal, this.currentTurn);
  }

  // ── events for the editor ───────────────────────────────────────────────────────────────────────

  private emitState(): void {
    if (this.listenerCount("control") === 0) return;
    const status = this.status();
    const state = status.turn ? "busy" : status.lastError && !status.agentAlive ? "error" : "ready";
    this.emitControl({ type: "serverState", state, status });
  }

  private emitControl(event: ControlEvent): void {
    this.emit("control", event);
  }

  private advice(): string | null {
    const pending = this.broker.oldest();
    if (pending) return `Codex is waiting for a decision: ${pending.summary}. Answer with permit (allow, allow_session or deny).`;
    if (this.workspaceSession.modeWarning) return this.workspaceSession.modeWarning;
    return this.lastError?.message ?? null;
  }
}
