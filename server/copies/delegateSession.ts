// A delegate's Codex session: opened with the copy as its cwd, in codex-acp's `workspace-write` mode set at the source
// and read back (Codex then edits and runs commands inside the copy without asking; network, writes elsewhere and
// escalations still come to the guardian). A session the agent will not put in that mode is closed, never used: in
// its default mode an AI reviewer would answer Codex's escalations instead of us.
import type { AgentConnection } from "../agent/acp/connection";
import { ConfigOptions } from "../agent/sessions/configOptions";
import { AgentError } from "../agent/acp/errors";
import { setSessionMode } from "../agent/sessions/sessionSetup";

export const WORKSPACE_WRITE = "workspace-write";
const TITLE = "Codex Fusion delegate";

export interface DelegateSession {
  sessionId: string;
  config: ConfigOptions;
}

export async function openDelegateSession(agent: AgentConnection, cwd: string, signal?: AbortSignal): Promise<DelegateSession> {
  const options = { signal };
  const response = await agent.request("session/new", { cwd, mcpServers: [] }, options);
  const sessionId = response.sessionId;
  const config = new ConfigOptions();
  config.reset(response.configOptions ?? []);
  try {
    const mode = await setSessionMode(agent, { id: sessionId, response }, config, { mode: WORKSPACE_WRITE, options });
    if (mode !== WORKSPACE_WRITE) {
      const why = mode === undefined ? "offers no workspace-write mode" : `stayed in mode "${mode}" after being set to workspace-write`;
      throw new AgentError("agent_start_failed", `The Codex agent ${why}, so a delegate cannot run safely (in any other mode Codex either asks for every edit or is approved by an AI reviewer instead of you) — use codex-acp 2.6 or later.`);
    }
    if (agent.supportsSession("setTitle")) await agent.request("session/set_title", { sessionId, title: TITLE }, options).catch(() => undefined);
    return { sessionId, config };
  } catch (error) {
    void agent.closeSession(sessionId);
    throw error;
  }
}
