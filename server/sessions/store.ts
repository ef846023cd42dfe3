// The workspace's kept session on disk: <state dir>/sessions/<hash of the workspace's real path>.json, 0600 in a
// 0700 directory, written whole through a rename so a reader never sees half a file. A file that is missing,
// unreadable or not ours reads as "nothing kept" with the reason, never as an error: the next ask then starts fresh.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { continuityFileSchema, type ContinuityFile } from "../protocol/continuity";
import { canonicalWorkspace } from "../transports/discovery";

export type StoreRead = { file: ContinuityFile; problem: null } | { file: null; problem: string | null };

export class ContinuityStore {
  readonly path: string;
  readonly workspace: string;
  /** A state dir that cannot be written is said once, not on every turn. */
  private failedOnce = false;

  constructor(stateDir: string, workspace: string) {
    this.workspace = canonicalWorkspace(workspace);
    const key = createHash("sha256").update(this.workspace).digest("hex").slice(0, 32);
    this.path = path.join(stateDir, "sessions", `${key}.json`);
  }

  /** The lock files of sessions live beside the state files. */
  get dir(): string {
    return path.dirname(this.path);
  }

  /** What is kept; `problem` says why nothing usable is (null when there simply is no file yet). */
  read(): StoreRead {
    let text: string;
    try {
      text = fs.readFileSync(this.path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { file: null, problem: code === "ENOENT" ? null : `the state file ${this.path} could not be read (${code ?? "error"})` };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { file: null, problem: `the state file ${this.path} is not valid JSON` };
    }
    const parsed = continuityFileSchema.safeParse(json);
    if (!parsed.success) return { file: null, problem: `the state file ${this.path} has an unexpected shape` };
    if (parsed.data.workspace !== this.workspace) return { file: null, problem: `the state file ${this.path} belongs to another workspace` };
    return { file: parsed.data, problem: null };
  }

  /** Writes the whole file; false (said on stderr) when it could not be written — continuity is a courtesy. */
  write(file: Omit<ContinuityFile, "version" | "workspace">): boolean {
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const temp = `${this.path}.${process.pid}.tmp`;
      const whole: ContinuityFile = { version: 1, workspace: this.workspace, ...file };
      fs.writeFileSync(temp, `${JSON.stringify(whole, null, 2)}\n`, { mode: 0o600 });
      fs.renameSync(temp, this.path);
      return true;
    } catch (error) {
      if (!this.failedOnce) process.stderr.write(`codex-fusion: could not keep the Codex session in ${this.path}: ${(error as Error).message}\n`);
      this.failedOnce = true;
      return false;
    }
  }
}
