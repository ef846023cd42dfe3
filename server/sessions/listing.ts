// The workspace's sessions as Codex keeps them (session/list filtered by the workspace), newest first.
import type { AgentConnection } from "../agent/acp/connection";
import type { EarlierSession } from "../protocol/continuity";

const MAX_PAGES = 10;

/** Null when the agent cannot list sessions. */
export async function listSessions(agent: AgentConnection, cwd: string, currentId: string | null, signal?: AbortSignal): Promise<EarlierSession[] | null> {
  if (!agent.supportsSession("list")) return null;
  const found: EarlierSession[] = [];
  let cursor: string | null | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await agent.request("session/list", { cwd, ...(cursor ? { cursor } : {}) }, { signal });
    for (const session of response.sessions) {
      if (session.cwd !== cwd) continue; // an agent that ignores the filter
      found.push({ sessionId: session.sessionId, title: session.title ?? null, updatedAt: session.updatedAt ?? null, current: session.sessionId === currentId });
    }
    cursor = response.nextCursor;
    if (!cursor) break;
  }
  return found.sort((a, b) => String(b.updatedAt ?? "").localeCompare(String(a.updatedAt ?? "")));
}
