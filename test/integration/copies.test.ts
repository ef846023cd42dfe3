// A delegate's copy on real git repositories: the workspace's current state comes over byte for byte (staged,
// unstaged, deleted, untracked, binary), dependency folders are links, nothing in the workspace changes, the patch out
// is exactly the change and applies to the workspace, and copies go away — also the ones a crashed server left.
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CopyError } from "../../server/copies/errors";
import { CopyStore, removeStaleCopies } from "../../server/copies/copyStore";
import { changeOf, createCopy } from "../../server/copies/workspaceCopy";
import { hermeticEnv, isolatedHome } from "../fixtures/home";

const temps: string[] = [];
after(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), prefix)));
  temps.push(dir);
  return dir;
}

const env = hermeticEnv(isolatedHome(temp("fusion-copies-home-")), { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" });
const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, env, encoding: "utf8" });

/** A repository with every kind of uncommitted state. */
function messyRepo(): string {
  const ws = temp("fusion-copies-ws-");
  git(ws, "init", "-q");
  fs.mkdirSync(path.join(ws, "src"));
  fs.writeFileSync(path.join(ws, "src", "app.ts"), "export const answer = 42;\n");
  fs.writeFileSync(path.join(ws, "src", "staged.ts"), "one\n");
  fs.writeFileSync(path.join(ws, "gone.txt"), "bye\n");
  fs.writeFileSync(path.join(ws, ".gitignore"), "node_modules/\n.env\ndist/\n");
  git(ws, "add", ".");
  git(ws, "commit", "-qm", "init");
  fs.writeFileSync(path.join(ws, "src", "app.ts"), "export const answer = 41;\n"); // unstaged
  fs.writeFileSync(path.join(ws, "src", "staged.ts"), "two\n");
  git(ws, "add", "src/staged.ts"); // staged
  fs.rmSync(path.join(ws, "gone.txt")); // deleted
  fs.writeFileSync(path.join(ws, "new.bin"), Buffer.from([0, 1, 2, 255, 0, 10])); // untracked, binary
  fs.mkdirSync(path.join(ws, "node_modules", "dep"), { recursive: true });
  fs.writeFileSync(path.join(ws, "node_modules", "dep", "index.js"), "module.exports = 1;\n");
  fs.writeFileSync(path.join(ws, ".env"), "SECRET=1\n");
  fs.mkdirSync(path.join(ws, "dist"));
  fs.writeFileSync(path.join(ws, "dist", "out.js"), "built\n");
  return ws;
}

/** Every file under `dir` (not following links) with its bytes' hash and mode, and every link's target. */
function snapshot(dir: string, skip = new Set([".git"])): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      const rel = path.relative(dir, full);
      if (skip.has(rel)) continue;
      if (entry.isSymbolicLink()) out[rel] = `link:${fs.readlinkSync(full)}`;
      else if (entry.isDirectory()) walk(full);
      else out[rel] = `${createHash("sha256").update(fs.readFileSync(full)).digest("hex")}:${(fs.statSync(full).mode & 0o777).toString(8)}`;
    }
  };
  walk(dir);
  return out;
}

