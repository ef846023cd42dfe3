// What continuity says to people and models: one sentence each, with what happened and what to do.
import type { KeptSession } from "../protocol/continuity";

import { continuedNote, utcTime as when } from "../protocol/usageText";

export { continuedNote, when };


export function lostNote(kept: Pick<KeptSession, "sessionId" | "lastUsedAt">, why: string): string {
  return `A new Codex session was started: the earlier conversation (${kept.sessionId}, last used ${when(kept.lastUsedAt)}) could not be continued because ${why}, so Codex's context from it is lost.`;
}

export function lockedNote(kept: Pick<KeptSession, "sessionId">, ownerPid: number): string {
  return `Another Codex Fusion server (pid ${ownerPid}) is driving this workspace's Codex session ${kept.sessionId}, so this server started its own session; two servers never drive one session at once.`;
}

export function unreadableNote(problem: string): string {
  return `A new Codex session was started: ${problem}, so no earlier conversation could be continued (the file is rewritten now).`;
}
