// What the session is asked to do, and what an ask comes back with.
import type { AskTool } from "../protocol/constants";
import type { ErrorCode, ProtocolError } from "../protocol/errors";
import type { PermissionDecision } from "../protocol/results";
import type { ProgressReporter } from "../progress";
import type { TurnOutcome } from "./turn/turn";

export interface AskRequest {
  tool: AskTool;
  prompt: string;
  /** Run Codex's own reviewer with this slash command when the agent offers it; `prompt` is the fallback. */
  nativeReview?: { command: string; name: string };
  summary: string;
  client: string | null;
  /** Whose conversation this ask belongs to (one MCP session, or the editor): `reply` continues it. */
  caller: string;
  model?: string;
  effort?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  progress: ProgressReporter;
}

export type AskOutcome = TurnOutcome | { kind: "error"; error: ProtocolError };

export function failure(code: ErrorCode, message: string): AskOutcome {
  return { kind: "error", error: { code, message } };
}

/** A `permit` call: the decision, which request (else the caller's oldest, else the oldest), and whose call it is. */
export interface PermitRequest {
  decision: PermissionDecision;
  note?: string;
  id?: string;
  caller: string;
  signal?: AbortSignal;
  progress: ProgressReporter;
}
