// The commands Codex ran in a delegate's copy, with their exit codes, read from the turn's tool_call updates (codex-acp
// sends the command in rawInput and the exit in `_meta.terminal_exit` or `rawOutput.exit_code`). Updates can be
// missing: a command without its final update keeps a null exit code. Pure.
import type * as acp from "@agentclientprotocol/sdk/unstable";
import type { DelegateCommand, VerifyOutcome } from "../protocol/delegate";
import { visibleCommand } from "../guardian/subject";

const MAX_COMMANDS = 200;

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** The exit code an update reports, if any. */
export function exitCodeOf(update: { rawOutput?: unknown; _meta?: unknown }): number | null {
  const exit = record(record(update._meta)?.["terminal_exit"])?.["exit_code"] ?? record(update.rawOutput)?.["exit_code"] ?? record(update.rawOutput)?.["exitCode"];
  return typeof exit === "number" && Number.isInteger(exit) ? exit : null;
}

export class CommandLog {
  private readonly byId = new Map<string, DelegateCommand>();

  apply(update: acp.SessionUpdate): void {
    if (update.sessionUpdate !== "tool_call" && update.sessionUpdate !== "tool_call_update") return;
    let entry = this.byId.get(update.toolCallId);
    if (!entry) {
      if (update.kind !== "execute") return;
      const command = visibleCommand({ rawInput: update.rawInput }) ?? update.title ?? null;
      if (!command || this.byId.size >= MAX_COMMANDS) return;
      entry = { command, exitCode: null };
      this.byId.set(update.toolCallId, entry);
    }
    const exit = exitCodeOf(update);
    if (exit !== null) entry.exitCode = exit;
  }

  list(): DelegateCommand[] {
    return [...this.byId.values()].map((entry) => ({ ...entry }));
  }
}

/** The verify command's outcome: the last command Codex ran that contains it (shells wrap it, so "contains"). */
export function verifyOutcome(verify: string | undefined, commands: readonly DelegateCommand[]): VerifyOutcome | null {
  if (!verify) return null;
  const wanted = squash(verify);
  const ran = [...commands].reverse().find((command) => squash(command.command).includes(wanted));
  if (!ran) return { command: verify, ran: false, exitCode: null, passed: null };
  return { command: verify, ran: true, exitCode: ran.exitCode, passed: ran.exitCode === null ? null : ran.exitCode === 0 };
}

function squash(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
