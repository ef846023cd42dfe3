// The editor's session commands (Continue Earlier Session…): list the workspace's sessions, and continue one of
// them — the current session is dropped like a reset, and the next ask resumes the chosen one.
import type { CodexSession } from "../agent/session";
import { AgentError, errorMessage } from "../agent/acp/errors";
import type { EarlierSession } from "../protocol/continuity";
import type { ProtocolError } from "../protocol/errors";
import { oneLine } from "../protocol/text";

export async function listEarlier(session: CodexSession): Promise<EarlierSession[] | null> {
  const keeper = session.workspaceSession.keeper;
  try {
    return await keeper.list(await keeper.startAgent(), session.workspaceSession.sessionId);
  } catch (error) {
    throw error instanceof AgentError ? error : new AgentError("internal", `Codex could not list its sessions: ${oneLine(errorMessage(error))}`);
  }
}

export async function continueEarlier(session: CodexSession, sessionId: string): Promise<{ ok: true; message: string } | { ok: false; error: ProtocolError }> {
  const keeper = session.workspaceSession.keeper;
  if (session.workspaceSession.sessionId === sessionId) return { ok: true, message: `Codex session ${sessionId} is the current one already.` };
  let sessions: EarlierSession[] | null;
  try {
    sessions = await listEarlier(session);
  } catch (error) {
    return { ok: false, error: error instanceof AgentError ? error.toProtocol() : { code: "internal", message: oneLine(errorMessage(error)) } };
  }
  if (sessions === null) return { ok: false, error: { code: "invalid_argument", message: "The Codex agent cannot list its sessions, so none can be picked — update codex-acp." } };
  const chosen = sessions.find((candidate) => candidate.sessionId === sessionId);
  if (!chosen) return { ok: false, error: { code: "not_found", message: `Codex has no session ${sessionId} for this workspace — pick one from the list.` } };
  await session.reset();
  keeper.continuity.choose(sessionId, chosen.updatedAt ? Date.parse(chosen.updatedAt) : Date.now(), session.status().workspace);
  return { ok: true, message: `The next ask continues Codex session ${keeper.describe(chosen)}.` };
}
