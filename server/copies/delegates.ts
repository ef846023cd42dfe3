// The server's delegates: each a Codex session in an isolated copy of the workspace (copyStore.ts), on an agent of
// their own (so the workspace's read-only sessions and a delegate's workspace-write one never share a process), their
// permission requests judged by a guardian whose workspace is the copy (copyGuardian.ts) and held in the server's
// one broker (so `permit` and the editor answer them as any other). A delegate ends with its change as a patch; the
// copy stays for `reply` until it is discarded, reset, or the server exits.
import * as path from "node:path";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import type * as acp from "@agentclientprotocol/sdk/unstable";
import type { Config } from "../config";
import { AgentHost } from "../agent/acp/agentHost";
import type { AgentConnection, AgentEnd } from "../agent/acp/connection";
import { AgentError, errorMessage } from "../agent/acp/errors";
import { PermissionGate, type PermissionEvents } from "../agent/turn/permissionGate";
import { applyAskOptions } from "../agent/sessions/sessionSetup";
import { Turn, type CancelReason, type TurnOutcome } from "../agent/turn/turn";
import { runPrompts, settleCancelled } from "../agent/turn/turnRunner";
import { outcomeForCaller } from "../agent/turn/callerWait";
import type { PermissionBroker } from "../guardian/broker";
import type { ProgressReporter } from "../progress";
import type { CopySummary } from "../protocol/delegate";
import type { PermissionView } from "../protocol/results";
import type { PermitRequest } from "../agent/askRequest";
import { clip, oneLine } from "../protocol/text";
import { CommandLog, verifyOutcome } from "./commandLog";
import { CopyGuardian } from "./copyGuardian";
import { CopyStore, removeCopiesSync } from "./copyStore";
import { buildDelegatePrompt, buildDelegateReply } from "./delegatePrompt";
import { delegateResult } from "./delegateResult";
import { openDelegateSession } from "./delegateSession";
import { CopyError } from "./errors";
import { sandboxTempRoots, tempRootHolding } from "./sandboxRoots";
import { repositoryOf, type WorkspaceCopy } from "./workspaceCopy";
import { COPY_ERROR_CODES, fail, type Call, type Delegate, type DelegateOutcome, type DelegateReplyRequest, type DelegateRequest } from "./delegateRecord";

export type { DelegateOutcome } from "./delegateRecord";

export class Delegates {
  private readonly store: CopyStore;
  private readonly host: AgentHost;
  private readonly delegates = new Map<string, Delegate>();
  /** Each caller's latest delegate, while its latest call was one: `reply` without `change` continues it. */
  private readonly latest = new Map<string, string>();
  private closed = false;
  /** Delegates still making their copy (they count toward the parallel bound). */
  private starting = 0;
  /** The delegates' agent's own TMPDIR (a sandbox-writable root of ours, never the person's). */
  private readonly agentTmp: string;

  constructor(
    private readonly settings: Config,
    private readonly broker: PermissionBroker,
    agentEnv: NodeJS.ProcessEnv,
    private readonly events: PermissionEvents,
  ) {
    this.store = new CopyStore(settings.workspace, path.join(settings.stateDir, "copies"));
    // Beside the copies, owned like one: a crashed server's is removed at the next start.
    this.agentTmp = path.join(this.store.baseDir, `tmp-${process.pid}`);
    this.host = new AgentHost({
      argv: settings.agentCommand,
      cwd: this.store.baseDir,
      requestTimeoutMs: settings.agentRequestTimeoutMs,
      baseEnv: { ...agentEnv, TMPDIR: this.agentTmp },
      handlers: {
        onUpdate: (notification) => this.onUpdate(notification),
        onPermission: (request, signal) => this.onPermission(request, signal),
        onStderr: (text) => process.stderr.write(`[delegate agent] ${text}`),
      },
    });
    this.host.on("exit", (agent, end) => this.onAgentExit(agent, end));
  }

  // ── calls ─────────────────────────────────────────────────────────────────────────────────────────