describe("createCopy", () => {
  test("brings the current state over, links dependency folders, leaves out other ignored files, and changes nothing in the workspace", async () => {
    const ws = messyRepo();
    const before = { files: snapshot(ws), status: git(ws, "status", "--porcelain=v1", "-z") };
    const copy = await createCopy(ws, path.join(temp("fusion-copies-state-"), "c1"), "c1");
    assert.equal(copy.repoRoot, ws);
    assert.equal(copy.cwd, copy.root);
    const inCopy = snapshot(copy.root);
    for (const file of ["src/app.ts", "src/staged.ts", "new.bin", ".gitignore"]) assert.equal(inCopy[file], before.files[file], file);
    assert.equal(inCopy["gone.txt"], undefined, "a file deleted in the workspace is deleted in the copy");
    assert.equal(inCopy["node_modules"], `link:${path.join(ws, "node_modules")}`);
    assert.equal(inCopy[".env"], undefined, "ignored files are not copied");
    assert.equal(inCopy["dist/out.js"], undefined, "build outputs are not linked");
    assert.deepEqual(snapshot(ws), before.files);
    assert.equal(git(ws, "status", "--porcelain=v1", "-z"), before.status);
    const change = await changeOf(copy);
    assert.equal(change.patch.length, 0, "a fresh copy has no change");
    assert.deepEqual(change.files, []);
    assert.equal(change.patchFile, null);
  });

  test("the patch is exactly the change since the copy started, and applies to the workspace", async () => {
    const ws = messyRepo();
    const copy = await createCopy(ws, path.join(temp("fusion-copies-state-"), "c2"), "c2");
    fs.writeFileSync(path.join(copy.root, "src", "app.ts"), "export const answer = 43;\nexport const more = 1;\n");
    fs.writeFileSync(path.join(copy.root, "img.bin"), Buffer.from([137, 80, 78, 71, 0, 0, 1]));
    fs.writeFileSync(path.join(copy.root, "run.sh"), "#!/bin/sh\necho hi\n", { mode: 0o755 });
    fs.symlinkSync("src/app.ts", path.join(copy.root, "alias"));
    fs.rmSync(path.join(copy.root, "src", "staged.ts"));
    fs.mkdirSync(path.join(copy.root, ".github", "workflows"), { recursive: true });
    fs.writeFileSync(path.join(copy.root, ".github", "workflows", "ci.yml"), "on: push\n");
    const change = await changeOf(copy);
    const by = new Map(change.files.map((f) => [f.path, f]));
    assert.deepEqual([...by.keys()].sort(), [".github/workflows/ci.yml", "alias", "img.bin", "run.sh", "src/app.ts", "src/staged.ts"]);
    assert.deepEqual([by.get("src/app.ts")!.added, by.get("src/app.ts")!.removed], [2, 1]);
    assert.equal(by.get("src/staged.ts")!.status, "deleted");
    assert.equal(by.get("img.bin")!.binary, true);
    assert.equal(by.get("run.sh")!.executable, true);
    assert.equal(by.get("alias")!.symlink, true);
    assert.equal(by.get(".github/workflows/ci.yml")!.protectedPath, ".github/workflows/");
    assert.ok(!change.patch.toString("utf8").includes("node_modules"), "the dependency link is not part of the change");
    assert.deepEqual(fs.readFileSync(change.patchFile!), change.patch);
    // Applied to the workspace, it reproduces the copy exactly (binary, modes, links, deletions).
    git(ws, "apply", "--check", change.patchFile!);
    git(ws, "apply", change.patchFile!);
    const skip = new Set([".git", "node_modules", ".env", "dist"]);
    assert.deepEqual(snapshot(ws, skip), snapshot(copy.root, skip));
  });

  test("a workspace in a sub-folder of the repository works in the same sub-folder of the copy", async () => {
    const ws = messyRepo();
    const copy = await createCopy(path.join(ws, "src"), path.join(temp("fusion-copies-state-"), "c3"), "c3");
    assert.equal(copy.cwd, path.join(copy.root, "src"));
    assert.equal(fs.readFileSync(path.join(copy.cwd, "app.ts"), "utf8"), "export const answer = 41;\n");
  });

  test("no git repository, no commit, or a state dir inside the repository: a clear error, nothing left behind", async () => {
    const plain = temp("fusion-copies-plain-");
    await assert.rejects(createCopy(plain, path.join(temp("fusion-copies-state-"), "x"), "x"), (error: unknown) => error instanceof CopyError && error.code === "not_git" && /not inside a git repository/.test(error.message));
    const empty = temp("fusion-copies-empty-");
    git(empty, "init", "-q");
    await assert.rejects(createCopy(empty, path.join(temp("fusion-copies-state-"), "x"), "x"), (error: unknown) => error instanceof CopyError && error.code === "no_commit");
    const ws = messyRepo();
    const store = new CopyStore(ws, path.join(ws, ".state", "copies"));
    await assert.rejects(store.create(), (error: unknown) => error instanceof CopyError && error.code === "state_dir_inside");
    assert.deepEqual(fs.readdirSync(path.join(ws, ".state", "copies")), [], "the failed copy's folder is removed");
  });
});

describe("CopyStore", () => {
  test("bounds the number of copies, removes a copy with its worktree, and leaves the linked folder alone", async () => {
    const ws = messyRepo();
    const store = new CopyStore(ws, path.join(temp("fusion-copies-state-"), "copies"), { maxCopies: 1, maxBytes: 1024 ** 3 });
    const copy = await store.create();
    await assert.rejects(store.create(), (error: unknown) => error instanceof CopyError && error.code === "limit" && /1 copies are kept already/.test(error.message));
    assert.ok(git(ws, "worktree", "list").includes(copy.root));
    assert.equal(await store.remove(copy.id), true);
    assert.ok(!fs.existsSync(copy.dir));
    assert.ok(!git(ws, "worktree", "list").includes(copy.root));
    assert.equal(fs.readFileSync(path.join(ws, "node_modules", "dep", "index.js"), "utf8"), "module.exports = 1;\n");
    assert.ok((await store.create()).id, "room again after the removal");
    assert.equal(await store.removeAll(), 1);
  });

  test("the disk bound refuses a new copy with the figures", async () => {
    const ws = messyRepo();
    const store = new CopyStore(ws, path.join(temp("fusion-copies-state-"), "copies"), { maxCopies: 8, maxBytes: 10 });
    await store.create();
    await assert.rejects(store.create(), (error: unknown) => error instanceof CopyError && error.code === "limit" && /of disk, over the/.test(error.message));
    await store.removeAll();
  });

  test("copies of a server that is gone are removed at start, and git forgets their worktrees", async () => {
    const ws = messyRepo();
    const base = path.join(temp("fusion-copies-state-"), "copies");
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
    const copy = await createCopy(ws, path.join(base, "stale"), "stale");
    fs.writeFileSync(path.join(copy.dir, "owner.json"), JSON.stringify({ pid: Number(dead), repoRoot: ws, createdAt: 1 }));
    const live = await createCopy(ws, path.join(base, "live"), "live");
    fs.writeFileSync(path.join(live.dir, "owner.json"), JSON.stringify({ pid: process.ppid, repoRoot: ws, createdAt: 1 }));
    await removeStaleCopies(base);
    assert.deepEqual(fs.readdirSync(base), ["live"], "the live server's copy stays");
    const worktrees = git(ws, "worktree", "list", "--porcelain");
    assert.ok(!worktrees.includes(copy.root) && worktrees.includes(live.root));
  });
});
