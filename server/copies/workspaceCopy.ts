// One isolated copy of the workspace's current state: a detached `git worktree` at HEAD with the uncommitted and
// untracked (not ignored) files brought over byte for byte, dependency folders linked (linkedFolders.ts), and the
// starting state recorded as a git tree, so that the change Codex makes is exactly `git diff <startTree>` of what the
// copy holds later. Nothing here writes the workspace's files; git keeps the worktree's bookkeeping in the
// repository's .git (worktrees/, objects/), as for any `git worktree add`.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { ChangedFile } from "../protocol/delegate";
import { parseChangedFiles } from "./changedFiles";
import { CopyError } from "./errors";
import { git, gitText, nulSplit } from "./git";
import { excludeLinks, foldersToLink } from "./linkedFolders";

/** The copy's owner, written first: a server that crashed mid-way leaves a record the next one can clean up. */
export interface CopyOwner {
  pid: number;
  repoRoot: string;
  createdAt: number;
}

export interface WorkspaceCopy {
  id: string;
  /** The folder holding the worktree and the copy's own files (owner.json, indexes, patch). */
  dir: string;
  /** The worktree: the copy of the repository root. */
  root: string;
  /** Where the workspace is inside the copy (the root, or a sub-folder when the workspace is one). */
  cwd: string;
  /** The real repository the copy is of (the patch applies there). */
  repoRoot: string;
  startTree: string;
  links: string[];
  /** An estimate of the disk the copy takes (checked-out blobs plus copied files). */
  bytes: number;
  createdAt: number;
}

export interface CopyChange {
  patch: Buffer;
  files: ChangedFile[];
  patchFile: string | null;
}

const DIFF_FLAGS = ["--no-renames", "--no-ext-diff", "--no-textconv", "--ignore-submodules", "--src-prefix=a/", "--dst-prefix=b/"];
/** No hook of the person's repository runs because the server made a copy. */
const NO_HOOKS = ["-c", "core.hooksPath=/dev/null"];

/** The repository root of `workspace`, or a CopyError saying why there is none. */
export async function repositoryOf(workspace: string): Promise<string> {
  const real = await fs.realpath(workspace);
  try {
    return await fs.realpath(await gitText(["rev-parse", "--show-toplevel"], { cwd: real }));
  } catch (error) {
    if (error instanceof CopyError && error.code === "git_missing") throw error;
    throw new CopyError("not_git", `The workspace ${real} is not inside a git repository: delegate gives Codex a copy made with \`git worktree\` and returns its change as a git patch — run \`git init\` and commit, or open a folder that is a git repository.`);
  }
}

/** Phases of createCopy and how long each took (for the benchmark). */
export type PhaseTimer = (phase: string, ms: number) => void;

export async function createCopy(workspace: string, dir: string, id: string, onPhase: PhaseTimer = () => undefined): Promise<WorkspaceCopy> {
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    onPhase(name, now - mark);
    mark = now;
  };
  const realWorkspace = await fs.realpath(workspace);
  const repoRoot = await repositoryOf(realWorkspace);
  const head = await gitText(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], { cwd: repoRoot }).catch(() => "");
  if (head === "") throw new CopyError("no_commit", `The repository ${repoRoot} has no commit yet: a copy starts from HEAD — commit once, then delegate again.`);
  await fs.mkdir(dir, { recursive: true });
  const realDir = await fs.realpath(dir);
  if (isInside(realDir, repoRoot)) throw new CopyError("state_dir_inside", `The state directory ${realDir} is inside the repository ${repoRoot}: a copy there would be part of the workspace — set CODEX_FUSION_STATE_DIR to a folder outside it.`);
  const createdAt = Date.now();
  const owner: CopyOwner = { pid: process.pid, repoRoot, createdAt };
  await fs.writeFile(path.join(realDir, "owner.json"), JSON.stringify(owner));
  phase("checks");

  const root = path.join(realDir, path.basename(repoRoot) || "workspace");
  // What to bring over, read while git checks the copy out.
  const [changed, untracked, ignored, sizes] = await Promise.all([
    git(["diff", "--name-only", "-z", ...DIFF_FLAGS, "HEAD"], { cwd: repoRoot }).then(nulSplit),
    git(["ls-files", "--others", "--exclude-standard", "-z"], { cwd: repoRoot }).then(nulSplit),
    git(["ls-files", "--others", "--ignored", "--exclude-standard", "--directory", "-z"], { cwd: repoRoot }).then(nulSplit),
    git(["ls-tree", "-r", "-l", "-z", head], { cwd: repoRoot }).then(blobBytes),
    git([...NO_HOOKS, "worktree", "add", "--detach", "--force", root, head], { cwd: repoRoot }),
  ]);
  phase("checkout + read state");
  const copied = await copyFiles(repoRoot, root, [...changed, ...untracked]);
  const links = foldersToLink(ignored);
  for (const link of links) {
    await fs.mkdir(path.dirname(path.join(root, link)), { recursive: true });
    await fs.symlink(path.join(repoRoot, link), path.join(root, link));
  }
  phase("copy changed + untracked, link");
  // The starting state as a tree, through a temporary index seeded from the checkout's (only changed files rehash).
  const startIndex = path.join(realDir, "start.index");
  await fs.copyFile(await indexPath(root), startIndex);
  const startTree = await treeOf(root, startIndex, links);
  phase("start tree");
  const cwd = path.join(root, path.relative(repoRoot, realWorkspace));
  return { id, dir: realDir, root, cwd, repoRoot, startTree, links, bytes: sizes + copied, createdAt };
}