  async delegate(request: DelegateRequest): Promise<DelegateOutcome> {
    if (this.closed) return fail("shutting_down", "The server is shutting down — call again once it has restarted.");
    const full = this.overLimit();
    if (full) return full;
    request.progress.update("Making Codex's copy of the workspace…");
    let copy: WorkspaceCopy;
    this.starting += 1; // counted from here: the copy takes a while, and a second delegate must not slip past the bound
    try {
      const repoRoot = await repositoryOf(this.settings.workspace);
      const temp = tempRootHolding(repoRoot, sandboxTempRoots(this.agentTmp));
      if (temp) return fail("invalid_argument", `The workspace ${repoRoot} is inside ${temp}, which Codex's workspace-write sandbox lets every command write: a delegate could change the workspace without asking — move the project out of ${temp} to delegate.`);
      copy = await this.store.create();
    } catch (error) {
      if (error instanceof CopyError) return fail(COPY_ERROR_CODES[error.code], error.message);
      throw error;
    } finally {
      this.starting -= 1;
    }
    const delegate: Delegate = {
      id: copy.id,
      copy,
      task: { task: request.task, paths: request.paths, verify: request.verify },
      gate: new PermissionGate(this.broker, new CopyGuardian(copy.cwd, this.settings, copy.repoRoot), this.events),
      caller: request.caller,
      session: null,
      agent: null,
      turn: null,
      running: true, // opening its session counts as running (the parallel bound, status)
      commands: new CommandLog(),
      files: 0,
    };
    this.delegates.set(delegate.id, delegate);
    this.latest.set(request.caller, delegate.id);
    this.events.stateChanged();
    const opened = await this.open(delegate, request);
    if (opened) {
      await this.discard(delegate.id);
      return opened;
    }
    return this.run(delegate, buildDelegatePrompt(delegate.task, copy.cwd), request, undefined);
  }

  /** Continues a delegate (the caller's latest, or the one named) in the same copy. */
  async reply(request: DelegateReplyRequest): Promise<DelegateOutcome> {
    if (this.closed) return fail("shutting_down", "The server is shutting down — call again once it has restarted.");
    const id = request.change ?? this.latest.get(request.caller);
    const delegate = id === undefined ? undefined : this.delegates.get(id);
    if (!delegate) return fail("not_found", request.change ? `No change ${request.change} (discarded, reset, or from before a restart) — call status for the ones kept, or delegate again.` : "There is no delegate to reply to — call delegate first.");
    if (delegate.running) return fail("busy", `Codex is still working on ${delegate.id} — wait for its result (answer a pending permission with permit first).`);
    const full = this.overLimit();
    if (full) return full;
    delegate.caller = request.caller;
    this.latest.set(request.caller, delegate.id);
    let note: string | undefined;
    if (!delegate.session || !delegate.agent?.alive) {
      note = "The Codex agent was restarted since this delegate's last turn: Codex starts a new session in the same copy, without the earlier conversation.";
      const opened = await this.open(delegate, request);
      if (opened) return opened;
    } else {
      const optionError = await applyAskOptions(delegate.agent, { id: delegate.session.sessionId, config: delegate.session.config }, { model: request.model ?? this.settings.defaultModel ?? undefined, effort: request.effort ?? this.settings.defaultEffort ?? undefined });
      if (optionError) return fail("invalid_argument", optionError);
    }
    return this.run(delegate, buildDelegateReply(request.message, delegate.task.verify), request, note);
  }

  /** Whether the caller's `reply` continues a delegate: it names one, or the caller's latest call was one. */
  continuesDelegate(caller: string, change: string | undefined): boolean {
    return change !== undefined || this.latest.has(caller);
  }

  /** The caller asked something else: its next `reply` continues that ask, not a delegate. */
  noteAsk(caller: string): void {
    this.latest.delete(caller);
  }

  /** Whether this permission (the one named, or the caller's oldest) belongs to a delegate. */
  ownsPermission(id: string | undefined, caller: string): boolean {
    return (id === undefined ? this.oldestPendingOf(caller) : this.broker.list().find((view) => view.id === id && this.byTurn(view.turnId))) !== undefined;
  }

  async permit({ decision, note, id, caller, signal, progress }: PermitRequest): Promise<DelegateOutcome> {
    const target = id ?? this.oldestPendingOf(caller)?.id;
    const outcome = this.broker.decide(target, decision, "claude", note);
    if (!outcome.ok) return fail(outcome.code, `Nothing to permit: ${outcome.reason}.`);
    const delegate = this.byTurn(outcome.request.turnId);
    if (!delegate?.turn) return fail("not_found", "The permission was answered, but its delegate has ended.");
    return this.outcomeOf(delegate, await this.waitFor(delegate, delegate.turn, signal, progress));
  }

  /** Cancels a delegate's turn if it runs, and removes its copy. */
  async discard(id: string): Promise<boolean> {
    const delegate = this.delegates.get(id);
    if (!delegate) return false;
    this.delegates.delete(id);
    for (const [caller, latest] of this.latest) if (latest === id) this.latest.delete(caller);
    if (delegate.turn && !delegate.turn.settled) this.cancel(delegate, "reset");
    if (delegate.agent && delegate.session) void delegate.agent.closeSession(delegate.session.sessionId);
    await this.store.remove(id);
    this.events.stateChanged();
    return true;
  }

