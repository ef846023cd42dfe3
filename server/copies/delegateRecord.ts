// What a delegate is while the server keeps it (its copy, session, turn and commands), what a call to one carries, and
// how it fails. Shared by delegates.ts and the tools.
import type { AgentConnection } from "../agent/acp/connection";
import type { PermissionGate } from "../agent/turn/permissionGate";
import type { Turn } from "../agent/turn/turn";
import type { ProgressReporter } from "../progress";
import type { DelegateResult } from "../protocol/delegate";
import type { ErrorCode, ProtocolError } from "../protocol/errors";
import type { CommandLog } from "./commandLog";
import type { DelegateTask } from "./delegatePrompt";
import type { DelegateSession } from "./delegateSession";
import type { CopyError } from "./errors";
import type { WorkspaceCopy } from "./workspaceCopy";

export type DelegateOutcome = { kind: "error"; error: ProtocolError } | { kind: "result"; result: DelegateResult };

export interface Call {
  caller: string;
  client: string | null;
  model?: string;
  effort?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  progress: ProgressReporter;
}

export type DelegateRequest = Call & DelegateTask;
export type DelegateReplyRequest = Call & { message: string; change?: string };

export interface Delegate {
  readonly id: string;
  readonly copy: WorkspaceCopy;
  readonly task: DelegateTask;
  readonly gate: PermissionGate;
  caller: string;
  session: DelegateSession | null;
  agent: AgentConnection | null;
  turn: Turn<"delegate"> | null;
  running: boolean;
  commands: CommandLog;
  files: number;
}

export const fail = (code: ErrorCode, message: string): DelegateOutcome => ({ kind: "error", error: { code, message } });

export const COPY_ERROR_CODES: Record<CopyError["code"], ErrorCode> = {
  not_git: "invalid_argument",
  no_commit: "invalid_argument",
  state_dir_inside: "invalid_argument",
  limit: "too_large",
  git_missing: "internal",
  git_failed: "internal",
  not_found: "not_found",
};

