// One list of failure codes for everything that crosses a process boundary: control-command errors, failed turns,
// the server's last error. Receivers decide from the code and show the sentence; nobody parses the sentence.
// No runtime dependencies: the extension bundles this file.

export const ERROR_CODES = [
  /** The agent command does not exist or cannot be executed. */
  "agent_missing",
  /** Codex is not signed in (no ChatGPT login, no API key). */
  "auth_required",
  /** The agent started but did not get through initialize / session set-up. */
  "agent_start_failed",
  /** The agent exited, or its stream closed, during a turn. */
  "agent_crashed",
  /** The model service reported an error inside the turn. */
  "model_error",
  /** Codex (or the agent) sent nothing for longer than the idle limit. */
  "timeout",
  /** The caller (or someone for it) cancelled. */
  "cancelled",
  /** An argument was refused: which one and why is in the message. */
  "invalid_argument",
  /** An input or a message is over a size limit. */
  "too_large",
  /** The session is waiting for a permission decision that must come first. */
  "busy",
  /** There is nothing pending to decide. */
  "nothing_pending",
  /** No request (permission, turn) with that id. */
  "not_found",
  /** Someone else decided the permission first. */
  "already_decided",
  /** The agent took the permission request back. */
  "withdrawn",
  /** The server is stopping. */
  "shutting_down",
  /** The agent broke the protocol (bad or unexpected messages). */
  "protocol",
  /** A bug on our side. */
  "internal",
  /** The editor could not reach its server (not running, pipe closed). */
  "unreachable",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** A failure as a value: a code to decide on and one sentence (what happened, what to do) to show. */
export interface ProtocolError {
  code: ErrorCode;
  message: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}
