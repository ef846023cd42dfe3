// Session continuity: the workspace's main Codex session survives a server restart. On the first open after a start
// the kept session is continued (unless another live server drives it, the agent changed, or the state file is
// unusable — each said once, never an error); every finished turn marks it used; reset forgets it; a person may pick
// an earlier one to continue. Forks are never kept. The file lives in the state dir (store.ts), locks beside it.
import type { ContinuityStatus, KeptSession } from "../protocol/continuity";
import { ContinuityStore } from "./store";
import { SessionLocks } from "./sessionLock";
import { continuedNote, lockedNote, lostNote, unreadableNote } from "./wording";

/** A session to continue on the next open, and when it was last used. */
export interface ContinuePlan {
  sessionId: string;
  since: number;
  /** Chosen by a person (Continue Earlier Session…) rather than kept from the last start. */
  chosen: boolean;
}

/** How the main session came to be open, as sessionSetup reports it. */
export interface OpenReport {
  sessionId: string;
  /** The plan was followed: the agent resumed or loaded the session. */
  continued: boolean;
  /** Why a planned continue fell back to a new session. */
  lostBecause?: string;
}

export class Continuity {
  private readonly store: ContinuityStore;
  private readonly locks: SessionLocks;
  /** This server writes the workspace's record (false while another live server drives the kept session). */
  private owner = true;
  private started = false;
  private chosen: ContinuePlan | null = null;
  private kept: KeptSession | null = null;
  private resetAt: number | null = null;
  private continuedFrom: number | null = null;
  private statusNote: string | null = null;
  private pendingNote: string | undefined;
  private earlier: number | null = null;

  private readonly agentCommand: string[];
  private readonly now: () => number;
  /** How a person's shell starts Codex's own CLI, for `codex resume <id>`. */
  private readonly codexCli: string;

  constructor(
    where: { stateDir: string; workspace: string; agentCommand: string[] },
    options: { now?: () => number; codexCli?: string } = {},
  ) {
    this.agentCommand = where.agentCommand;
    this.now = options.now ?? Date.now;
    this.codexCli = options.codexCli ?? "codex";
    this.store = new ContinuityStore(where.stateDir, where.workspace);
    this.locks = new SessionLocks(this.store.dir);
  }

  get stateFile(): string {
    return this.store.path;
  }

  /** What the next open of the main session should continue, if anything (asked once per open). */
  plan(cwd: string): ContinuePlan | null {
    if (this.chosen) {
      const chosen = this.chosen;
      this.chosen = null;
      const lock = this.locks.acquire(chosen.sessionId);
      return lock.held ? chosen : this.say(lockedNote(chosen, lock.ownerPid));
    }
    if (this.started) return null;
    this.started = true;
    const read = this.store.read();
    if (read.problem) return this.say(unreadableNote(read.problem));
    this.resetAt = read.file?.resetAt ?? null;
    const kept = read.file?.current ?? null;
    if (!kept) return null;
    this.kept = kept;
    if (kept.agentCommand.join("\u0000") !== this.agentCommand.join("\u0000")) return this.say(lostNote(kept, "it was started by another agent command"));
    if (kept.cwd !== cwd) return this.say(lostNote(kept, `it was started in ${kept.cwd}`));
    const lock = this.locks.acquire(kept.sessionId);
    if (!lock.held) {
      this.owner = false;
      return this.say(lockedNote(kept, lock.ownerPid));
    }
    return { sessionId: kept.sessionId, since: kept.lastUsedAt, chosen: false };
  }

  /** The main session is open: remember it (and lock it), and say whether the conversation continued. */
  opened(plan: ContinuePlan | null, report: OpenReport, cwd: string): void {
    const now = this.now();
    if (plan && report.continued) {
      this.continuedFrom = plan.since;
      this.statusNote = null;
      this.pendingNote = continuedNote(plan.since);
    } else if (plan) {
      this.continuedFrom = null;
      this.say(lostNote({ sessionId: plan.sessionId, lastUsedAt: plan.since }, report.lostBecause ?? "the agent could not continue it"));
      this.locks.release(plan.sessionId);
    } else if (this.kept?.sessionId !== report.sessionId) {
      this.continuedFrom = null; // a new session; a crash reload of the same one keeps where it continued from
    }
    this.locks.acquire(report.sessionId);
    const same = this.kept?.sessionId === report.sessionId ? this.kept : null;
    const createdAt = same?.createdAt ?? (report.continued && plan ? plan.since : now);
    this.kept = { sessionId: report.sessionId, agentCommand: this.agentCommand, cwd, title: same?.title ?? null, createdAt, lastUsedAt: now };
    this.save();
  }

  /** A turn on the main session finished: it is the one to continue next time. */
  touch(sessionId: string): void {
    if (!this.kept || this.kept.sessionId !== sessionId) return;
    this.kept = { ...this.kept, lastUsedAt: this.now() };
    this.save();
  }

  /** The session's title as the agent reports it (kept for the record). */
  titled(sessionId: string, title: string | null | undefined): void {
    if (!this.kept || this.kept.sessionId !== sessionId || title === undefined || title === this.kept.title) return;
    this.kept = { ...this.kept, title };
    this.save();
  }

  /** reset: the dropped session is forgotten; the next ask starts fresh and the record says when that was asked. */
  reset(dropped: string | null): void {
    if (dropped) this.locks.release(dropped);
    this.kept = null;
    this.chosen = null;
    this.continuedFrom = null;
    this.statusNote = null;
    this.pendingNote = undefined;
    this.started = true;
    this.resetAt = this.now();
    this.save();
  }

  /**
   * Continue Earlier Session… (after the reset that dropped the current one), or a continue to try again after a
   * failed open: the next open continues `sessionId`. With `cwd`, it is also the one kept for the next start.
   */
  choose(sessionId: string, since: number, cwd?: string): void {
    this.chosen = { sessionId, since, chosen: true };
    if (cwd === undefined) return;
    this.kept = { sessionId, agentCommand: this.agentCommand, cwd, title: null, createdAt: since, lastUsedAt: since };
    this.save();
  }

  /** The note for the next result (continued, or why not), said once. */
  takeNote(): string | undefined {
    const note = this.pendingNote;
    this.pendingNote = undefined;
    return note;
  }

  setEarlierSessions(count: number | null): void {
    this.earlier = count;
  }

  status(currentId: string | null): ContinuityStatus {
    return {
      continuedFrom: this.continuedFrom,
      note: this.statusNote,
      earlierSessions: this.earlier,
      resumeCommand: currentId ? `${this.codexCli} resume ${currentId}` : null,
      stateFile: this.store.path,
    };
  }

  /** Locks end with the server (synchronous: also called on process exit). */
  close(): void {
    this.locks.releaseAll();
  }

  private say(note: string): null {
    this.statusNote = note;
    this.pendingNote = note;
    return null;
  }

  private save(): void {
    if (this.owner) this.store.write({ current: this.kept, resetAt: this.resetAt });
  }
}
