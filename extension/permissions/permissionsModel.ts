// The editor's picture of Codex's permission requests: what is waiting, and the recent decisions with who made
// them. Fed by control events; pure (no vscode) so the tree, the notifications and the tests share one truth.
import type { PermissionDecision, PermissionSource, PermissionView, TurnSummary } from "../../server/protocol/results";
import { Emitter } from "../emitter";
import type { Resolution } from "./permissionWording";

export interface DecidedPermission {
  view: PermissionView;
  resolution: Resolution;
}

export const RECENT_LIMIT = 20;
/** Resolutions remembered for late clicks, beyond the recent list. */
const REMEMBERED = 200;

export class PermissionsModel {
  private readonly pendingById = new Map<string, PermissionView>();
  private readonly recentList: DecidedPermission[] = [];
  private readonly resolutions = new Map<string, DecidedPermission>();
  private readonly changes = new Emitter<void>();
  /** Something shown changed: the pending set, the recent decisions, or which turn a request belongs to. */
  readonly onDidChange = this.changes.event;
  /** The turns running now (from the server's status), to say which one asks when several run side by side. */
  private runningTurns: TurnSummary[] = [];

  constructor(
    private readonly recentLimit = RECENT_LIMIT,
    private readonly now: () => number = Date.now,
  ) {}

  /** Oldest first, the order the server answers them in. */
  get pending(): PermissionView[] {
    return [...this.pendingById.values()];
  }

  /** Newest first. */
  get recent(): DecidedPermission[] {
    return [...this.recentList];
  }

  get turns(): readonly TurnSummary[] {
    return this.runningTurns;
  }

  /** The server's running turns changed: the labels of pending requests may change with them. */
  setTurns(turns: readonly TurnSummary[]): void {
    const before = this.runningTurns.map((turn) => turn.id).join(",");
    this.runningTurns = [...turns];
    if (turns.map((turn) => turn.id).join(",") !== before && this.pendingById.size > 0) this.changed();
  }

  isPending(id: string): boolean {
    return this.pendingById.has(id);
  }

  find(id: string): { view: PermissionView; resolution: Resolution | null } | null {
    const pending = this.pendingById.get(id);
    if (pending) return { view: pending, resolution: null };
    const decided = this.resolutions.get(id);
    return decided ? { view: decided.view, resolution: decided.resolution } : null;
  }

  resolutionOf(id: string): Resolution | null {
    return this.resolutions.get(id)?.resolution ?? null;
  }

  /** Returns true when the request is new to us. */
  addPending(view: PermissionView): boolean {
    if (this.pendingById.has(view.id) || this.resolutions.has(view.id)) return false;
    this.pendingById.set(view.id, view);
    this.changed();
    return true;
  }

  /** Returns the settled entry, or null for a request we never saw (nothing to show about it). */
  resolve(id: string, decision: PermissionDecision, source: PermissionSource, note?: string): DecidedPermission | null {
    const view = this.pendingById.get(id);
    if (!view) return null;
    this.pendingById.delete(id);
    const entry: DecidedPermission = { view, resolution: { decision, source, ...(note ? { note } : {}), decidedAt: this.now() } };
    this.remember(entry);
    this.changed();
    return entry;
  }

  /** A request the guardian's policy decided at once: it was never pending, it goes straight to the recent decisions. */
  decidedByPolicy(view: PermissionView, decision: PermissionDecision, note: string): DecidedPermission | null {
    if (this.resolutions.has(view.id)) return null;
    const entry: DecidedPermission = { view, resolution: { decision, source: "policy", note, decidedAt: this.now() } };
    this.remember(entry);
    this.changed();
    return entry;
  }

  /**
   * Brings the pending set in line with what the server reports (its status is the truth when we missed events,
   * e.g. after a reload). Returns the requests that were new to us.
   */
  reconcile(serverPending: readonly PermissionView[]): PermissionView[] {
    const live = new Set(serverPending.map((view) => view.id));
    let dirty = false;
    for (const id of [...this.pendingById.keys()]) {
      if (!live.has(id)) {
        this.pendingById.delete(id);
        dirty = true;
      }
    }
    const added: PermissionView[] = [];
    for (const view of serverPending) {
      if (!this.pendingById.has(view.id) && !this.resolutions.has(view.id)) {
        this.pendingById.set(view.id, view);
        added.push(view);
        dirty = true;
      }
    }
    if (dirty) this.changed();
    return added;
  }

  /** The server went away: nothing it held is waiting any more. */
  dropPending(): void {
    if (this.pendingById.size === 0) return;
    this.pendingById.clear();
    this.changed();
  }

  private remember(entry: DecidedPermission): void {
    this.recentList.unshift(entry);
    if (this.recentList.length > this.recentLimit) this.recentList.length = this.recentLimit;
    this.resolutions.set(entry.view.id, entry);
    while (this.resolutions.size > REMEMBERED) this.resolutions.delete(this.resolutions.keys().next().value as string);
  }

  private changed(): void {
    this.changes.fire();
  }
}
