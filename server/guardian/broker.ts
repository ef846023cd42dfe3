// The pending set of permission requests. Every place that can answer (the `permit` tool, the editor, the
// timeout) goes through decide(); the first decision wins and later ones learn who decided.
import { EventEmitter } from "node:events";
import type { PermissionDecision, PermissionSource, PermissionView } from "../protocol/results";
import type { ErrorCode } from "../protocol/errors";
import { describeSource } from "../protocol/wording";

export interface Resolution {
  decision: PermissionDecision;
  source: PermissionSource;
  note?: string;
}

export type DecideOutcome =
  | { ok: true; request: PermissionView }
  | { ok: false; code: Extract<ErrorCode, "nothing_pending" | "not_found" | "withdrawn" | "already_decided">; reason: string };

interface Pending {
  view: PermissionView;
  resolve: (resolution: Resolution) => void;
  timer: NodeJS.Timeout | null;
}

export interface BrokerEvents {
  pending: [PermissionView];
  resolved: [PermissionView, Resolution];
  withdrawn: [PermissionView, string];
}

const REMEMBERED_DECISIONS = 50;

export class PermissionBroker extends EventEmitter<BrokerEvents> {
  private readonly pending = new Map<string, Pending>();
  private readonly decided = new Map<string, Resolution | { withdrawn: string }>();

  constructor(private readonly timeoutMs: number) {
    super();
  }

  /** Holds a request until someone decides it; resolves with the decision. */
  hold(view: PermissionView): Promise<Resolution> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.decide(view.id, "deny", "timeout", `no decision within ${Math.round(this.timeoutMs / 1000)} s`);
      }, this.timeoutMs);
      timer.unref();
      this.pending.set(view.id, { view, resolve, timer });
      this.emit("pending", view);
    });
  }

  /** Oldest first: requests are answered in the order they arrived. */
  list(): PermissionView[] {
    return [...this.pending.values()].map((entry) => entry.view);
  }

  oldest(): PermissionView | undefined {
    return this.pending.values().next().value?.view;
  }

  decide(id: string | undefined, decision: PermissionDecision, source: PermissionSource, note?: string): DecideOutcome {
    const targetId = id ?? this.oldest()?.id;
    if (targetId === undefined) return { ok: false, code: "nothing_pending", reason: "Codex is not waiting on any permission" };
    const entry = this.pending.get(targetId);
    if (!entry) {
      const earlier = this.decided.get(targetId);
      if (!earlier) return { ok: false, code: "not_found", reason: `no pending permission with id ${targetId}` };
      if ("withdrawn" in earlier) return { ok: false, code: "withdrawn", reason: `that request was withdrawn by Codex (${earlier.withdrawn})` };
      return { ok: false, code: "already_decided", reason: `already decided by ${describeSource(earlier.source)} (${earlier.decision})` };
    }
    const resolution: Resolution = { decision, source, ...(note ? { note } : {}) };
    this.settle(targetId, resolution);
    entry.resolve(resolution);
    this.emit("resolved", entry.view, resolution);
    return { ok: true, request: entry.view };
  }

  /** The agent took the request back (e.g. its turn was cancelled). */
  withdraw(id: string, reason: string): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.settle(id, { withdrawn: reason });
    entry.resolve({ decision: "deny", source: "withdrawn", note: reason });
    this.emit("withdrawn", entry.view, reason);
  }

  /** Withdraws everything, e.g. when the agent process dies. */
  withdrawAll(reason: string): void {
    for (const id of [...this.pending.keys()]) this.withdraw(id, reason);
  }

  private settle(id: string, outcome: Resolution | { withdrawn: string }): void {
    const entry = this.pending.get(id);
    if (entry?.timer) clearTimeout(entry.timer);
    this.pending.delete(id);
    this.decided.set(id, outcome);
    while (this.decided.size > REMEMBERED_DECISIONS) this.decided.delete(this.decided.keys().next().value as string);
  }
}
