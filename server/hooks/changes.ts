// What the review gate reviews: the workspace's uncommitted changes as one unified diff (tracked files against HEAD,
// untracked files as new files), with a fingerprint so a stop with nothing new is skipped.
// git runs with external diff drivers, text conversion and fsmonitor off: no repository setting makes it run a program.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export interface Changes {
  /** The unified diff, possibly cut at `maxBytes` (then `truncated`). "" when nothing changed. */
  diff: string;
  /** sha-256 of the full diff: equal fingerprints mean nothing changed in between. */
  fingerprint: string;
  truncated: boolean;
  /** Bytes of the full diff. */
  bytes: number;
}

export type ChangesResult = { ok: true; changes: Changes } | { ok: false; reason: string };

/** The empty tree's id: what a repository without commits is compared against. */
const EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
const SAFE = ["-c", "core.fsmonitor=false", "-c", "core.quotepath=false", "-c", "diff.noprefix=false"];
const MAX_UNTRACKED_FILES = 200;
const MAX_UNTRACKED_FILE_BYTES = 256 * 1024;

function git(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync("git", [...SAFE, ...args], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, windowsHide: true, timeout: 60_000 });
  if (run.error) return { status: null, stdout: "", stderr: run.error.message };
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function collectChanges(workspace: string, maxBytes: number): ChangesResult {
  const inside = git(workspace, ["rev-parse", "--is-inside-work-tree"]);
  if (inside.status !== 0 || inside.stdout.trim() !== "true") return { ok: false, reason: `${workspace} is not in a git repository` };
  const hasHead = git(workspace, ["rev-parse", "--verify", "--quiet", "HEAD"]).status === 0;
  const tracked = git(workspace, ["diff", "--no-color", "--no-ext-diff", "--no-textconv", hasHead ? "HEAD" : EMPTY_TREE]);
  if (tracked.status !== 0) return { ok: false, reason: `git diff failed: ${tracked.stderr.trim() || `exit ${tracked.status}`}` };
  const parts = [tracked.stdout];

  const untracked = git(workspace, ["ls-files", "--others", "--exclude-standard", "-z"]);
  const files = untracked.status === 0 ? untracked.stdout.split("\0").filter(Boolean) : [];
  for (const file of files.slice(0, MAX_UNTRACKED_FILES)) {
    const size = fs.statSync(path.join(workspace, file), { throwIfNoEntry: false })?.size ?? 0;
    if (size > MAX_UNTRACKED_FILE_BYTES) {
      parts.push(`new file ${file} (${size} bytes, not shown)\n`);
      continue;
    }
    // --no-index exits 1 when the files differ, which they always do here.
    const added = git(workspace, ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--no-index", "--", "/dev/null", file]);
    if (added.status === 0 || added.status === 1) parts.push(added.stdout);
  }
  if (files.length > MAX_UNTRACKED_FILES) parts.push(`… and ${files.length - MAX_UNTRACKED_FILES} more untracked files\n`);

  const full = parts.filter(Boolean).join("");
  const bytes = Buffer.byteLength(full);
  const truncated = bytes > maxBytes;
  return {
    ok: true,
    changes: {
      diff: truncated ? Buffer.from(full).subarray(0, maxBytes).toString("utf8") : full,
      fingerprint: createHash("sha256").update(full).digest("hex"),
      truncated,
      bytes,
    },
  };
}
