// The workspace's one persistent Codex session: lazy agent start, read-only mode, one turn at a time,
// permissions through the guardian, cancel and idle timeouts, respawn with session reload.
import { EventEmitter } from "node:events";
import * as os from "node:os";
import type * as acp from "@agentclientprotocol/sdk";
import type { Config } from "../config";
import type { AskTool, ControlEvent, ServerStatus, TurnResult } from "../control/protocol";
import { PermissionBroker, describeSource, type Resolution } from "../guardian/broker";
import { chooseOption } from "../guardian/options";
import { collectRequestPaths, decide } from "../guardian/policy";
import { resolvePathFacts, workspaceRoot } from "../guardian/pathFacts";
import { buildPermissionView } from "../guardian/view";
import { buildDenialFollowUp } from "../prompts";
import { ProgressReporter, tail } from "../progress";
import { AgentConnection } from "./connection";
import { AgentError, authError, errorMessage, isAuthError, oneLine } from "./errors";
import { Turn, type TurnOutcome } from "./turn";
import { ConfigOptions } from "./configOptions";
import { findNativeCodex } from "./nativeCodex";

export interface AskRequest {
  tool: AskTool;
  prompt: string;
  summary: string;
  client: string | null;
  model?: string;
  effort?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  progress: ProgressReporter;
}

export type AskOutcome = TurnOutcome | { kind: "error"; message: string };

export interface SessionEvents {
  control: [ControlEvent];
}

const READ_ONLY = "read-only";
const INIT_TIMEOUT_MS = 120_000;

export class CodexSession extends EventEmitter<SessionEvents> {
  readonly broker: PermissionBroker;
  private agent: AgentConnection | null = null;
  private starting: Promise<AgentConnection> | null = null;
  private sessionId: string | null = null;
  /** The session to reload after the agent died, when the agent can load sessions. */
  private lostSessionId: string | null = null;
  private contextNote: string | undefined;
  private mode: string | null = null;
  private modeWarning: string | null = null;
  private readonly config: ConfigOptions = new ConfigOptions();
  private currentTurn: Turn | null = null;
  private readonly queue: Array<{ resolve: () => void; progress: ProgressReporter }> = [];
  private busy = false;
  private lastError: string | null = null;
  private unclaimed: { turn: Turn; outcome: TurnOutcome } | null = null;
  private realWorkspace: Promise<string>;
  private closed = false;

  constructor(
    private readonly settings: Config,
    private readonly agentEnv: NodeJS.ProcessEnv = process.env,
  ) {
    super();
    this.broker = new PermissionBroker(settings.permissionTimeoutMs);
    this.realWorkspace = workspaceRoot(settings.workspace);
    this.broker.on("pending", (request) => this.emitControl({ type: "permissionPending", request }));
    this.broker.on("resolved", (view, resolution) =>
      this.emitControl({ type: "permissionResolved", id: view.id, decision: resolution.decision, source: resolution.source, ...(resolution.note ? { note: resolution.note } : {}) }),
    );
    this.broker.on("withdrawn", (view, reason) => this.emitControl({ type: "permissionResolved", id: view.id, decision: "deny", source: "withdrawn", note: reason }));
  }

  // ── asks ────────────────────────────────────────────────────────────────────────────────────────

  async ask(request: AskRequest): Promise<AskOutcome> {
    if (this.closed) return { kind: "error", message: "The server is shutting down — call again once it has restarted." };
    const paused = this.currentTurn?.waitingForPermission ? this.broker.oldest() : undefined;
    if (paused) {
      return {
        kind: "error",
        message: `Codex is waiting for a decision on the current ask (${paused.summary}) — answer it with permit (allow, allow_session or deny) first, or call reset.`,
      };
    }
    if (!(await this.acquire(request))) return { kind: "error", message: "The ask was cancelled while it waited for its turn." };
    let turn: Turn | null = null;
    try {
      request.progress.update("Starting Codex…");
      const agent = await this.ensureAgent();
      await this.applyOptions(agent, request.model ?? this.settings.defaultModel ?? undefined, request.effort ?? this.settings.defaultEffort ?? undefined);
      const timeoutMs = request.timeoutMs ?? this.settings.turnTimeoutMs;
      turn = new Turn(request.tool, request.client, request.summary, timeoutMs, (t) => this.cancelTurn(t, "timeout"), () => this.sessionId, this.takeContextNote());
      if (this.modeWarning) turn.notes.push(this.modeWarning);
      this.currentTurn = turn;
      this.unclaimed = null;
      this.emitControl({ type: "turnStarted", id: turn.id, tool: turn.tool, client: turn.client, summary: turn.summary, startedAt: turn.startedAt });
      this.emitState();
      void this.runTurn(agent, turn, request.prompt);
      return await this.waitFor(turn, request.signal, request.progress);
    } catch (error) {
      if (!turn) this.release();
      const message = error instanceof AgentError ? error.message : `Codex failed: ${oneLine(errorMessage(error))}`;
      this.lastError = message;
      this.emitState();
      return { kind: "error", message };
    }
  }

