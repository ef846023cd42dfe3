// Where the Codex agent comes from, and installing it on demand into the extension's global storage.
// Pure apart from the file checks passed in; no `vscode` import (unit-tested).
import * as path from "node:path";
import { PINNED_AGENT_PACKAGE } from "../../server/protocol/constants";
import type { ErrorCode } from "../../server/protocol/errors";

export type AgentSource = "setting" | "environment" | "path" | "installed" | "missing";

export function agentInstallDir(globalStorageDir: string): string {
  return path.join(globalStorageDir, "agent");
}

/** The agent's JS entry inside an install made by installArgs. */
export function installedAgentEntry(installDir: string): string {
  return path.join(installDir, "node_modules", "@agentclientprotocol", "codex-acp", "dist", "index.js");
}

/** npm arguments that install the pinned agent (and its native codex) into `installDir`. */
export function installArgs(installDir: string): string[] {
  return ["install", "--prefix", installDir, "--no-audit", "--no-fund", "--no-save", "--omit=dev", PINNED_AGENT_PACKAGE];
}

export interface AgentFacts {
  /** CODEX_FUSION_ACP_COMMAND from the settings, if any. */
  fromSettings: string | undefined;
  /** CODEX_FUSION_ACP_COMMAND inherited by the editor, if any. */
  fromEnvironment: string | undefined;
  /** codex-acp on PATH. */
  onPath: boolean;
  /** The extension-managed install exists. */
  installed: boolean;
}

/** Which agent the server will run; "missing" means it would fall back to a slow first-use `npx` download. */
export function agentSource(facts: AgentFacts): AgentSource {
  if (facts.fromSettings) return "setting";
  if (facts.fromEnvironment) return "environment";
  if (facts.onPath) return "path";
  if (facts.installed) return "installed";
  return "missing";
}

/**
 * The agent command for an extension-managed install: run with the editor's own runtime (the server keeps it in
 * Node mode for a command that starts with its own executable), so no separate Node is needed.
 */
export function installedAgentCommand(execPath: string, installDir: string): string {
  return JSON.stringify([execPath, installedAgentEntry(installDir)]);
}

/** The last non-empty line of npm's output, for the progress notification. */
export function progressLine(chunk: string): string | null {
  const line = chunk.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).at(-1);
  return line ? line.slice(0, 120) : null;
}

/** What a failure's code says about the set-up, if anything: the agent cannot start, or Codex is not signed in. */
export function setupProblem(code: ErrorCode | null): "signIn" | "agent" | null {
  switch (code) {
    case "auth_required":
      return "signIn";
    case "agent_missing":
    case "agent_start_failed":
      return "agent";
    default:
      return null;
  }
}