  /** Discards every delegate; says how many copies went (for reset's message), or "". */
  async reset(): Promise<string> {
    const ids = [...this.delegates.keys()];
    for (const id of ids) await this.discard(id);
    return ids.length > 0 ? ` ${ids.length} delegate cop${ids.length === 1 ? "y" : "ies"} removed.` : "";
  }

  summaries(): CopySummary[] {
    return [...this.delegates.values()].map((delegate) => ({
      changeId: delegate.id,
      task: clip(oneLine(delegate.task.task), 120),
      root: delegate.copy.cwd,
      running: delegate.running,
      activity: delegate.running ? activityOf(delegate.turn) : null,
      files: delegate.files,
      createdAt: delegate.copy.createdAt,
    }));
  }

  async shutdown(): Promise<void> {
    this.closed = true;
    for (const delegate of this.delegates.values()) delegate.turn?.fail("shutting_down", "The server is shutting down.", "cancelled");
    await this.host.stop(200);
    await this.store.removeAll();
    this.delegates.clear();
    rmSync(this.agentTmp, { recursive: true, force: true });
  }

  /** Synchronous last resort on process exit: the agent's process group and the copies go. */
  killNow(): void {
    this.host.kill();
    removeCopiesSync(this.store.list());
    rmSync(this.agentTmp, { recursive: true, force: true });
  }

  // ── one turn ──────────────────────────────────────────────────────────────────────────────────────

  /** Starts the agent if needed and opens the delegate's session in its copy; an error outcome when that fails. */
  private async open(delegate: Delegate, call: Call): Promise<DelegateOutcome | null> {
    call.progress.update("Starting Codex in its copy…");
    try {
      mkdirSync(this.agentTmp, { recursive: true });
      writeFileSync(path.join(this.agentTmp, "owner.json"), JSON.stringify({ pid: process.pid, repoRoot: delegate.copy.repoRoot, createdAt: Date.now() }));
      const agent = await this.host.ensure(call.signal);
      delegate.session = await openDelegateSession(agent, delegate.copy.cwd, call.signal);
      delegate.agent = agent;
      const optionError = await applyAskOptions(agent, { id: delegate.session.sessionId, config: delegate.session.config }, { model: call.model ?? this.settings.defaultModel ?? undefined, effort: call.effort ?? this.settings.defaultEffort ?? undefined });
      if (optionError) return fail("invalid_argument", optionError);
      return null;
    } catch (error) {
      if (error instanceof AgentError) return fail(error.code, error.message);
      return fail("agent_start_failed", `Codex could not start in the copy: ${oneLine(errorMessage(error))} — call status, then try again.`);
    }
  }

  private async run(delegate: Delegate, prompt: string, call: Call, note: string | undefined): Promise<DelegateOutcome> {
    const agent = delegate.agent!;
    const sessionId = delegate.session!.sessionId;
    const turn = new Turn<"delegate">({
      tool: "delegate",
      client: call.client,
      summary: clip(oneLine(delegate.task.task), 120),
      idleTimeoutMs: call.timeoutMs ?? this.settings.turnTimeoutMs,
      onIdle: () => this.cancel(delegate, "timeout"),
      sessionId: () => delegate.session?.sessionId ?? null,
      contextNote: note,
    });
    delegate.turn = turn;
    delegate.running = true;
    delegate.commands = new CommandLog();
    this.events.stateChanged();
    void runPrompts(agent, turn, sessionId, prompt).finally(() => {
      delegate.running = false;
      this.events.stateChanged();
    });
    return this.outcomeOf(delegate, await this.waitFor(delegate, turn, call.signal, call.progress));
  }

  private waitFor(delegate: Delegate, turn: Turn<"delegate">, signal: AbortSignal | undefined, progress: ProgressReporter): Promise<TurnOutcome> {
    return outcomeForCaller(turn, { signal, progress, onAbort: () => this.cancel(delegate, "client") });
  }

  /** The result: the turn's outcome with the copy's change as it stands now. */
  private async outcomeOf(delegate: Delegate, outcome: TurnOutcome): Promise<DelegateOutcome> {
    if (!this.delegates.has(delegate.id)) {
      return outcome.kind === "failed" ? { kind: "error", error: outcome.error } : fail("cancelled", `Change ${delegate.id} was discarded while Codex worked on it.`);
    }
    const commands = delegate.commands.list();
    try {
      const change = await this.store.change(delegate.copy);
      delegate.files = change.files.length;
      return {
        kind: "result",
        result: delegateResult({
          changeId: delegate.id,
          repoRoot: delegate.copy.repoRoot,
          copyRoot: delegate.copy.root,
          outcome,
          patch: change.patch.toString("utf8"),
          patchFile: change.patchFile,
          files: change.files,
          commands,
          verify: verifyOutcome(delegate.task.verify, commands),
          pendingCount: this.broker.list().length,
        }),
      };
    } catch (error) {
      return fail("internal", `Codex's change in ${delegate.copy.cwd} could not be read: ${oneLine(errorMessage(error))} — call reply to try again, or reset.`);
    }
  }

