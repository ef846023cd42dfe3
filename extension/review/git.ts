// Collects the diff "Review Current Diff" sends to Codex: the working tree against HEAD (untracked files included),
// the staged changes, this branch against a base, or one commit; and, where the built-in git extension's API cannot
// answer (extension/gitExtension.ts), the branches and recent commits. Runs git with execFile-style argv (never a
// shell); no vscode, so it is tested on temporary repositories.
import { spawn } from "node:child_process";

export type DiffMode = "workingTree" | "staged" | "branch" | "commit";

export type DiffCollection =
  /** Nothing to review. */
  | { kind: "empty"; description: string }
  /** The unified diff itself, at most maxBytes. */
  | { kind: "diff"; diff: string; files: string[]; bytes: number; description: string }
  /**
   * Too large to send: the changed paths (relative to the repository root) for Codex to diff itself. `paths` is
   * empty when there are more than MAX_PATHS of them (the review then covers the whole diff).
   */
  | { kind: "tooLarge"; paths: string[]; fileCount: number; base?: string; commit?: string; bytesAtLeast: number; description: string };

export interface CollectOptions {
  /** Largest diff sent as text (default MAX_DIFF_BYTES). */
  maxBytes?: number;
  /** More untracked files than this and the diff counts as too large without reading them (default 200). */
  maxUntrackedFiles?: number;
}

export const MAX_DIFF_BYTES = 200 * 1024;
/** The review_diff tool takes at most this many paths. */
export const MAX_PATHS = 200;
/** git's empty tree, for a repository without commits. */
const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";

export class GitError extends Error {
  override readonly name = "GitError";
}

/** `base` is the base branch for "branch" and the commit for "commit". */
export async function collectDiff(repoRoot: string, mode: DiffMode, base?: string, gitPath = "git", options: CollectOptions = {}): Promise<DiffCollection> {
  const git = new Git(repoRoot, gitPath);
  const maxBytes = options.maxBytes ?? MAX_DIFF_BYTES;
  switch (mode) {
    case "workingTree": {
      const head = (await git.hasCommit("HEAD")) ? "HEAD" : EMPTY_TREE;
      const description = "the working tree against HEAD (staged, unstaged and untracked changes)";
      const tracked = await git.names(["diff", "--name-only", "-z", head, "--"]);
      const untracked = await git.names(["ls-files", "--others", "--exclude-standard", "-z"]);
      const files = unique([...tracked, ...untracked]);
      if (files.length === 0) return { kind: "empty", description };
      const tooLarge = (bytesAtLeast: number): DiffCollection => ({ kind: "tooLarge", ...pathsFor(files), bytesAtLeast, description });
      if (untracked.length > (options.maxUntrackedFiles ?? MAX_PATHS)) return tooLarge(maxBytes + 1);
      let diff = "";
      if (tracked.length > 0) {
        const out = await git.diffText([...DIFF_FLAGS, head, "--"], maxBytes);
        if (out === null) return tooLarge(maxBytes + 1);
        diff = out;
      }
      for (const file of untracked) {
        const out = await git.diffText([...DIFF_FLAGS, "--no-index", "--", "/dev/null", file], maxBytes - byteLength(diff), [0, 1]);
        if (out === null) return tooLarge(maxBytes + 1);
        diff += out;
      }
      return finish(diff, files, description, maxBytes, tooLarge);
    }
    case "staged": {
      const description = "the staged changes";
      const files = await git.names(["diff", "--cached", "--name-only", "-z", "--"]);
      if (files.length === 0) return { kind: "empty", description };
      const tooLarge = (bytesAtLeast: number): DiffCollection => ({ kind: "tooLarge", ...pathsFor(files), bytesAtLeast, description });
      const diff = await git.diffText([...DIFF_FLAGS, "--cached", "--"], maxBytes);
      if (diff === null) return tooLarge(maxBytes + 1);
      return finish(diff, files, description, maxBytes, tooLarge);
    }
    case "branch": {
      if (!base) throw new GitError("Pick a base branch to compare this branch with.");
      if (base.startsWith("-") || /\s/.test(base)) throw new GitError(`"${base}" is not a branch name.`);
      if (!(await git.hasCommit(base))) throw new GitError(`There is no branch or commit called "${base}" in this repository.`);
      const range = `${base}...HEAD`;
      const description = `this branch against ${base} (its commits since they diverged)`;
      const files = await git.names(["diff", "--name-only", "-z", range, "--"]);
      if (files.length === 0) return { kind: "empty", description };
      const tooLarge = (bytesAtLeast: number): DiffCollection => ({ kind: "tooLarge", ...pathsFor(files), base, bytesAtLeast, description });
      const diff = await git.diffText([...DIFF_FLAGS, range, "--"], maxBytes);
      if (diff === null) return tooLarge(maxBytes + 1);
      return finish(diff, files, description, maxBytes, tooLarge);
    }
    case "commit": {
      if (!base) throw new GitError("Pick a commit to review.");
      if (base.startsWith("-") || /\s/.test(base)) throw new GitError(`"${base}" is not a commit.`);
      if (!(await git.hasCommit(base))) throw new GitError(`There is no commit "${base}" in this repository.`);
      const subject = (await git.run(["log", "-1", "--format=%h %s", base, "--"])).stdout.trim();
      const description = `commit ${subject || base}`;
      // A merge is shown against its first parent: what the merge brought into the branch.
      const show = ["show", "--format=", "--first-parent", "--no-color", "--no-ext-diff", "--no-textconv"];
      const files = await git.names([...show, "--name-only", "-z", base, "--"]);
      if (files.length === 0) return { kind: "empty", description };
      const tooLarge = (bytesAtLeast: number): DiffCollection => ({ kind: "tooLarge", ...pathsFor(files), commit: base, bytesAtLeast, description });
      const diff = await git.diffText([...show, base, "--"], maxBytes);
      if (diff === null) return tooLarge(maxBytes + 1);
      return finish(diff, files, description, maxBytes, tooLarge);
    }
  }
}

