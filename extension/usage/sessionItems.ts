// The quick pick of Continue Earlier Session…: Codex's sessions for this workspace, newest first, by title and last
// activity; the current one is not offered again. Pure (no `vscode`): the shape of a QuickPickItem, unit-tested.
import type { EarlierSession } from "../../server/protocol/continuity";
import { utcTime } from "../../server/protocol/usageText";

export interface SessionItem {
  label: string;
  description?: string;
  detail: string;
  sessionId: string;
}

export function sessionItems(sessions: EarlierSession[]): SessionItem[] {
  return sessions
    .filter((session) => !session.current)
    .map((session) => ({
      label: session.title?.trim() || "Untitled Codex session",
      description: session.updatedAt ? `last active ${utcTime(Date.parse(session.updatedAt))}` : undefined,
      detail: session.sessionId,
      sessionId: session.sessionId,
    }));
}

