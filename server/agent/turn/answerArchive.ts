// Answers too long to hand back whole (a runaway agent line, a huge review) are kept on disk, where a person or
// Claude Code can read them: <state dir>/answers/<time>-<turn>.md, private to the user, the newest few only.
import * as fs from "node:fs";
import * as path from "node:path";

const KEEP = 20;

export class AnswerArchive {
  /** The file of each turn kept so far: a turn archived again (a longer answer after a pause) rewrites its own file. */
  private readonly files = new Map<string, string>();

  constructor(private readonly dir: string) {}

  /** Writes the whole answer; returns its path, or null when it could not be written (said on stderr). */
  keep(turnId: string, text: string): string | null {
    try {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const file = this.files.get(turnId) ?? path.join(this.dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${turnId}.md`);
      fs.writeFileSync(file, text, { mode: 0o600 });
      this.files.set(turnId, file);
      this.prune();
      return file;
    } catch (error) {
      process.stderr.write(`codex-fusion: could not keep a long answer in ${this.dir}: ${(error as Error).message}\n`);
      return null;
    }
  }

  private prune(): void {
    const files = fs.readdirSync(this.dir).filter((name) => name.endsWith(".md")).sort();
    for (const old of files.slice(0, Math.max(0, files.length - KEEP))) fs.rmSync(path.join(this.dir, old), { force: true });
    for (const [turnId, file] of this.files) if (!fs.existsSync(file)) this.files.delete(turnId);
  }
}
