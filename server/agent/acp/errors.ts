// Failures as values with one user-facing line: what went wrong and how to fix it.
import type { AgentProcess } from "./process";
import { AGENT_PACKAGE_NAME } from "../../protocol/constants";
import type { ErrorCode, ProtocolError } from "../../protocol/errors";
import { oneLine } from "../../protocol/text";

export class AgentError extends Error {
  constructor(readonly code: ErrorCode, message: string) {
    super(oneLine(message));
    this.name = "AgentError";
  }

  toProtocol(): ProtocolError {
    return { code: this.code, message: this.message };
  }
}

const INSTALL_HINT = `install it with \`npm install -g ${AGENT_PACKAGE_NAME}\` or point CODEX_FUSION_ACP_COMMAND at an ACP agent`;

/** Why the agent did not get through initialize. */
export function describeStartFailure(argv: string[], proc: AgentProcess, cause: unknown): AgentError {
  const command = argv.join(" ");
  if (proc.spawnError?.code === "ENOENT") {
    return new AgentError("agent_missing", `Codex agent command not found: \`${argv[0]}\` — ${INSTALL_HINT}.`);
  }
  if (proc.spawnError?.code === "EACCES") {
    return new AgentError("agent_missing", `Codex agent command is not executable: \`${argv[0]}\` — check its permissions or ${INSTALL_HINT}.`);
  }
  const stderr = proc.lastStderrLines();
  if (isAuthMessage(stderr) || isAuthError(cause)) return authError();
  const why = stderr ? `: ${stderr}` : cause instanceof Error ? `: ${cause.message}` : "";
  return new AgentError("agent_start_failed", `The Codex agent (\`${command}\`) failed to start${why} — check that the command runs in a terminal, or set CODEX_FUSION_ACP_COMMAND.`);
}

export function authError(): AgentError {
  return new AgentError(
    "auth_required",
    "Codex is not signed in — run `codex login` in a terminal (or set OPENAI_API_KEY / CODEX_API_KEY for the server), then call again.",
  );
}

export function isAuthError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === -32000 || (typeof message === "string" && isAuthMessage(message));
}

function isAuthMessage(text: string): boolean {
  return /auth(entication|orization)? required|not (signed|logged) in|unauthori[sz]ed|401/i.test(text);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) return String((error as { message: unknown }).message);
  return String(error);
}
