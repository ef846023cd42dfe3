// The workspace's Codex sessions: asks take turns on the main session, or run in parallel on sessions forked from
// it; permissions go through the guardian and the broker, cancels and idle timeouts end turns, and a dead agent is
// respawned with the main session reloaded.
// The agent's life cycle (AgentHost), session set-up (sessionSetup), where and when an ask runs (TurnScheduler),
// one turn's prompts (turnRunner) and the guardian's judgement (Guardian) live in their own files; this one only
// orchestrates them.
import { EventEmitter } from "node:events";
import * as path from "node:path";
import { WorkspaceFiles } from "../findings/workspaceFiles";
import type * as acp from "@agentclientprotocol/sdk/unstable";
import type { Config } from "../config";
import type { ControlEvent } from "../protocol/control";
import type { ProtocolError } from "../protocol/errors";
import type { ServerStatus } from "../protocol/results";
import { PermissionBroker } from "../guardian/broker";
import { Guardian } from "../guardian/judge";
import { sessionPreamble, withPreamble } from "../prompts";
import type { ProgressReporter } from "../progress";
import { AgentHost } from "./acp/agentHost";
import { AnswerArchive } from "./turn/answerArchive";
import { failure, type AskOutcome, type AskRequest, type PermitRequest } from "./askRequest";
import type { AgentConnection, AgentEnd } from "./acp/connection";
import { AgentError, errorMessage } from "./acp/errors";
import { MAIN } from "./sessions/sessionState";
import { TurnScheduler, type Admitted, type Slot } from "./scheduling/scheduler";
import { oldestWaitingOf, Turn, type CancelReason, type TurnOutcome } from "./turn/turn";
import { runPrompts, settleCancelled } from "./turn/turnRunner";
import { outcomeForCaller } from "./turn/callerWait";
import { TurnProgressEvents } from "./turn/turnProgressEvents";
import { applyAskOptions } from "./sessions/sessionSetup";
import { WorkspaceSession } from "./sessions/workspaceSession";
import { PermissionGate } from "./turn/permissionGate";
import { AvailableCommands } from "./sessions/availableCommands";
import { oneLine } from "../protocol/text";
import { SessionKeeper } from "../sessions/keeper";
import { Delegates } from "../copies/delegates";

const LOST_FORK_NOTE = "The Codex agent was restarted and this conversation's parallel session went with it: this ask starts again from the workspace's main session (reloaded), without what was said only on the parallel one.";

export interface SessionEvents {
  control: [ControlEvent];
}

