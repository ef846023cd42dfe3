// The "Codex Fusion" log: server output and one line per control event. Types only from `vscode` (the channel is
// created in extension.ts), so the event wording is unit-tested. Never writes the bearer token.
import type * as vscode from "vscode";
import type { ControlEvent } from "../server/protocol/control";
import type { SupervisorLog } from "./supervisor/supervisor";
import { clip } from "../server/protocol/text";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";

/** The line a control event becomes, and how loud it is; null for events not worth a line. */
export function eventLine(event: ControlEvent): { level: LogLevel; text: string } | null {
  switch (event.type) {
    case "listening":
      return { level: "info", text: `Server ${event.version} (pid ${event.pid}) listening on ${event.url}` };
    case "turnStarted":
      return { level: "info", text: `Turn ${event.id} started: ${event.tool}${from(event.client)} — ${clip(event.summary, 200)}` };
    case "turnProgress":
      return { level: "trace", text: `Turn ${event.id} at ${seconds(event.elapsedMs)}${event.activity ? `: ${clip(event.activity, 200)}` : ""}` };
    case "turnFinished": {
      const duration = seconds(event.result.durationMs);
      if (event.isError) return { level: "warn", text: `Turn ${event.id} (${event.tool}${from(event.client)}) failed after ${duration}: ${event.error ?? event.result.stopReason}` };
      const verdict = event.result.verdict ? `verdict ${event.result.verdict}` : "no verdict";
      const findings = event.result.findings.length ? `, ${event.result.findings.length} finding(s)` : "";
      return { level: "info", text: `Turn ${event.id} (${event.tool}${from(event.client)}) finished in ${duration}: ${event.result.stopReason}, ${verdict}${findings}` };
    }
    case "permissionPending": {
      const { request } = event;
      return { level: "debug", text: `Permission ${request.id} requested: ${request.title}${request.command ? ` — ${clip(request.command, 200)}` : ""} (${request.reason})` };
    }
    case "permissionResolved":
      return {
        level: event.source === "policy" ? "debug" : "info",
        text: `Permission ${event.id}: ${event.decision} by ${event.source}${event.note ? ` (${clip(event.note, 200)})` : ""}`,
      };
    case "permissionDecidedByPolicy": {
      // Settled at once by the guardian's policy: never pending, so one quiet line.
      const { request } = event;
      return { level: "debug", text: `Permission ${request.id} (${request.title}${request.command ? ` — ${clip(request.command, 200)}` : ""}): ${event.decision} by policy (${clip(event.note, 200)})` };
    }
    case "serverState":
      return { level: "trace", text: `Server state: ${event.state}${event.status.turn ? `, turn ${event.status.turn.id}` : ""}, ${event.status.pendingPermissions.length} pending permission(s), ${event.status.queued} queued` };
  }
}

type LogChannel = Pick<vscode.LogOutputChannel, "trace" | "debug" | "info" | "warn" | "error"> & Partial<Pick<vscode.LogOutputChannel, "show">>;

/** What everything in the extension logs through (one output channel, "Codex Fusion"). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** The extension's one logger: its own lines, the server's output, and the server's events at their level. */
export class ExtensionLog implements SupervisorLog, Logger {
  constructor(private readonly channel: LogChannel) {}

  /** Brings the log into view (Show Log). */
  show(): void {
    this.channel.show?.(true);
  }

  info(message: string): void {
    this.channel.info(message);
  }
  warn(message: string): void {
    this.channel.warn(message);
  }
  error(message: string): void {
    this.channel.error(message);
  }
  debug(message: string): void {
    this.channel.debug(message);
  }

  serverOutput(line: string): void {
    // The server prefixes its own lines; keep them apart from the extension's.
    this.channel.info(`[server] ${line.replace(/^codex-fusion-mcp:\s*/, "")}`);
  }

  event(event: ControlEvent): void {
    const line = eventLine(event);
    if (line) this.channel[line.level](line.text);
  }
}

function from(client: string | null): string {
  return client ? ` from ${client}` : "";
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
