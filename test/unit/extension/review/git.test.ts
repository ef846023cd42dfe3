import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectDiff, findRepoRoot, GitError, listBranches, MAX_PATHS, type DiffCollection } from "../../../../extension/review/git";
import { reviewArgs } from "../../../../extension/review/reviewArgs";

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
}

function tempRepo(t: { after(fn: () => void): void }): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "cf-git-")));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  git(dir, "init", "-q", "-b", "main");
  writeFileSync(join(dir, "a.txt"), "one\ntwo\nthree\n");
  writeFileSync(join(dir, ".gitignore"), "ignored.log\n");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "init");
  return dir;
}

function expectDiff(result: DiffCollection): Extract<DiffCollection, { kind: "diff" }> {
  assert.equal(result.kind, "diff", JSON.stringify(result).slice(0, 300));
  return result as Extract<DiffCollection, { kind: "diff" }>;
}

test("working tree vs HEAD: staged, unstaged and untracked files, not ignored ones", async (t) => {
  const dir = tempRepo(t);
  writeFileSync(join(dir, "a.txt"), "one\nTWO\nthree\n");
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "new file.ts"), "export const x = 1;\n");
  writeFileSync(join(dir, "staged.txt"), "staged\n");
  git(dir, "add", "staged.txt");
  writeFileSync(join(dir, "ignored.log"), "noise\n");
  const result = expectDiff(await collectDiff(dir, "workingTree"));
  assert.deepEqual([...result.files].sort(), ["a.txt", "src/new file.ts", "staged.txt"]);
  assert.match(result.diff, /^-two$/m);
  assert.match(result.diff, /^\+TWO$/m);
  assert.match(result.diff, /^\+\+\+ b\/src\/new file\.ts\t?$/m, "untracked file as a new-file diff (git ends names with spaces with a tab)");
  assert.match(result.diff, /^\+export const x = 1;$/m);
  assert.match(result.diff, /^\+staged$/m);
  assert.ok(!result.diff.includes("noise"), "ignored files stay out");
  assert.equal(result.bytes, Buffer.byteLength(result.diff));
});

test("staged only: just what is in the index", async (t) => {
  const dir = tempRepo(t);
  writeFileSync(join(dir, "a.txt"), "one\nTWO\nthree\n");
  writeFileSync(join(dir, "staged.txt"), "staged\n");
  writeFileSync(join(dir, "untracked.txt"), "untracked\n");
  git(dir, "add", "staged.txt");
  const result = expectDiff(await collectDiff(dir, "staged"));
  assert.deepEqual(result.files, ["staged.txt"]);
  assert.match(result.diff, /^\+staged$/m);
  assert.ok(!result.diff.includes("TWO") && !result.diff.includes("untracked"));
});

test("this branch vs a base: the branch's commits since they diverged", async (t) => {
  const dir = tempRepo(t);
  git(dir, "checkout", "-q", "-b", "feature");
  writeFileSync(join(dir, "feature.txt"), "feature work\n");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "feature");
  git(dir, "checkout", "-q", "main");
  writeFileSync(join(dir, "main-only.txt"), "later on main\n");
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "main moves on");
  git(dir, "checkout", "-q", "feature");
  writeFileSync(join(dir, "a.txt"), "uncommitted\n");
  const result = expectDiff(await collectDiff(dir, "branch", "main"));
  assert.deepEqual(result.files, ["feature.txt"]);
  assert.match(result.diff, /^\+feature work$/m);
  assert.ok(!result.diff.includes("later on main"), "main's own later commits are not this branch's");
  assert.ok(!result.diff.includes("uncommitted"), "the working tree is not part of the branch diff");
  await assert.rejects(collectDiff(dir, "branch", "no-such-branch"), (error: Error) => error instanceof GitError && /no branch or commit called "no-such-branch"/.test(error.message));
  await assert.rejects(collectDiff(dir, "branch", "--output=/tmp/x"), GitError);
  await assert.rejects(collectDiff(dir, "branch"), GitError);
  assert.equal((await collectDiff(dir, "branch", "feature")).kind, "empty");
});

test("an empty diff in every mode", async (t) => {
  const dir = tempRepo(t);
  writeFileSync(join(dir, "ignored.log"), "ignored\n");
  for (const mode of ["workingTree", "staged"] as const) {
    const result = await collectDiff(dir, mode);
    assert.equal(result.kind, "empty", mode);
    assert.ok(result.description.length > 0);
  }
});

test("a repository without commits: everything is new", async (t) => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "cf-git-")));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  git(dir, "init", "-q", "-b", "main");
  writeFileSync(join(dir, "first.txt"), "first\n");
  writeFileSync(join(dir, "added.txt"), "added\n");
  git(dir, "add", "added.txt");
  const working = expectDiff(await collectDiff(dir, "workingTree"));
  assert.deepEqual([...working.files].sort(), ["added.txt", "first.txt"]);
  const staged = expectDiff(await collectDiff(dir, "staged"));
  assert.deepEqual(staged.files, ["added.txt"]);
});