export class CodexSession extends EventEmitter<SessionEvents> {
  readonly broker: PermissionBroker;
  readonly delegates: Delegates; // Codex working in isolated copies of the workspace: their own agent, the same broker
  private readonly host: AgentHost;
  private readonly scheduler: TurnScheduler;
  private readonly progressEvents = new TurnProgressEvents((event) => this.emitControl(event));
  private readonly permissions: PermissionGate;
  private readonly answers: AnswerArchive;
  private readonly workspaceFiles: WorkspaceFiles;
  readonly workspaceSession: WorkspaceSession;
  private readonly commands = new AvailableCommands();
  private lastError: ProtocolError | null = null;
  private closed = false;
  /** Settles once the main session's last turn has released it (see runTurn). */
  private mainBookkeeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly settings: Config,
    agentEnv: NodeJS.ProcessEnv = process.env,
  ) {
    super();
    this.broker = new PermissionBroker(settings.permissionTimeoutMs);
    this.answers = new AnswerArchive(path.join(settings.stateDir, "answers"));
    this.workspaceFiles = new WorkspaceFiles(settings.workspace);
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
    this.delegates = new Delegates(settings, this.broker, agentEnv, { emit: (event) => this.emitControl(event), stateChanged: () => this.emitState() });
    const preamble = sessionPreamble();
    this.workspaceSession = new WorkspaceSession(
      this.host,
      settings.workspace,
      { changed: () => this.emitState(), distrust: (agent) => this.endAgent(agent) },
      { preamble, keeper: new SessionKeeper(settings, () => this.emitState(), (signal) => this.host.ensure(signal)) },
    );
    this.scheduler = new TurnScheduler({
      workspace: settings.workspace,
      maxParallelTurns: settings.maxParallelTurns,
      preamble,
      main: this.workspaceSession,
      changed: () => this.emitState(),
    });
    this.broker.on("pending", (request) => this.emitControl({ type: "permissionPending", request }));
    this.broker.on("resolved", (view, { decision, source, note }) => this.emitControl({ type: "permissionResolved", id: view.id, turnId: view.turnId, decision, source, ...(note ? { note } : {}) }));
    this.broker.on("withdrawn", (view, reason) => this.emitControl({ type: "permissionResolved", id: view.id, turnId: view.turnId, decision: "deny", source: "withdrawn", note: reason }));
  }

  // ── asks ────────────────────────────────────────────────────────────────────────────────────────

  async ask(request: AskRequest): Promise<AskOutcome> {
    if (this.closed) return failure("shutting_down", "The server is shutting down — call again once it has restarted.");
    const ask = { caller: request.caller, reply: request.tool === "reply", progress: request.progress, signal: request.signal };
    const paused = oldestWaitingOf(this.scheduler.stuckBehind(ask));
    if (paused) {
      return failure("busy", `Codex is waiting for a decision on the current ask (${paused.summary}) — answer it with permit (allow, allow_session or deny) first, or call reset.`);
    }
    let admitted: Admitted | null = null;
    let turn: Turn | null = null;
    try {
      // The main session's bookkeeping after a turn (a /status read, milliseconds) is waited out: an ask that came
      // just then would otherwise start a parallel session for nothing.
      await this.mainBookkeeping;
      admitted = await this.scheduler.admit(ask);
      if (!admitted) return failure("cancelled", "The ask was cancelled while it waited for its turn.");
      const { agent, session } = admitted;
      this.lastError = null;
      const optionError = await applyAskOptions(agent, session, { model: request.model ?? this.settings.defaultModel ?? undefined, effort: request.effort ?? this.settings.defaultEffort ?? undefined });
      if (optionError) throw new AgentError("invalid_argument", optionError);
      const sessionId = session.id;
      const lostFork = this.scheduler.takeLostConversation(request.caller);
      // Codex's own reviewer when advertised (codex-acp announces commands for new and loaded sessions, not forks).
      const native = await this.commands.ifOffered(request.nativeReview, session.key === MAIN ? sessionId : (this.workspaceSession.sessionId ?? sessionId));
      const reviewer = request.nativeReview ? (native ? "codex" : "prompt") : undefined;
      this.workspaceFiles.refresh();
      turn = new Turn({
        tool: request.tool,
        client: request.client,
        summary: request.summary,
        idleTimeoutMs: request.timeoutMs ?? this.settings.turnTimeoutMs,
        onIdle: (idle) => this.cancelTurn(idle, "timeout"),
        sessionId: () => sessionId,
        contextNote: this.workspaceSession.takeContextNote() ?? (lostFork ? LOST_FORK_NOTE : undefined),
        archive: (id, text) => this.answers.keep(id, text),
        workspace: this.settings.workspace,
        reviewer,
        files: () => this.workspaceFiles.list,
      });
      for (const note of [session.modeWarning, ...this.workspaceSession.keeper.quotaNotes()]) if (note) turn.addNote(note);
      if (request.nativeReview && !native) turn.addNote(`The agent does not offer Codex's /${request.nativeReview.name} command, so Codex Fusion's review prompt reviewed the same changes.`);
      this.scheduler.started(admitted, turn);
      this.emitControl({ type: "turnStarted", id: turn.id, tool: turn.tool, client: turn.client, summary: turn.summary, startedAt: turn.startedAt, sessionId, forked: session.key !== MAIN });
      this.emitState();
      // Codex's reviewer needs its slash command as the prompt's first text. Any other ask carries the preamble once
      // per session: in its system prompt, or at the head of its first prompt.
      const prompt = native ? native.command : session.preamble ? request.prompt : withPreamble(request.prompt);
      if (!native) session.preamble = true;
      void this.runTurn(agent, turn, admitted.slot, prompt);
      return await this.waitFor(turn, request.signal, request.progress);
    } catch (error) {
      if (!turn && admitted) this.scheduler.release(admitted.slot);
      const failed = error instanceof AgentError ? error.toProtocol() : { code: "internal" as const, message: `Codex failed: ${oneLine(errorMessage(error))}` };
      this.lastError = failed;
      this.emitState();
      return { kind: "error", error: failed };
    }
  }

  /** Answers the given pending permission (else the caller's oldest, else the oldest) and follows its turn to its next outcome. */
  async permit(request: PermitRequest): Promise<AskOutcome> {
    const { id, caller, signal, progress } = request;
    const own = id === undefined ? oldestWaitingOf(this.scheduler.turnsOf(caller)) : undefined;
    const outcome = this.broker.decide(id ?? own?.id, request.decision, "claude", request.note);
    if (!outcome.ok) {
      if (id === undefined) {
        // Someone else (the editor, the timeout) decided first: hand over the answer this caller would have received.
        const finished = this.scheduler.takeUncollected(caller);
        if (finished) return finished;
        const running = this.scheduler.turnsOf(caller).find((turn) => !turn.awaited);
        if (running) return this.waitFor(running, signal, progress);
      }
      return failure(outcome.code, `Nothing to permit: ${outcome.reason}.`);
    }
    const turn = this.scheduler.turnById(outcome.request.turnId ?? "");
    if (!turn || turn.settled) return failure("not_found", "The permission was answered, but its turn has already ended.");
    return this.waitFor(turn, signal, progress);
  }

  /** Cancels one turn (the given one, else the oldest running): the editor's Cancel. */
  cancelTurnById(id?: string): boolean {
    const turns = this.scheduler.turns();
    const turn = id === undefined ? turns[0] : turns.find((candidate) => candidate.id === id);
    if (!turn || turn.settled) return false;
    this.cancelTurn(turn, "client");
    return true;
  }

  /** The caller (an MCP session) went away: its forked session is closed once idle. */
  forgetCaller(caller: string): void {
    this.scheduler.forget(caller);
  }

  /** Drops every Codex session, whatever state the agent is in: the next ask starts a fresh one. */
  async reset(): Promise<string> {
    const running = this.scheduler.turns();
    for (const turn of running) this.cancelTurn(turn, "reset");
    // A start-up that hangs is abandoned (its agent is ended); the asks waiting for it are told why.
    const { dropped: old, abandonedStartup } = this.workspaceSession.drop(new AgentError("cancelled", "The Codex session was reset while Codex was starting — ask again."));
    const agent = this.host.agent;
    const [forks, dropped] = [this.scheduler.dropAll(agent), await this.delegates.reset()];
    // An agent that cannot even close a session in time is not worth keeping; one that refuses (the session is gone) is.
    if (agent && old && (await agent.closeSession(old)) === "timeout") this.endAgent(agent);
    this.emitState();
    if (abandonedStartup) return `Codex's start-up was abandoned and the session dropped; the next ask starts afresh.${dropped}`;
    const cancelled = running.length === 1 ? " (its turn was cancelled)" : running.length > 1 ? ` (${running.length} turns were cancelled)` : "";
    const parallel = forks > 0 ? ` and ${forks} parallel session${forks === 1 ? "" : "s"} closed` : "";
    return old
      ? `Codex session ${old} dropped${parallel}${cancelled}; the next ask starts a fresh session.${dropped}`
      : `There was no Codex session; the next ask starts a fresh one.${dropped}`;
  }

  status(): ServerStatus {
    const turns = this.scheduler.summaries();
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
      turn: turns[0] ?? null,
      turns,
      maxParallelTurns: this.scheduler.maxParallelTurns,
      parallelSessions: this.scheduler.forkCount,
      queued: this.scheduler.queued,
      pendingPermissions: this.broker.list(),
      guardian: { allowExternalReads: this.settings.allowExternalReads, allowWrites: this.settings.allowWrites, allowCommands: this.settings.allowCommands },
      copies: this.delegates.summaries(),
      lastError: this.lastError?.message ?? null,
      lastErrorCode: this.lastError?.code ?? null,
      advice: this.advice(),
      ...this.workspaceSession.keeper.status(this.workspaceSession.sessionId),
    };
  }

  /** Ends the agent and everything it started. */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.workspaceFiles.close();
    this.broker.withdrawAll("the server is shutting down");
    for (const turn of this.scheduler.turns()) turn.fail("shutting_down", "The server is shutting down.", "cancelled");
    await Promise.all([this.host.stop(200), this.delegates.shutdown()]);
  }

  /** Synchronous last resort on process exit. */
  killNow(): void {
    this.host.kill();
    this.delegates.killNow();
  }

  // ── the turn ────────────────────────────────────────────────────────────────────────────────────

  private async runTurn(agent: AgentConnection, turn: Turn, slot: Slot, prompt: string): Promise<void> {
    // Only the main session's turns are kept for continuity and usage (forks are never resumed).
    const main = slot.sessionId === this.workspaceSession.sessionId;
    let bookkept = () => {};
    try {
      await runPrompts(agent, turn, slot.sessionId!, prompt);
      if (main) {
        this.mainBookkeeping = new Promise((resolve) => (bookkept = resolve));
        await this.workspaceSession.keeper.afterMainTurn(agent, slot.sessionId!, turn, this.commands.has(slot.sessionId!, "status"));
      }
    } finally {
      this.endTurn(turn, slot);
      bookkept();
    }
  }

  private endTurn(turn: Turn, slot: Slot): void {
    this.progressEvents.ended(turn);
    const outcome = turn.settled;
    if (outcome) {
      if (outcome.kind === "failed") this.lastError = outcome.error;
      else if (outcome.kind === "finished") this.lastError = null;
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
    this.scheduler.release(slot);
    this.emitState();
  }

  private waitFor(turn: Turn, signal: AbortSignal | undefined, progress: ProgressReporter): Promise<TurnOutcome> {
    return outcomeForCaller(turn, { signal, progress, onAbort: () => this.cancelTurn(turn, "client") });
  }

  private cancelTurn(turn: Turn, reason: CancelReason): void {
    if (!turn.beginCancel(reason)) return;
    for (const request of [...turn.waitingFor]) this.broker.withdraw(request.id, "the turn was cancelled");
    const agent = this.host.agent;
    const sessionId = this.scheduler.sessionIdOf(turn);
    if (agent && sessionId) void agent.cancel(sessionId).catch(() => undefined);
    const timer = setTimeout(() => {
      if (turn.settled) return;
      // The agent ignored the cancel: end its whole process group; the next ask respawns (and reloads).
      turn.addNote("The agent did not stop when asked, so it was restarted.");
      if (agent) {
        this.forgetAgent(agent);
        agent.killNow();
      }
      settleCancelled(turn, reason);
    }, this.settings.cancelGraceMs);
    timer.unref();
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
    for (const turn of this.scheduler.turns()) turn.fail("agent_crashed", message, "crashed");
    this.emitState();
  }

  /** The agent is no longer ours: remember its main session for a reload, forget its forks, withdraw what it asked. */
  private forgetAgent(agent: AgentConnection): void {
    this.host.detach(agent);
    this.workspaceSession.lose();
    this.scheduler.loseForks();
    this.broker.withdrawAll("the Codex agent stopped");
  }

  // ── from the agent ──────────────────────────────────────────────────────────────────────────────

  private onUpdate(notification: acp.SessionNotification): void {
    const update = notification.update;
    const sessionId = notification.sessionId;
    if (this.workspaceSession.keeper.noteUpdate(sessionId, this.workspaceSession.sessionId, update)) return;
    if (sessionId === this.workspaceSession.sessionId) this.workspaceSession.noteUpdate(update);
    else this.scheduler.noteForkUpdate(sessionId, update);
    if (update.sessionUpdate === "available_commands_update") this.commands.update(sessionId, update.availableCommands);
    // Updates outside a turn (history replayed by session/load) are not part of any answer.
    const turn = this.scheduler.turnOnSession(sessionId);
    if (!turn) return;
    turn.apply(update);
    if (this.listenerCount("control") > 0) this.progressEvents.changed(turn);
  }

  private onPermission(request: acp.RequestPermissionRequest, signal: AbortSignal): Promise<acp.RequestPermissionResponse> {
    return this.permissions.answer(request, signal, this.scheduler.turnOnSession(request.sessionId));
  }

  // ── events for the editor ───────────────────────────────────────────────────────────────────────

  private emitState(): void {
    if (this.listenerCount("control") === 0) return;
    const status = this.status();
    const state = status.turns.length > 0 ? "busy" : status.lastError && !status.agentAlive ? "error" : "ready";
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