  private cancel(delegate: Delegate, reason: CancelReason): void {
    const turn = delegate.turn;
    if (!turn || !turn.beginCancel(reason)) return;
    for (const view of this.broker.list()) if (view.turnId === turn.id) this.broker.withdraw(view.id, "the delegate was cancelled");
    const agent = delegate.agent;
    const sessionId = delegate.session?.sessionId;
    if (agent && sessionId) void agent.cancel(sessionId).catch(() => undefined);
    const timer = setTimeout(() => {
      if (turn.settled) return;
      // The agent ignored the cancel: end it (every delegate's session goes with it; reply opens a new one).
      turn.addNote("The agent did not stop when asked, so it was restarted.");
      if (agent) {
        this.host.detach(agent);
        agent.killNow();
        this.forget(agent, "The Codex agent was restarted.");
      }
      settleCancelled(turn, reason);
    }, this.settings.cancelGraceMs);
    timer.unref();
  }

  // ── from the agent ────────────────────────────────────────────────────────────────────────────────

  private bySession(sessionId: string): Delegate | undefined {
    for (const delegate of this.delegates.values()) if (delegate.session?.sessionId === sessionId) return delegate;
    return undefined;
  }

  private byTurn(turnId: string | null): Delegate | undefined {
    if (turnId === null) return undefined;
    for (const delegate of this.delegates.values()) if (delegate.turn?.id === turnId) return delegate;
    return undefined;
  }

  private oldestPendingOf(caller: string): PermissionView | undefined {
    return this.broker.list().find((view) => this.byTurn(view.turnId)?.caller === caller);
  }

  /** The parallel bound: running delegates and those still making their copy. */
  private overLimit(): DelegateOutcome | null {
    const busy = [...this.delegates.values()].filter((delegate) => delegate.running).length + this.starting;
    if (busy < this.settings.maxParallelTurns) return null;
    return fail("busy", `${busy} delegates are running already (CODEX_FUSION_MAX_PARALLEL_TURNS is ${this.settings.maxParallelTurns}) — wait for one to finish, or call reset.`);
  }

  private onUpdate(notification: acp.SessionNotification): void {
    const delegate = this.bySession(notification.sessionId);
    const turn = delegate?.turn;
    if (!delegate || !turn || turn.settled) return;
    const before = turn.activity.at(-1);
    turn.apply(notification.update);
    delegate.commands.apply(notification.update);
    // A new step shows in the editor's Codex Changes view (status carries each running delegate's latest one).
    if (turn.activity.at(-1) !== before) this.events.stateChanged();
  }

  private onPermission(request: acp.RequestPermissionRequest, signal: AbortSignal): Promise<acp.RequestPermissionResponse> {
    const delegate = this.bySession(request.sessionId);
    // A request from a session of no delegate (a subagent's, say) has nobody to answer to: declined.
    if (!delegate) return Promise.resolve({ outcome: { outcome: "cancelled" } });
    return delegate.gate.answer(request, signal, delegate.turn);
  }

  private onAgentExit(agent: AgentConnection, end: AgentEnd): void {
    const how = end.exit ? `exited (${end.exit.signal ? `signal ${end.exit.signal}` : `code ${end.exit.code}`})` : `was ended: ${end.streamFailure}`;
    this.forget(agent, `The delegates' Codex agent ${how} — reply continues in the same copy with a new session.`);
  }

  /** The agent is gone: its sessions with it; running turns fail (their copies stay for reply). */
  private forget(agent: AgentConnection, message: string): void {
    for (const delegate of this.delegates.values()) {
      if (delegate.agent !== agent) continue;
      delegate.session = null;
      delegate.agent = null;
      const turn = delegate.turn;
      if (turn && !turn.settled) {
        for (const view of this.broker.list()) if (view.turnId === turn.id) this.broker.withdraw(view.id, "the Codex agent stopped");
        turn.fail("agent_crashed", message, "crashed");
      }
    }
    this.events.stateChanged();
  }
}

/** What a running delegate is doing, for the editor's view: waiting on a decision, else its latest step. */
function activityOf(turn: Turn<"delegate"> | null): string | null {
  const waiting = turn?.waitingFor[0];
  return waiting ? `waiting for your decision: ${waiting.summary}` : (turn?.activity.at(-1) ?? null);
}
