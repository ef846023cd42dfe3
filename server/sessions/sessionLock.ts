// One live server drives a Codex session at a time: a lock file per session id (created with O_EXCL, holding the
// owner's pid) beside the workspace's state file. A lock whose owner is dead, or that cannot be read, is stale and
// taken over; a live owner's lock is respected — the second server starts its own session and says why.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { isProcessAlive } from "../transports/discovery";

export type LockResult = { held: true } | { held: false; ownerPid: number };

export class SessionLocks {
  /** Session ids this process holds, with their lock files. */
  private readonly mine = new Map<string, string>();

  constructor(private readonly dir: string) {}

  /** Takes the lock on `sessionId` for this process; a live other owner keeps it. */
  acquire(sessionId: string): LockResult {
    if (this.mine.has(sessionId)) return { held: true };
    const file = this.fileOf(sessionId);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        const fd = fs.openSync(file, "wx", 0o600);
        fs.writeSync(fd, JSON.stringify({ pid: process.pid, sessionId }));
        fs.closeSync(fd);
        this.mine.set(sessionId, file);
        return { held: true };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
          // No place for a lock (read-only state dir): nothing to coordinate with, so nobody else holds it either.
          return { held: true };
        }
      }
      const owner = ownerOf(file);
      if (owner !== null && owner !== process.pid && isProcessAlive(owner)) return { held: false, ownerPid: owner };
      fs.rmSync(file, { force: true }); // stale: its owner is gone (or it is unreadable)
    }
    return { held: true };
  }

  release(sessionId: string): void {
    const file = this.mine.get(sessionId);
    if (!file) return;
    this.mine.delete(sessionId);
    if (ownerOf(file) === process.pid) fs.rmSync(file, { force: true });
  }

  /** Synchronous, for process exit. */
  releaseAll(): void {
    for (const id of [...this.mine.keys()]) this.release(id);
  }

  private fileOf(sessionId: string): string {
    return path.join(this.dir, `${createHash("sha256").update(sessionId).digest("hex").slice(0, 32)}.lock`);
  }
}

function ownerOf(file: string): number | null {
  try {
    const pid = (JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: unknown }).pid;
    return typeof pid === "number" && Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