export interface CommitInfo {
  sha: string;
  subject: string;
  author: string;
  /** "3 days ago". */
  when: string;
}

/** The newest commits of HEAD. */
export async function listCommits(repoRoot: string, gitPath = "git", max = 30): Promise<CommitInfo[]> {
  const out = await new Git(repoRoot, gitPath).run(["log", `-n${max}`, "--format=%H%x1f%s%x1f%an%x1f%ar", "HEAD", "--"], { okCodes: [0, 128] });
  if (out.code !== 0) return [];
  return out.stdout
    .split("\n")
    .filter((line) => line.includes("\x1f"))
    .map((line) => {
      const [sha = "", subject = "", author = "", when = ""] = line.split("\x1f");
      return { sha, subject, author, when };
    });
}

/** Local and remote branches, likely bases first (main, master, …), without the current one. */
export async function listBranches(repoRoot: string, gitPath = "git"): Promise<{ current: string | null; branches: string[] }> {
  const git = new Git(repoRoot, gitPath);
  const currentOut = await git.run(["symbolic-ref", "--short", "-q", "HEAD"], { okCodes: [0, 1] });
  const current = currentOut.stdout.trim() || null;
  const refs = await git.run(["for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes"]);
  const entries = refs.stdout
    .split("\n")
    .map((ref) => ref.trim())
    .filter((ref) => ref && !ref.endsWith("/HEAD"))
    .map((ref) => (ref.startsWith("refs/heads/") ? { name: ref.slice("refs/heads/".length), local: true } : { name: ref.replace(/^refs\/remotes\//, ""), local: false }));
  return { current, branches: rankBranches(entries, current) };
}

/** Branch names without the current one, likely bases first (main, master, …), local before remote. Pure. */
export function rankBranches(entries: ReadonlyArray<{ name: string; local: boolean }>, current: string | null): string[] {
  const rank = (entry: { name: string; local: boolean }): number => {
    const preferred = LIKELY_BASES.indexOf(entry.local ? entry.name : entry.name.replace(/^[^/]+\//, ""));
    return (preferred < 0 ? 50 : preferred) + (entry.local ? 0 : 100);
  };
  return entries
    .filter((entry) => entry.name !== current && !entry.name.endsWith("/HEAD"))
    .map((entry, index) => ({ ...entry, index }))
    .sort((a, b) => rank(a) - rank(b) || a.index - b.index)
    .map((entry) => entry.name);
}

const LIKELY_BASES = ["main", "master", "develop", "dev", "trunk"];

/** The repository's top folder for a folder inside it, or null when it is not in one. */
export async function findRepoRoot(dir: string, gitPath = "git"): Promise<string | null> {
  const out = await new Git(dir, gitPath).run(["rev-parse", "--show-toplevel"], { okCodes: [0, 128] });
  return out.code === 0 ? out.stdout.trim() || null : null;
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────

/** Plain unified diffs: no colour, no external diff drivers or text conversion, real file names. */
const DIFF_FLAGS = ["diff", "--no-color", "--no-ext-diff", "--no-textconv"];

function finish(diff: string, files: string[], description: string, maxBytes: number, tooLarge: (bytes: number) => DiffCollection): DiffCollection {
  const bytes = byteLength(diff);
  if (bytes > maxBytes) return tooLarge(bytes);
  if (diff.trim() === "") return { kind: "empty", description };
  return { kind: "diff", diff, files, bytes, description };
}

function pathsFor(files: string[]): { paths: string[]; fileCount: number } {
  return { paths: files.length <= MAX_PATHS ? files : [], fileCount: files.length };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout passed maxBytes and git was stopped. */
  overflow: boolean;
}

class Git {
  constructor(
    private readonly cwd: string,
    private readonly gitPath: string,
  ) {}

  async hasCommit(ref: string): Promise<boolean> {
    const out = await this.run(["rev-parse", "--verify", "-q", `${ref}^{commit}`], { okCodes: [0, 1, 128] });
    return out.code === 0;
  }

  async names(args: string[]): Promise<string[]> {
    const out = await this.run(args);
    return out.stdout.split("\0").filter(Boolean);
  }

  /** The diff text, or null when it is larger than maxBytes. */
  async diffText(args: string[], maxBytes: number, okCodes = [0]): Promise<string | null> {
    if (maxBytes < 0) return null;
    const out = await this.run(args, { maxBytes, okCodes });
    return out.overflow ? null : out.stdout;
  }

  run(args: string[], options: { maxBytes?: number; okCodes?: number[] } = {}): Promise<RunResult> {
    const okCodes = options.okCodes ?? [0];
    const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    return new Promise((resolve, reject) => {
      const child = spawn(this.gitPath, ["-c", "core.quotePath=false", ...args], {
        cwd: this.cwd,
        env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_OPTIONAL_LOCKS: "0", GIT_PAGER: "cat", LC_ALL: "C" },
        stdio: ["ignore", "pipe", "pipe"],
        windowsHide: true,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      let overflow = false;
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        if (overflow) return;
        size += chunk.length;
        if (size > maxBytes) {
          overflow = true;
          child.kill();
          return;
        }
        chunks.push(chunk);
      });
      child.stderr.on("data", (chunk: Buffer) => {
        if (stderr.length < 4000) stderr += chunk.toString("utf8");
      });
      child.on("error", (error: NodeJS.ErrnoException) => {
        reject(new GitError(error.code === "ENOENT" ? `git was not found (${this.gitPath}). Install git or set "git.path".` : `git failed to start: ${error.message}`));
      });
      child.on("close", (code) => {
        const result: RunResult = { code: code ?? -1, stdout: Buffer.concat(chunks).toString("utf8"), stderr, overflow };
        if (overflow || okCodes.includes(result.code)) resolve(result);
        else reject(new GitError(`git ${args[0]} failed: ${stderr.trim().split("\n").at(-1) || `exit code ${result.code}`}`));
      });
    });
  }
}