  /** Answers the oldest (or the given) pending permission and follows the same turn to its next outcome. */
  async permit(decision: "allow" | "allow_session" | "deny", note: string | undefined, id: string | undefined, signal: AbortSignal | undefined, progress: ProgressReporter): Promise<AskOutcome> {
    const turn = this.currentTurn;
    const outcome = this.broker.decide(id, decision, "claude", note);
    if (!outcome.ok) {
      // Someone else (the editor, the timeout) decided first: hand over the answer this caller would have received.
      if (!id && this.unclaimed) {
        const { outcome: finished } = this.unclaimed;
        this.unclaimed = null;
        return finished;
      }
      if (!id && turn && !turn.settled && !turn.claimed) return this.waitFor(turn, signal, progress);
      return { kind: "error", message: `Nothing to permit: ${outcome.reason}.` };
    }
    if (!turn || turn.id !== outcome.request.turnId) return { kind: "error", message: "The permission was answered, but its turn has already ended." };
    return this.waitFor(turn, signal, progress);
  }

  /** Cancels the turn in progress, if any (the editor's Cancel). */
  cancelCurrent(): boolean {
    if (!this.currentTurn || this.currentTurn.settled) return false;
    this.cancelTurn(this.currentTurn, "client");
    return true;
  }

  /** Drops the Codex session: the next ask starts a fresh one. */
  async reset(): Promise<string> {
    const hadTurn = this.currentTurn && !this.currentTurn.settled;
    if (this.currentTurn && !this.currentTurn.settled) this.cancelTurn(this.currentTurn, "reset");
    const agent = this.agent;
    const old = this.sessionId;
    this.sessionId = null;
    this.lostSessionId = null;
    this.contextNote = undefined;
    this.unclaimed = null;
    this.config.clear();
    if (agent && old && agent.init.agentCapabilities?.sessionCapabilities?.close) {
      await agent.request("session/close", { sessionId: old }).catch(() => undefined);
    }
    this.emitState();
    return old
      ? `Codex session ${old} dropped${hadTurn ? " (its turn was cancelled)" : ""}; the next ask starts a fresh session.`
      : "There was no Codex session; the next ask starts a fresh one.";
  }

  status(): ServerStatus {
    const turn = this.currentTurn && !this.currentTurn.settled ? this.currentTurn : null;
    return {
      workspace: this.settings.workspace,
      agentCommand: this.settings.agentCommand,
      agentAlive: this.agent?.alive ?? false,
      agentPid: this.agent?.alive ? (this.agent.process.pid ?? null) : null,
      sessionId: this.sessionId,
      mode: this.mode,
      modeWarning: this.modeWarning,
      turn: turn ? { id: turn.id, tool: turn.tool, client: turn.client, elapsedMs: turn.elapsedMs, waitingForPermission: turn.waitingForPermission } : null,
      queued: this.queue.length,
      pendingPermissions: this.broker.list(),
      guardian: { allowExternalReads: this.settings.allowExternalReads, allowWrites: this.settings.allowWrites, allowCommands: this.settings.allowCommands },
      lastError: this.lastError,
      advice: this.advice(),
    };
  }

