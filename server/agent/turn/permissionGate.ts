// Codex asks for a permission: the guardian judges it; what it allows or denies is answered at once (and shown),
// what it asks is held in the broker — for Claude's permit, the person in the editor, or the timeout — while the
// turn waits. The answer goes back to the agent as the option the decision maps to.
import type * as acp from "@agentclientprotocol/sdk/unstable";
import type { ControlEvent } from "../../protocol/control";
import { describeSource } from "../../protocol/wording";
import type { PermissionBroker, Resolution } from "../../guardian/broker";
import type { Guardian } from "../../guardian/judge";
import { chooseOption } from "../../guardian/options";
import type { Turn } from "./turn";

export interface PermissionEvents {
  emit(event: ControlEvent): void;
  stateChanged(): void;
}

export class PermissionGate {
  /** The turn of each held request: told the moment its request is decided or withdrawn (in the broker's own tick). */
  private readonly heldFor = new Map<string, Turn<string>>();

  constructor(
    private readonly broker: PermissionBroker,
    private readonly guardian: Guardian,
    private readonly events: PermissionEvents,
  ) {
    const settled = (view: { id: string }) => {
      this.heldFor.get(view.id)?.resume(view.id);
      this.heldFor.delete(view.id);
    };
    broker.on("resolved", settled);
    broker.on("withdrawn", settled);
  }

  async answer<Tool extends string>(request: acp.RequestPermissionRequest, signal: AbortSignal, turn: Turn<Tool> | null): Promise<acp.RequestPermissionResponse> {
    // A request of no turn of ours (another session, e.g. a codex-acp subagent's, or a turn already over) has nobody
    // to answer to: declined before any judging.
    if (!turn || turn.settled || turn.cancelReason) return { outcome: { outcome: "cancelled" } };
    const toolCallId = request.toolCall.toolCallId;
    const { verdict, view } = await this.guardian.judge(request, {
      turnId: turn.id,
      sessionId: request.sessionId,
      diffPaths: turn.diffPathsFor(toolCallId),
      diffPreview: turn.diffPreviewFor(toolCallId) ?? null,
      announced: turn.announcedToolCall(toolCallId),
    });
    if (turn.settled || turn.cancelReason) return { outcome: { outcome: "cancelled" } };

    if (verdict.action !== "ask") {
      const decision = verdict.action === "allow" ? "allow" : "deny";
      const chosen = chooseOption(request.options, decision);
      this.events.emit({ type: "permissionDecidedByPolicy", request: view, decision, note: verdict.reason });
      if (decision === "deny") turn.recordDenial({ what: view.summary, by: describeSource("policy"), note: verdict.reason });
      return chosen ? { outcome: { outcome: "selected", optionId: chosen.optionId } } : { outcome: { outcome: "cancelled" } };
    }

    this.heldFor.set(view.id, turn);
    const held = this.broker.hold(view);
    turn.pause(view);
    this.events.stateChanged();
    // The agent takes a request back when we cancel its turn, and implicitly when it dies (its stream closes).
    const onAbort = () =>
      this.broker.withdraw(view.id, turn.cancelReason ? "Codex withdrew the request (its turn was cancelled)" : "Codex withdrew the request: the agent stopped or ended the turn");
    signal.addEventListener("abort", onAbort, { once: true });
    let resolution: Resolution;
    try {
      resolution = await held;
    } finally {
      signal.removeEventListener("abort", onAbort);
      this.events.stateChanged();
    }
    if (resolution.source === "withdrawn") return { outcome: { outcome: "cancelled" } };
    const chosen = chooseOption(request.options, resolution.decision);
    const who = describeSource(resolution.source);
    if (resolution.decision === "deny" || !chosen) {
      turn.addNote(`Codex asked to ${view.summary}; denied by ${who}${resolution.note ? ` (${resolution.note})` : ""}.`);
      turn.recordDenial({ what: view.summary, by: who, ...(resolution.note ? { note: resolution.note } : {}) });
      const reject = chooseOption(request.options, "deny");
      return reject ? { outcome: { outcome: "selected", optionId: reject.optionId } } : { outcome: { outcome: "cancelled" } };
    }
    turn.addNote(`Codex asked to ${view.summary}; ${resolution.decision === "allow_session" ? "allowed for the session" : "allowed once"} by ${who}${chosen.note ? ` — ${chosen.note}` : ""}.`);
    return { outcome: { outcome: "selected", optionId: chosen.optionId } };
  }
}
