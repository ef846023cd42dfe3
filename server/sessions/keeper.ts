// What the server keeps about the workspace's Codex sessions beyond one turn, behind one small surface for the
// session orchestrator: continuity across starts, the earlier sessions Codex has, and cost and context (usage,
// rate limits). Only the main session counts: forks are never kept or listed as the workspace's conversation.
import type * as acp from "@agentclientprotocol/sdk/unstable";
import type { AgentConnection } from "../agent/acp/connection";
import type { Config } from "../config";
import type { ContinuityStatus, EarlierSession, UsageStatus } from "../protocol/continuity";
import type { Turn } from "../agent/turn/turn";
import { clip, posixQuote } from "../protocol/text";
import { findNativeCodex } from "../agent/acp/nativeCodex";
import { Continuity, type ContinuePlan, type OpenReport } from "./continuity";
import { listSessions } from "./listing";
import { StatusProbe } from "./statusProbe";
import { UsageTracker } from "./usage";
import { when } from "./wording";

/** Rate limits change slowly: read them at most this often (each read costs codex-acp a round trip to the service). */
const PROBE_EVERY_MS = 60_000;

export class SessionKeeper {
  readonly continuity: Continuity;
  private readonly usage = new UsageTracker();
  private readonly probe = new StatusProbe();
  private listedFor: string | null = null;
  private probedAt = Number.NEGATIVE_INFINITY;
  /** A new main session still named for no ask: its first finished ask names it (for Continue Earlier Session…). */
  private untitled: string | null = null;

  private readonly workspace: string;
  private readonly quotaWarningPercent: number;
  /** The windows already warned about (label and reset): each crossing is said once. */
  private readonly warned = new Set<string>();

  constructor(
    settings: Pick<Config, "stateDir" | "workspace" | "agentCommand"> & Partial<Pick<Config, "quotaWarningPercent">>,
    private readonly changed: () => void,
    /** A live agent (started when none runs), for listing sessions without opening one. */
    readonly startAgent: (signal?: AbortSignal) => Promise<AgentConnection>,
  ) {
    this.workspace = settings.workspace;
    this.quotaWarningPercent = settings.quotaWarningPercent ?? 80;
    this.continuity = new Continuity(settings, { codexCli: codexCli(settings.agentCommand) });
    // Locks end with the process, however it ends (a SIGKILL leaves one whose dead owner the next server sees).
    process.once("exit", () => this.continuity.close());
  }

  /** Every update from the agent passes here first; true when it was the probe's (it goes nowhere else). */
  noteUpdate(sessionId: string, mainId: string | null, update: acp.SessionUpdate): boolean {
    if (this.probe.take(sessionId, update)) return true;
    if (sessionId !== mainId) return false;
    if (update.sessionUpdate === "usage_update") this.usage.noteContext(update.used, update.size);
    if (update.sessionUpdate === "session_info_update") this.continuity.titled(sessionId, update.title);
    return false;
  }

  /** The main session is open on `agent`: keep it, and count the earlier sessions once per session (in the background). */
  opened(agent: AgentConnection, plan: ContinuePlan | null, report: OpenReport): void {
    this.continuity.opened(plan, report, this.workspace);
    const mainId = report.sessionId;
    this.untitled = report.continued ? null : mainId;
    if (this.listedFor === mainId) return;
    this.listedFor = mainId;
    void this.list(agent, mainId).then(
      (sessions) => {
        this.continuity.setEarlierSessions(sessions ? sessions.filter((session) => !session.current).length : null);
        this.changed();
      },
      () => undefined,
    );
  }

  /**
   * A turn on the main session ended, which still holds it: mark the session used, count its tokens, name a new
   * session after its first ask, and read the rate limits when the agent offers `/status` (codex-acp answers it
   * without a model call; at most once a minute).
   */
  async afterMainTurn(agent: AgentConnection, sessionId: string, turn: Turn, offersStatus: boolean): Promise<void> {
    const outcome = turn.settled;
    if (outcome?.kind !== "finished") return;
    this.continuity.touch(sessionId);
    this.usage.noteTurn(outcome.result.tokens);
    if (this.untitled === sessionId && agent.supportsSession("setTitle")) {
      this.untitled = null;
      // A rename is the agent's own bookkeeping (no model call), and nothing waits for it.
      void agent.request("session/set_title", { sessionId, title: `Codex Fusion: ${clip(turn.summary, 60)}` }, { timeoutMs: 5_000 }).catch(() => undefined);
    }
    if (!agent.alive || !offersStatus || Date.now() - this.probedAt < PROBE_EVERY_MS) return;
    this.probedAt = Date.now();
    this.usage.noteRateLimits(await this.probe.read(agent, sessionId));
  }

  /** A note for the next result per rate-limit window at least `quotaWarningPercent` full, once per window and reset. */
  quotaNotes(): string[] {
    if (this.quotaWarningPercent <= 0) return [];
    const notes: string[] = [];
    for (const window of this.usage.status().rateLimits) {
      const key = `${window.label}@${window.resets ?? ""}`;
      if (window.usedPercent < this.quotaWarningPercent || this.warned.has(key)) continue;
      this.warned.add(key);
      notes.push(`${window.usedPercent} % of Codex's ${window.label} is used${window.resets ? ` (resets ${window.resets})` : ""}: keep asks and reviews small until then.`);
    }
    return notes;
  }

  list(agent: AgentConnection, currentId: string | null, signal?: AbortSignal): Promise<EarlierSession[] | null> {
    return listSessions(agent, this.workspace, currentId, signal);
  }

  /** reset: the dropped session is forgotten, its context with it. */
  reset(dropped: string | null): void {
    this.continuity.reset(dropped);
    this.usage.resetContext();
    this.listedFor = null;
  }

  status(currentId: string | null): { continuity: ContinuityStatus; usage: UsageStatus } {
    return { continuity: this.continuity.status(currentId), usage: this.usage.status() };
  }

  /** One line for a result or a notification: "continued from …" is said by the result's note, not here. */
  describe(session: EarlierSession): string {
    return `${session.title ?? "untitled"}${session.updatedAt ? ` (last active ${when(Date.parse(session.updatedAt))})` : ""}`;
  }

  close(): void {
    this.continuity.close();
  }
}

/**
 * The Codex CLI that shares the agent's sessions: the native `codex` installed with codex-acp when there is one (it
 * need not be on PATH), else `codex`. Windows shells need more than quoting to run a path, so there it is `codex`.
 */
export function codexCli(agentCommand: string[], platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const native = platform === "win32" ? null : findNativeCodex(agentCommand, platform, arch);
  return native ? posixQuote(native) : "codex";
}