  /** Ends the agent and everything it started. */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.broker.withdrawAll("the server is shutting down");
    const agent = this.agent;
    this.agent = null;
    if (this.currentTurn && !this.currentTurn.settled) this.currentTurn.fail("The server is shutting down.", "cancelled");
    await agent?.stop(200);
  }

  /** Synchronous last resort on process exit. */
  killNow(): void {
    this.agent?.killNow();
  }

  // ── the turn ────────────────────────────────────────────────────────────────────────────────────

  private async runTurn(agent: AgentConnection, turn: Turn, prompt: string): Promise<void> {
    let text = prompt;
    try {
      for (;;) {
        let response: acp.PromptResponse & { usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number } | null };
        try {
          response = await agent.request("session/prompt", { sessionId: this.sessionId, prompt: [{ type: "text", text }] });
        } catch (error) {
          if (!turn.settled) {
            // An exit is reported by onAgentExit with the agent's last words; give it a moment to land first.
            await Promise.race([agent.exited, new Promise((resolve) => setTimeout(resolve, 200))]);
            if (!turn.settled) turn.fail(`Codex failed during the turn: ${oneLine(errorMessage(error))} — call again; if it repeats, call reset.`);
          }
          return;
        }
        // The SDK dispatches notifications a few microtasks late: let the last chunks land before reading the answer.
        await new Promise((resolve) => setImmediate(resolve));
        if (turn.settled) return;
        if (response.stopReason === "cancelled" && turn.denial && !turn.cancelReason) {
          // codex-acp aborts the whole turn on a denial; ask again so the caller still gets an answer.
          const { what, by, note } = turn.denial;
          turn.denial = null;
          if (turn.answer) turn.answer += "\n\n";
          text = buildDenialFollowUp(what, by, note);
          continue;
        }
        const tokens = response.usage ? { input: response.usage.inputTokens, output: response.usage.outputTokens, total: response.usage.totalTokens } : undefined;
        if (turn.cancelReason === "timeout") turn.fail(this.timeoutMessage(turn), "timeout");
        else if (turn.systemError) turn.fail(`Codex reported a model/API error: ${tail(turn.answer, 300) || "no details"} — check the model service, your plan and network, then call again.`, "error");
        else turn.finish(response.stopReason, tokens);
        return;
      }
    } finally {
      this.endTurn(turn);
    }
  }

  private endTurn(turn: Turn): void {
    if (this.currentTurn === turn) this.currentTurn = null;
    // No progress may arrive after the turn's end.
    if (this.controlProgress?.turnId === turn.id) {
      this.controlProgress.reporter.stop();
      this.controlProgress = null;
    }
    const outcome = turn.settled;
    if (outcome) {
      if (outcome.kind === "failed") this.lastError = outcome.message;
      else if (outcome.kind === "finished") this.lastError = null;
      if (turn.unclaimed && outcome.kind !== "permission") this.unclaimed = { turn, outcome };
      this.emitControl({
        type: "turnFinished",
        id: turn.id,
        tool: turn.tool,
        client: turn.client,
        summary: turn.summary,
        result: outcome.result,
        activity: [...turn.activity],
        isError: outcome.kind === "failed",
        error: outcome.kind === "failed" ? outcome.message : null,
      });
    }
    this.release();
    this.emitState();
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

  private cancelTurn(turn: Turn, reason: "client" | "timeout" | "reset"): void {
    if (turn.settled || turn.cancelReason) return;
    turn.cancelReason = reason;
    for (const request of this.broker.list()) if (request.turnId === turn.id) this.broker.withdraw(request.id, "the turn was cancelled");
    const agent = this.agent;
    if (agent && this.sessionId) void agent.notify("session/cancel", { sessionId: this.sessionId }).catch(() => undefined);
    const timer = setTimeout(() => {
      if (turn.settled) return;
      // The agent ignored the cancel: end its whole process group; the next ask respawns (and reloads).
      turn.notes.push("The agent did not stop when asked, so it was restarted.");
      if (agent && this.agent === agent) this.forgetAgent(agent);
      agent?.killNow();
      if (reason === "timeout") turn.fail(this.timeoutMessage(turn), "timeout");
      else turn.finish("cancelled");
    }, this.settings.cancelGraceMs);
    timer.unref();
  }

  private timeoutMessage(turn: Turn): string {
    return `Codex sent nothing for too long (idle limit reached after ${Math.round(turn.elapsedMs / 1000)} s), so the turn was cancelled — call again, raise timeoutSec (or CODEX_FUSION_TURN_TIMEOUT_MS), or check the model service.`;
  }

  // ── the agent ───────────────────────────────────────────────────────────────────────────────────

  private ensureAgent(): Promise<AgentConnection> {
    if (this.agent?.alive && this.sessionId) return Promise.resolve(this.agent);
    this.starting ??= this.startSession().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async startSession(): Promise<AgentConnection> {
    let agent = this.agent?.alive ? this.agent : null;
    if (!agent) {
      agent = await AgentConnection.start(
        {
          argv: this.settings.agentCommand,
          cwd: this.settings.workspace,
          env: this.launchEnv(),
          initTimeoutMs: INIT_TIMEOUT_MS,
        },
        {
          onUpdate: (notification) => this.onUpdate(notification),
          onPermission: (request, signal) => this.onPermission(request, signal),
          onStderr: (text) => process.stderr.write(`[agent] ${text}`),
        },
      );
      this.agent = agent;
      const started = agent;
      void started.exited.then((exit) => this.onAgentExit(started, exit));
    }
    try {
      await this.openSession(agent);
    } catch (error) {
      if (isAuthError(error)) throw authError();
      if (error instanceof AgentError) throw error;
      throw new AgentError("start_failed", `The Codex agent could not open a session: ${oneLine(errorMessage(error))}${agent.alive ? "" : ` (it exited: ${agent.process.lastStderrLines() || "no output"})`}`);
    }
    this.lastError = null;
    return agent;
  }

  private launchEnv(): NodeJS.ProcessEnv {
    // Read-only from the first moment, before we get to set the mode on the session.
    const env: NodeJS.ProcessEnv = { ...this.agentEnv, INITIAL_AGENT_MODE: READ_ONLY };
    // The editor runs us as Node through Electron. An agent started with that same runtime needs it too; any other
    // agent (and the commands Codex runs) must not inherit it.
    if (this.settings.agentCommand[0] !== process.execPath) delete env.ELECTRON_RUN_AS_NODE;
    if (!env.CODEX_PATH) {
      const native = findNativeCodex(this.settings.agentCommand, process.platform, process.arch);
      if (native) env.CODEX_PATH = native;
    }
    return env;
  }

  private async openSession(agent: AgentConnection): Promise<void> {
    const cwd = this.settings.workspace;
    const previous = this.lostSessionId;
    this.lostSessionId = null;
    let response: acp.NewSessionResponse | acp.LoadSessionResponse | null = null;
    if (previous && agent.init.agentCapabilities?.loadSession) {
      try {
        response = await agent.request<acp.LoadSessionResponse>("session/load", { sessionId: previous, cwd, mcpServers: [] });
        this.sessionId = previous;
        this.contextNote = "The Codex agent was restarted and reloaded the previous session: context kept.";
      } catch {
        this.contextNote = "The Codex agent was restarted and could not reload the previous session: context lost.";
      }
    } else if (previous) {
      this.contextNote = "The Codex agent was restarted and cannot reload sessions: context lost.";
    }
    if (!response) {
      const created = await agent.request<acp.NewSessionResponse>("session/new", { cwd, mcpServers: [] });
      this.sessionId = created.sessionId;
      response = created;
    }
    this.config.reset(response.configOptions ?? []);
    await this.enforceReadOnly(agent, response);
    if (agent.init.agentCapabilities?.sessionCapabilities && "title" in agent.init.agentCapabilities.sessionCapabilities && !previous) {
      // Naming the session saves codex-acp a model call it would otherwise spend on a title.
      await agent.request("session/set_title", { sessionId: this.sessionId, title: "Codex Fusion review" }).catch(() => undefined);
    }
    this.emitState();
  }

  /** Read-only at the source: even a policy bug cannot let Codex write without an approval. */
  private async enforceReadOnly(agent: AgentConnection, response: acp.NewSessionResponse | acp.LoadSessionResponse): Promise<void> {
    const sessionId = this.sessionId;
    const modeOption = this.config.find("mode");
    this.modeWarning = null;
    if (modeOption && this.config.values(modeOption).includes(READ_ONLY)) {
      const updated = await agent.request<acp.SetSessionConfigOptionResponse>("session/set_config_option", { sessionId, configId: modeOption.id, value: READ_ONLY });
      this.config.reset(updated.configOptions ?? []);
      this.mode = String(this.config.find("mode")?.currentValue ?? "unknown");
    } else if (response.modes?.availableModes.some((mode) => mode.id === READ_ONLY)) {
      await agent.request("session/set_mode", { sessionId, modeId: READ_ONLY });
      this.mode = READ_ONLY;
    } else {
      this.mode = response.modes?.currentModeId ?? null;
      this.modeWarning = "Warning: the agent offers no read-only mode, so nothing at the source stops Codex from writing; only the guardian's approvals stand in the way.";
      return;
    }
    if (this.mode !== READ_ONLY) {
      this.modeWarning = `Warning: the agent stayed in mode "${this.mode}" after being set to read-only; Codex may act without asking.`;
    }
  }

  private async applyOptions(agent: AgentConnection, model: string | undefined, effort: string | undefined): Promise<void> {
    for (const [kind, value] of [["model", model], ["effort", effort]] as const) {
      const change = this.config.plan(kind, value);
      if (change.error) throw new AgentError("invalid_argument", change.error);
      if (!change.set) continue;
      const updated = await agent.request<acp.SetSessionConfigOptionResponse>("session/set_config_option", { sessionId: this.sessionId, configId: change.set.id, value: change.set.value });
      this.config.reset(updated.configOptions ?? [], false);
    }
  }

  private takeContextNote(): string | undefined {
    const note = this.contextNote;
    this.contextNote = undefined;
    return note;
  }

  private onAgentExit(agent: AgentConnection, exit: { code: number | null; signal: NodeJS.Signals | null }): void {
    if (this.agent !== agent) return;
    this.forgetAgent(agent);
    const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
    const stderr = agent.process.lastStderrLines();
    const message = `The Codex agent exited (${how})${stderr ? `: ${stderr}` : ""} — the next call starts it again${agent.init.agentCapabilities?.loadSession ? " and reloads the session" : "; Codex's context is lost"}.`;
    this.lastError = message;
    const turn = this.currentTurn;
    if (turn && !turn.settled) turn.fail(message, "crashed");
    this.emitState();
  }

  private forgetAgent(agent: AgentConnection): void {
    if (this.agent !== agent) return;
    this.agent = null;
    if (this.sessionId) this.lostSessionId = this.sessionId;
    this.sessionId = null;
    this.broker.withdrawAll("the Codex agent stopped");
  }

  // ── from the agent ──────────────────────────────────────────────────────────────────────────────

  private onUpdate(notification: acp.SessionNotification): void {
    const update = notification.update;
    if (update.sessionUpdate === "config_option_update") this.config.reset(update.configOptions, false);
    if (update.sessionUpdate === "current_mode_update") this.mode = update.currentModeId;
    const turn = this.currentTurn;
    // Updates outside a turn (history replayed by session/load) are not part of any answer.
    if (!turn || turn.settled || notification.sessionId !== this.sessionId) return;
    turn.apply(update);
    this.emitProgress(turn);
  }

  private async onPermission(request: acp.RequestPermissionRequest, signal: AbortSignal): Promise<acp.RequestPermissionResponse> {
    const turn = this.currentTurn;
    const recentDiffPaths = turn?.diffPaths.get(request.toolCall.toolCallId);
    const { paths, cwd, unknownPaths } = collectRequestPaths(request, recentDiffPaths);
    const realWorkspace = await this.realWorkspace;
    const facts = {
      paths: await resolvePathFacts(paths, { workspace: realWorkspace, homeDir: os.homedir(), cwd }),
      unknownPaths,
    };
    const verdict = decide(request, facts, this.settings, recentDiffPaths);
    const view = buildPermissionView({
      request,
      turnId: turn?.id ?? null,
      category: verdict.category,
      reason: verdict.reason,
      paths: facts.paths.map((fact) => fact.resolved),
      cwd: cwd ?? null,
      diffPreview: turn?.diffPreviews.get(request.toolCall.toolCallId) ?? null,
      pathContext: { roots: [this.settings.workspace, realWorkspace], home: os.homedir() },
    });
    if (!turn || turn.settled || turn.cancelReason) return { outcome: { outcome: "cancelled" } };

    if (verdict.action !== "ask") {
      const decision = verdict.action === "allow" ? "allow" : "deny";
      const chosen = chooseOption(request.options, decision);
      this.emitControl({ type: "permissionPending", request: view });
      this.emitControl({ type: "permissionResolved", id: view.id, decision, source: "policy", note: verdict.reason });
      if (decision === "deny") turn.denial = { what: view.summary, by: describeSource("policy"), note: verdict.reason };
      return chosen ? { outcome: { outcome: "selected", optionId: chosen.optionId } } : { outcome: { outcome: "cancelled" } };
    }

    const held = this.broker.hold(view);
    turn.pause(view);
    this.emitState();
    const onAbort = () => this.broker.withdraw(view.id, "Codex withdrew the request (its turn was cancelled)");
    signal.addEventListener("abort", onAbort, { once: true });
    let resolution: Resolution;
    try {
      resolution = await held;
    } finally {
      signal.removeEventListener("abort", onAbort);
      turn.resume();
      this.emitState();
    }
    if (resolution.source === "withdrawn") return { outcome: { outcome: "cancelled" } };
    const chosen = chooseOption(request.options, resolution.decision);
    const who = describeSource(resolution.source);
    if (resolution.decision === "deny" || !chosen) {
      turn.notes.push(`Codex asked to ${view.summary}; denied by ${who}${resolution.note ? ` (${resolution.note})` : ""}.`);
      turn.denial = { what: view.summary, by: who, ...(resolution.note ? { note: resolution.note } : {}) };
      const reject = chooseOption(request.options, "deny");
      return reject ? { outcome: { outcome: "selected", optionId: reject.optionId } } : { outcome: { outcome: "cancelled" } };
    }
    turn.notes.push(`Codex asked to ${view.summary}; ${resolution.decision === "allow_session" ? "allowed for the session" : "allowed once"} by ${who}${chosen.note ? ` — ${chosen.note}` : ""}.`);
    return { outcome: { outcome: "selected", optionId: chosen.optionId } };
  }

  // ── queue ───────────────────────────────────────────────────────────────────────────────────────

  /** One turn at a time; later callers wait in order and hear their position. */
  private acquire(request: AskRequest): Promise<boolean> {
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const entry = {
        progress: request.progress,
        resolve: () => {
          request.signal?.removeEventListener("abort", onAbort);
          resolve(true);
        },
      };
      const onAbort = () => {
        const index = this.queue.indexOf(entry);
        if (index >= 0) this.queue.splice(index, 1);
        this.announceQueue();
        resolve(false);
      };
      request.signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(entry);
      this.announceQueue();
      this.emitState();
    });
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) {
      next.resolve();
      this.announceQueue();
    } else this.busy = false;
  }

  private announceQueue(): void {
    this.queue.forEach((entry, index) => entry.progress.update(`Queued behind ${index + 1} other ask${index === 0 ? "" : "s"} on this Codex session…`));
  }

  // ── events for the editor ───────────────────────────────────────────────────────────────────────

  /** Throttles turnProgress events for the editor, like MCP progress for callers. */
  private controlProgress: { turnId: string; reporter: ProgressReporter } | null = null;

  private emitProgress(turn: Turn): void {
    if (this.listenerCount("control") === 0) return;
    if (this.controlProgress?.turnId !== turn.id) {
      this.controlProgress?.reporter.stop();
      const reporter = new ProgressReporter(async () => {
        this.emitControl({ type: "turnProgress", id: turn.id, answerTail: tail(turn.answer, 4000), thoughtTail: tail(turn.thoughts, 400), activity: turn.activity.at(-1) ?? null, elapsedMs: turn.elapsedMs });
      });
      this.controlProgress = { turnId: turn.id, reporter };
    }
    // The reporter skips repeated messages; the sizes change whenever there is something new to show.
    this.controlProgress.reporter.update(`${turn.answer.length}:${turn.thoughts.length}:${turn.activity.length}`);
  }

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
    if (this.modeWarning) return this.modeWarning;
    if (this.lastError) return this.lastError;
    return null;
  }
}

export type { TurnResult };
