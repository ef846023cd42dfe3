// Picks the agent's permission option for a decision — by option kind, never by name — and never one that
// writes a permanent rule (codex-acp's `accept_execpolicy_amendment` persists into $CODEX_HOME/rules).
import type * as acp from "@agentclientprotocol/sdk";
import type { PermissionDecision } from "../protocol/results";

export interface ChosenOption {
  optionId: string;
  /** Said to the caller when the choice differs from what was asked. */
  note?: string;
}

/** Options whose effect outlives the session. */
export function isPermanentOption(option: acp.PermissionOption): boolean {
  return /execpolicy|amendment|persist|permanent/i.test(option.optionId);
}

export function chooseOption(options: acp.PermissionOption[], decision: PermissionDecision): ChosenOption | null {
  const byKind = (kind: acp.PermissionOption["kind"]) => options.filter((option) => option.kind === kind && !isPermanentOption(option));
  switch (decision) {
    case "allow": {
      const once = byKind("allow_once")[0];
      if (once) return { optionId: once.optionId };
      const session = byKind("allow_always")[0];
      return session ? { optionId: session.optionId, note: "the agent offered no one-time approval, so it was allowed for the session" } : null;
    }
    case "allow_session": {
      const session = byKind("allow_always")[0];
      if (session) return { optionId: session.optionId };
      const once = byKind("allow_once")[0];
      return once ? { optionId: once.optionId, note: "the agent offered no session-scoped approval for this request, so it was allowed once" } : null;
    }
    case "deny": {
      const reject = byKind("reject_once")[0] ?? byKind("reject_always")[0];
      return reject ? { optionId: reject.optionId } : null;
    }
  }
}
