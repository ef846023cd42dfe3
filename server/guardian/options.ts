// Picks the agent's permission option for a decision — by option kind, never by name — and never one whose
// effect outlives the session. codex-acp 2.6 offers, with kind `allow_always`, both session-scoped options
// (`allow_for_session`, MCP's `allow_session`, `allow_permissions_session`) and permanent ones
// (`accept_execpolicy_amendment` writes $CODEX_HOME/rules, `apply_network_policy_amendment:N` a host rule,
// MCP's `allow_always` is remembered "for future tool calls"). So an `allow_always` counts as permanent
// unless its id says it is session-scoped.
import type * as acp from "@agentclientprotocol/sdk";
import type { PermissionDecision } from "../protocol/results";

export interface ChosenOption {
  optionId: string;
  /** Said to the caller when the choice differs from what was asked. */
  note?: string;
}

// An id that names a lasting rule, whatever its kind.
const LASTING_ID = /execpolicy|amendment|policy|persist|permanent|always|forever|future/i;
// An id that names the session ("allow_for_session", "allow_session", "allow_permissions_session").
const SESSION_ID = /(^|[_-])session$/i;

/** Options whose effect outlives the session: a lasting id, or an `*_always` kind whose id does not name the session. */
export function isPermanentOption(option: Pick<acp.PermissionOption, "optionId" | "kind">): boolean {
  if (LASTING_ID.test(option.optionId)) return true;
  if (option.kind === "allow_always" || option.kind === "reject_always") return !SESSION_ID.test(option.optionId);
  return false;
}

export function chooseOption(options: acp.PermissionOption[], decision: PermissionDecision): ChosenOption | null {
  const byKind = (kind: acp.PermissionOption["kind"]) => options.filter((option) => option.kind === kind && !isPermanentOption(option));
  const lasting = options.find((option) => option.kind === "allow_always" && isPermanentOption(option));
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
      if (!once) return null;
      const why = lasting ? ` (its lasting option, “${lasting.name}”, would outlive the session)` : "";
      return { optionId: once.optionId, note: `the agent offered no session-scoped approval for this request${why}, so it was allowed once` };
    }
    case "deny": {
      // A lasting "block this host in the future" is never chosen: cancelled denies as well.
      const reject = byKind("reject_once")[0] ?? byKind("reject_always")[0];
      return reject ? { optionId: reject.optionId } : null;
    }
  }
}
