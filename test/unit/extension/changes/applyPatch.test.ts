// The editor's Apply of a change Codex proposed, on real repositories: a patch that applies lands (all, or per
// file); one made stale by an edit is refused by the check and leaves the workspace exactly as it was, saying what
// conflicts; a three-way apply is offered only when it would work.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { applyPatch, checkPatch, conflictLines } from "../../../../extension/changes/applyPatch";

const temps: string[] = [];
after(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

function repo(): string {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), "fusion-apply-")));
  temps.push(ws);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: ws });
  git("init", "-q");
  fs.writeFileSync(path.join(ws, "a.txt"), "one\ntwo\nthree\n");
  fs.writeFileSync(path.join(ws, "b.txt"), "bee\n");
  git("add", ".");
  git("commit", "-qm", "init");
  return ws;
}

/** A patch changing a.txt's middle line and b.txt, made the way a delegate's is (git diff --binary). */
function patchFor(ws: string): string {
  const file = path.join(ws, "..", `${path.basename(ws)}.patch`);
  temps.push(file);
  fs.writeFileSync(path.join(ws, "a.txt"), "one\nTWO\nthree\n");
  fs.writeFileSync(path.join(ws, "b.txt"), "bee!\n");
  fs.writeFileSync(file, execFileSync("git", ["diff", "--binary"], { cwd: ws }));
  execFileSync("git", ["checkout", "--", "."], { cwd: ws });
  return file;
}

test("a patch that applies: checked, then applied; per file applies only the chosen file", async () => {
  const ws = repo();
  const patch = patchFor(ws);
  assert.deepEqual(await checkPatch(ws, patch), { ok: true });
  assert.deepEqual(await applyPatch(ws, patch, { paths: ["b.txt"] }), { ok: true });
  assert.equal(fs.readFileSync(path.join(ws, "a.txt"), "utf8"), "one\ntwo\nthree\n");
  assert.equal(fs.readFileSync(path.join(ws, "b.txt"), "utf8"), "bee!\n");
  assert.deepEqual(await applyPatch(ws, patch, { paths: ["a.txt"] }), { ok: true });
  assert.equal(fs.readFileSync(path.join(ws, "a.txt"), "utf8"), "one\nTWO\nthree\n");
});

test("a stale patch is refused by the check, names the conflict, and touches nothing; three-way is offered only when it works", async () => {
  const ws = repo();
  const patch = patchFor(ws);
  fs.writeFileSync(path.join(ws, "a.txt"), "one\nzwei\nthree\n"); // the person edited the same line since
  const before = ["a.txt", "b.txt"].map((file) => fs.readFileSync(path.join(ws, file), "utf8"));
  const check = await checkPatch(ws, patch);
  assert.equal(check.ok, false);
  assert.match(check.ok ? "" : check.conflicts, /a\.txt/);
  assert.equal(check.ok ? null : check.threeWay, false, "the same line changed both ways: a three-way apply would conflict too");
  const applied = await applyPatch(ws, patch);
  assert.equal(applied.ok, false);
  assert.deepEqual(["a.txt", "b.txt"].map((file) => fs.readFileSync(path.join(ws, file), "utf8")), before, "git apply is all or nothing");
});

test("a patch whose context changed since (a committed edit two lines away) is refused plainly and applies three-way", async () => {
  const ws = repo();
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: ws });
  const lines = (change: Record<number, string>) => Array.from({ length: 10 }, (_, i) => change[i + 1] ?? `line ${i + 1}`).join("\n") + "\n";
  fs.writeFileSync(path.join(ws, "a.txt"), lines({}));
  git("commit", "-qam", "ten lines");
  const patch = path.join(ws, "..", `${path.basename(ws)}-3way.patch`);
  temps.push(patch);
  fs.writeFileSync(path.join(ws, "a.txt"), lines({ 5: "line five, by Codex" }));
  fs.writeFileSync(patch, execFileSync("git", ["diff", "--binary"], { cwd: ws }));
  git("checkout", "--", ".");
  fs.writeFileSync(path.join(ws, "a.txt"), lines({ 3: "line three, by the person" }));
  git("commit", "-qam", "moved on");
  const check = await checkPatch(ws, patch);
  assert.equal(check.ok, false, "the hunk's context no longer matches");
  assert.equal(check.ok ? null : check.threeWay, true);
  assert.deepEqual(await applyPatch(ws, patch, { threeWay: true }), { ok: true });
  assert.equal(fs.readFileSync(path.join(ws, "a.txt"), "utf8"), lines({ 3: "line three, by the person", 5: "line five, by Codex" }));
});

test("conflictLines keeps git's error lines", () => {
  assert.equal(conflictLines("error: patch failed: a.txt:1\nerror: a.txt: patch does not apply\n"), "patch failed: a.txt:1; a.txt: patch does not apply");
  assert.equal(conflictLines(""), "git apply failed");
});