test("a huge diff becomes paths (and base) instead of text", async (t) => {
  const dir = tempRepo(t);
  const big = Array.from({ length: 6000 }, (_, i) => `line ${i} ${"x".repeat(40)}`).join("\n");
  writeFileSync(join(dir, "a.txt"), big);
  writeFileSync(join(dir, "untracked.txt"), "small\n");
  const result = await collectDiff(dir, "workingTree");
  assert.equal(result.kind, "tooLarge");
  if (result.kind !== "tooLarge") return;
  assert.deepEqual([...result.paths].sort(), ["a.txt", "untracked.txt"]);
  assert.equal(result.fileCount, 2);
  assert.ok(result.bytesAtLeast > 200 * 1024);
  assert.equal(result.base, undefined);

  // Untracked content counts toward the limit too.
  const small = await collectDiff(dir, "workingTree", undefined, "git", { maxBytes: 50 });
  assert.equal(small.kind, "tooLarge");

  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "big");
  git(dir, "checkout", "-q", "-b", "topic", "HEAD~1");
  writeFileSync(join(dir, "a.txt"), big.replace(/x/g, "y"));
  git(dir, "commit", "-q", "-am", "topic");
  const branch = await collectDiff(dir, "branch", "main");
  assert.equal(branch.kind, "tooLarge");
  if (branch.kind === "tooLarge") {
    assert.equal(branch.base, "main");
    assert.deepEqual(branch.paths, ["a.txt"]);
  }
});

test("more changed files than review_diff takes: no paths, the count instead", async (t) => {
  const dir = tempRepo(t);
  for (let i = 0; i <= MAX_PATHS; i++) writeFileSync(join(dir, `f${i}.txt`), `${i}\n`);
  const result = await collectDiff(dir, "workingTree");
  assert.equal(result.kind, "tooLarge");
  if (result.kind === "tooLarge") {
    assert.deepEqual(result.paths, []);
    assert.equal(result.fileCount, MAX_PATHS + 1);
  }
});

test("branches: likely bases first, the current one left out; repo root from a subfolder", async (t) => {
  const dir = tempRepo(t);
  git(dir, "branch", "zeta");
  git(dir, "branch", "develop");
  git(dir, "checkout", "-q", "-b", "work");
  const { current, branches } = await listBranches(dir);
  assert.equal(current, "work");
  assert.deepEqual(branches, ["main", "develop", "zeta"]);
  mkdirSync(join(dir, "sub"));
  assert.equal(await findRepoRoot(join(dir, "sub")), dir);
  const outside = realpathSync(mkdtempSync(join(tmpdir(), "cf-nogit-")));
  t.after(() => rmSync(outside, { recursive: true, force: true }));
  assert.equal(await findRepoRoot(outside), null);
  await assert.rejects(collectDiff(dir, "workingTree", undefined, join(outside, "no-git-here")), /git was not found/);
});

test("review_diff arguments: the diff, or paths relative to the workspace with instructions", () => {
  assert.equal(reviewArgs({ kind: "empty", description: "x" }, "workingTree", "/ws", "/ws"), null);
  assert.deepEqual(reviewArgs({ kind: "diff", diff: "D", files: ["a"], bytes: 1, description: "the staged changes" }, "staged", "/ws", "/ws"), {
    diff: "D",
    instructions: "This is the staged changes.",
  });
  const staged = reviewArgs({ kind: "tooLarge", paths: ["a.ts", "src/b.ts"], fileCount: 2, bytesAtLeast: 300000, description: "the staged changes" }, "staged", "/ws", "/ws");
  assert.deepEqual(staged, { paths: ["a.ts", "src/b.ts"], instructions: "Review only the staged changes: run `git diff --cached` (not the unstaged working tree)." });
  const branch = reviewArgs({ kind: "tooLarge", paths: [], fileCount: 500, base: "main", bytesAtLeast: 300000, description: "x" }, "branch", "/ws/repo", "/ws");
  assert.deepEqual(branch, {
    base: "main",
    instructions: "Review only the commits of this branch: run `git diff main...HEAD` (three dots), not the working tree.\nThe git repository is at repo (relative to the workspace).\n500 files changed; review them all.",
  });
  const nested = reviewArgs({ kind: "tooLarge", paths: ["x.ts"], fileCount: 1, bytesAtLeast: 300000, description: "x" }, "workingTree", "/ws/repo", "/ws") as { paths: string[] };
  assert.deepEqual(nested.paths, ["repo/x.ts"]);
});
