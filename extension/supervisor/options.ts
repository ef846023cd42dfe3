// What the supervisor is given (how to start the server, where to log) and what it reports when it stops trying.
import type { ControlEvent } from "../../server/protocol/control";
import type { LaunchConfig } from "../settings";
import type { CrashPolicy } from "./crashPolicy";

export type LaunchResolution = { ok: true; launch: LaunchConfig } | { ok: false; reason: string };

export interface SupervisorLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** One line the server wrote to stderr (or stdout). */
  serverOutput(line: string): void;
  /** Every control event, for a line in the log. */
  event(event: ControlEvent): void;
}

/** Why the supervisor stopped restarting: the person has to act. */
export interface GiveUp {
  kind: "config" | "crashes";
  message: string;
}

export interface SupervisorOptions {
  /** Absolute path of dist/server.js. */
  serverScript: string;
  /** The runtime: process.execPath (Electron with ELECTRON_RUN_AS_NODE=1 in desktop VS Code, Node in code-server). */
  execPath: string;
  /** The environment the child inherits before the settings are applied (process.env). */
  baseEnv: NodeJS.ProcessEnv;
  /** Called before every start: the folder and env to use, or why there is nothing to start. */
  resolveLaunch: () => LaunchResolution;
  log: SupervisorLog;
  crashPolicy?: Partial<CrashPolicy>;
  /** How long a start may take before the child counts as crashed (default 30 s). */
  startTimeoutMs?: number;
  /** How long a stopping child gets before SIGKILL (default 3 s). */
  stopGraceMs?: number;
  platform?: NodeJS.Platform;
  now?: () => number;
}
