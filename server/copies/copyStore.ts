// The server's copies: made on demand under <stateDir>/copies/, bounded in number and disk, removed when done, and
// the ones a crashed server left behind removed at start (their owner process is gone).
import { randomBytes } from "node:crypto";
import { promises as fs, rmSync } from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { CopyError } from "./errors";
import { gitEnv } from "./git";
import { changeOf, createCopy, removeCopyAt, type CopyChange, type CopyOwner, type WorkspaceCopy } from "./workspaceCopy";

export interface CopyLimits {
  maxCopies: number;
  maxBytes: number;
}

/** A few copies are plenty (each is a Codex session's worth of work); 4 GiB keeps a busy day off a full disk. */
export const DEFAULT_COPY_LIMITS: CopyLimits = { maxCopies: 8, maxBytes: 4 * 1024 ** 3 };

export class CopyStore {
  private readonly copies = new Map<string, WorkspaceCopy>();
  private creating = 0;
  private readonly cleaned: Promise<void>;

  constructor(
    private readonly workspace: string,
    readonly baseDir: string,
    private readonly limits: CopyLimits = DEFAULT_COPY_LIMITS,
  ) {
    this.cleaned = removeStaleCopies(baseDir);
  }

  list(): WorkspaceCopy[] {
    return [...this.copies.values()];
  }

  get(id: string): WorkspaceCopy | undefined {
    return this.copies.get(id);
  }

  async create(): Promise<WorkspaceCopy> {
    await this.cleaned;
    if (this.copies.size + this.creating >= this.limits.maxCopies) {
      throw new CopyError("limit", `${this.limits.maxCopies} copies are kept already: discard or apply a proposed change (or call reset) before delegating more.`);
    }
    const used = this.list().reduce((sum, copy) => sum + copy.bytes, 0);
    if (used >= this.limits.maxBytes) {
      throw new CopyError("limit", `The copies take ${gib(used)} of disk, over the ${gib(this.limits.maxBytes)} limit: discard or apply a proposed change (or call reset) before delegating more.`);
    }
    const id = `change-${randomBytes(4).toString("hex")}`;
    const dir = path.join(this.baseDir, id);
    this.creating += 1;
    try {
      const copy = await createCopy(this.workspace, dir, id);
      this.copies.set(id, copy);
      return copy;
    } catch (error) {
      const owner = await readOwner(dir);
      await removeCopyAt(dir, owner?.repoRoot ?? null);
      throw error;
    } finally {
      this.creating -= 1;
    }
  }

  change(copy: WorkspaceCopy): Promise<CopyChange> {
    return changeOf(copy);
  }

  async remove(id: string): Promise<boolean> {
    const copy = this.copies.get(id);
    if (!copy) return false;
    this.copies.delete(id);
    await removeCopyAt(copy.dir, copy.repoRoot);
    return true;
  }

  async removeAll(): Promise<number> {
    const ids = [...this.copies.keys()];
    for (const id of ids) await this.remove(id);
    return ids.length;
  }
}

/** Removes every copy under `baseDir` whose owner process is gone (or that has no readable owner). Never throws. */
export async function removeStaleCopies(baseDir: string): Promise<void> {
  const entries = await fs.readdir(baseDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(baseDir, entry.name);
    const owner = await readOwner(dir);
    if (owner && owner.pid !== process.pid && alive(owner.pid)) continue;
    await removeCopyAt(dir, owner?.repoRoot ?? null);
  }
}

async function readOwner(dir: string): Promise<CopyOwner | null> {
  try {
    const value: unknown = JSON.parse(await fs.readFile(path.join(dir, "owner.json"), "utf8"));
    if (typeof value !== "object" || value === null) return null;
    const { pid, repoRoot, createdAt } = value as Record<string, unknown>;
    if (typeof pid !== "number" || typeof repoRoot !== "string" || typeof createdAt !== "number") return null;
    return { pid, repoRoot, createdAt };
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** Synchronous removal on process exit: the folders go, and the repository forgets their worktrees. */
export function removeCopiesSync(copies: readonly WorkspaceCopy[]): void {
  for (const copy of copies) {
    try {
      rmSync(copy.dir, { recursive: true, force: true });
    } catch {
      // Best effort: the next start removes what is left.
    }
  }
  // The repository forgets the worktrees whose folders are gone (a few ms; bounded all the same).
  for (const repoRoot of new Set(copies.map((copy) => copy.repoRoot))) {
    spawnSync("git", ["worktree", "prune"], { cwd: repoRoot, env: gitEnv(), stdio: "ignore", timeout: 2_000 });
  }
}