/** The change since the copy started: patch (binary-safe), file list, and the patch written to the copy's folder. */
export async function changeOf(copy: WorkspaceCopy): Promise<CopyChange> {
  const endIndex = path.join(copy.dir, "end.index");
  await fs.copyFile(path.join(copy.dir, "start.index"), endIndex);
  const endTree = await treeOf(copy.root, endIndex, copy.links);
  const [patch, listing] = await Promise.all([
    git(["diff", "--binary", "--full-index", ...DIFF_FLAGS, copy.startTree, endTree], { cwd: copy.root }),
    git(["diff", "--raw", "--numstat", "-z", ...DIFF_FLAGS, copy.startTree, endTree], { cwd: copy.root }),
  ]);
  const files = parseChangedFiles(nulSplit(listing));
  let patchFile: string | null = null;
  if (patch.length > 0) {
    patchFile = path.join(copy.dir, "change.patch");
    await fs.writeFile(patchFile, patch);
  }
  return { patch, files, patchFile };
}

/** Removes the worktree and the copy's folder; the repository forgets the worktree. Never throws. */
export async function removeCopyAt(dir: string, repoRoot: string | null): Promise<void> {
  if (repoRoot) {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (entry.isDirectory()) await git(["worktree", "remove", "--force", "--force", path.join(dir, entry.name)], { cwd: repoRoot }).catch(() => undefined);
    }
  }
  // rm does not follow the links to dependency folders: it removes the links.
  await fs.rm(dir, { recursive: true, force: true, maxRetries: 2 }).catch(() => undefined);
  if (repoRoot) await git(["worktree", "prune"], { cwd: repoRoot }).catch(() => undefined);
}

async function treeOf(root: string, indexFile: string, links: readonly string[]): Promise<string> {
  await git(["add", "-A", "--", ".", ...excludeLinks(links)], { cwd: root, indexFile });
  return gitText(["write-tree"], { cwd: root, indexFile });
}

async function indexPath(root: string): Promise<string> {
  const where = await gitText(["rev-parse", "--git-path", "index"], { cwd: root });
  return path.resolve(root, where);
}

/** Copies each path as it is now (file bytes and mode, or the symlink itself); a path gone from the workspace is deleted. */
async function copyFiles(from: string, to: string, paths: readonly string[]): Promise<number> {
  let bytes = 0;
  const queue = [...new Set(paths)];
  const worker = async () => {
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      const source = path.join(from, next);
      const target = path.join(to, next);
      const stat = await fs.lstat(source).catch(() => null);
      await fs.rm(target, { force: true });
      if (!stat) continue;
      await fs.mkdir(path.dirname(target), { recursive: true });
      if (stat.isSymbolicLink()) await fs.symlink(await fs.readlink(source), target);
      else if (stat.isFile()) {
        await fs.copyFile(source, target);
        await fs.chmod(target, stat.mode & 0o777);
        bytes += stat.size;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return bytes;
}

/** The sum of blob sizes in `git ls-tree -r -l -z` output. */
function blobBytes(output: Buffer): number {
  let total = 0;
  for (const entry of nulSplit(output)) {
    const size = Number(entry.split("\t")[0]!.split(/\s+/)[3]);
    if (Number.isFinite(size)) total += size;
  }
  return total;
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
