// The guardian judges what a write does, not the names it lists (issue 22): the effect corpus across all 8 flag
// combinations through the real Guardian (collect → walk links → resolve → effect → decide) on a real workspace
// with hard links, a `.git` file, core.hooksPath, folders holding protected paths and two links to its own root.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type * as acp from "@agentclientprotocol/sdk";
import { Guardian } from "../../../../server/guardian/judge";
import { FLAG_COMBINATIONS, promised } from "../../../fixtures/guardian/corpus";
import { buildEffectTree, effectCorpus, type EffectCase } from "../../../fixtures/guardian/effectCorpus";

const SESSION = "s-effect";
const OPTIONS = [
  { optionId: "allow_once", kind: "allow_once", name: "Yes" },
  { optionId: "cancel", kind: "reject_once", name: "No" },
];
let tmp = "";
let ws = "";
let cases: EffectCase[] = [];

before(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "guardian-effect-")));
  const tree = await buildEffectTree(tmp);
  ws = tree.ws;
  cases = effectCorpus(tree);
});

after(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

const label = (flags: (typeof FLAG_COMBINATIONS)[number]) =>
  Object.entries(flags)
    .filter(([, on]) => on)
    .map(([name]) => name)
    .join("+") || "no flags";

export function requestOf(c: EffectCase, id: string): acp.RequestPermissionRequest {
  return { sessionId: SESSION, toolCall: { toolCallId: id, status: "pending", ...c.toolCall }, options: OPTIONS } as unknown as acp.RequestPermissionRequest;
}

describe("the effect of a write, across every flag combination", () => {
  for (const flags of FLAG_COMBINATIONS) {
    test(`0 auto-allowed that are asked, 0 held that are allowed: ${label(flags)}`, async () => {
      const guardian = new Guardian(ws, flags, path.join(tmp, "home"));
      const wrong: string[] = [];
      for (const [i, c] of cases.entries()) {
        const { verdict } = await guardian.judge(requestOf(c, `call_${i}`), { turnId: "t", sessionId: SESSION, ...(c.diffPaths ? { diffPaths: c.diffPaths } : {}), diffPreview: null });
        const expected = promised(c.promise, flags);
        if (verdict.action !== expected) wrong.push(`${c.name}: ${verdict.action}, promised ${expected} (${verdict.reason})`);
      }
      assert.deepEqual(wrong, []);
    });
  }

  test("the reasons name what decided", async () => {
    const guardian = new Guardian(ws, { allowExternalReads: true, allowWrites: true, allowCommands: true }, path.join(tmp, "home"));
    const reasonOf = async (name: string) => {
      const c = cases.find((x) => x.name === name)!;
      return (await guardian.judge(requestOf(c, "r"), { turnId: "t", sessionId: SESSION, ...(c.diffPaths ? { diffPaths: c.diffPaths } : {}), diffPreview: null })).verdict.reason;
    };
    assert.match(await reasonOf("delete of a folder holding .vscode/"), /protected path \(\.vscode\/.*vendor\/dep\/\.vscode/);
    assert.match(await reasonOf("move of a folder holding workflows/ to .github"), /protected path \(\.github\/workflows\/, CI definition\): \S*\/ws\/\.github\/workflows/);
    assert.match(await reasonOf("edit of a hard link to a file outside"), /2 hard links/);
    assert.match(await reasonOf("edit of the config in the folder a .git file names"), /protected path \(\.git\//);
    assert.match(await reasonOf("the same file under two spellings, one diff"), /not confirmed by a diff of its own/);
    assert.match(await reasonOf("read relative to a cwd that is not a string"), /cannot be read from the request/);
  });
});

describe("bounded: never hung", () => {
  const patchOf = (target: string): acp.RequestPermissionRequest =>
    ({ sessionId: SESSION, toolCall: { toolCallId: "p", kind: "edit", status: "pending", title: "Edit files", locations: [{ path: target }] }, options: OPTIONS }) as unknown as acp.RequestPermissionRequest;
  const WRITES = { allowExternalReads: false, allowWrites: true, allowCommands: false };

  test("a workspace with two symlinks to its own root: an ordinary patch under ALLOW_WRITES is decided (allowed)", async () => {
    // Before issue 22 the names through the links doubled at every hop: this decision never came.
    const loop = path.join(tmp, "loop");
    await fs.mkdir(path.join(loop, "src"), { recursive: true });
    await fs.writeFile(path.join(loop, "src", "a.ts"), "x\n");
    await fs.symlink(".", path.join(loop, "l1"));
    await fs.symlink(loop, path.join(loop, "l2"));
    await fs.symlink("..", path.join(loop, "src", "up"));
    await fs.symlink("../.vscode", path.join(loop, "src", "editor")); // dangling, to a protected name
    const guardian = new Guardian(loop, WRITES, path.join(tmp, "home"));
    const target = path.join(loop, "src", "a.ts");
    const { verdict } = await guardian.judge(patchOf(target), { turnId: "t", sessionId: SESSION, diffPaths: [target], diffPreview: null });
    assert.equal(verdict.action, "allow", verdict.reason);
    // …while a name through the links still protects: .vscode/x is reached as src/editor/x.
    const settings = path.join(loop, ".vscode", "settings.json");
    const guarded = await guardian.judge(patchOf(settings), { turnId: "t", sessionId: SESSION, diffPaths: [settings], diffPreview: null });
    assert.equal(guarded.verdict.action, "ask");
  });

  test("a decision whose walks run out of their budget is asked, never allowed", async () => {
    const guardian = new Guardian(ws, WRITES, path.join(tmp, "home"), 0);
    const target = path.join(ws, "src", "a.ts");
    const { verdict } = await guardian.judge(patchOf(target), { turnId: "t", sessionId: SESSION, diffPaths: [target], diffPreview: null });
    assert.equal(verdict.action, "ask");
    assert.match(verdict.reason, /could not all be checked/);
  });

  test("a slow decision never blocks another: a command is decided while a large walk runs", async () => {
    const big = path.join(tmp, "big");
    for (let d = 0; d < 40; d++) {
      await fs.mkdir(path.join(big, `d${d}`), { recursive: true });
      await Promise.all(Array.from({ length: 100 }, (_, f) => fs.writeFile(path.join(big, `d${d}`, `f${f}.txt`), "")));
    }
    // Links to its own root: before issue 22 the names through them were enumerated synchronously, for ever.
    await fs.symlink(".", path.join(big, "self"));
    await fs.symlink(big, path.join(big, "again"));
    const guardian = new Guardian(big, { allowExternalReads: false, allowWrites: true, allowCommands: true }, path.join(tmp, "home"));
    const order: string[] = [];
    const target = path.join(big, "d0", "f0.txt");
    const slow = guardian.judge(patchOf(target), { turnId: "t1", sessionId: SESSION, diffPaths: [target], diffPreview: null }).then((j) => {
      order.push("walk");
      return j;
    });
    const command = { sessionId: SESSION, toolCall: { toolCallId: "c", kind: "execute", status: "pending", title: "ls", rawInput: { command: "ls" } }, options: OPTIONS } as unknown as acp.RequestPermissionRequest;
    const quick = guardian.judge(command, { turnId: "t2", sessionId: SESSION, diffPreview: null }).then((j) => {
      order.push("command");
      return j;
    });
    const [walked, ran] = await Promise.all([slow, quick]);
    assert.deepEqual(order, ["command", "walk"], "the command did not wait for the walk");
    assert.equal(walked.verdict.action, "allow", walked.verdict.reason);
    assert.equal(ran.verdict.action, "allow");
  });
});

describe("a mount inside the workspace leads elsewhere", () => {
  test("a write (and a read) on another file system below the workspace is asked", async (t) => {
    // No mount can be made here without privileges; /dev/shm is usually its own tmpfs below /dev.
    const [dev, shm] = await Promise.all([fs.stat("/dev").catch(() => null), fs.stat("/dev/shm").catch(() => null)]);
    if (!dev || !shm || dev.dev === shm.dev) {
      t.skip("no separate file system below /dev here");
      return;
    }
    const guardian = new Guardian("/dev", { allowExternalReads: false, allowWrites: true, allowCommands: false }, path.join(tmp, "home"));
    const target = "/dev/shm/guardian-never-written.txt";
    const edit = { sessionId: SESSION, toolCall: { toolCallId: "m", kind: "edit", status: "pending", title: "Edit files", locations: [{ path: target }] }, options: OPTIONS } as unknown as acp.RequestPermissionRequest;
    const written = await guardian.judge(edit, { turnId: "t", sessionId: SESSION, diffPaths: [target], diffPreview: null });
    assert.equal(written.verdict.action, "ask");
    assert.match(written.verdict.reason, /another file system mounted inside the workspace/);
    const read = { sessionId: SESSION, toolCall: { toolCallId: "r", kind: "read", status: "pending", title: "Read", locations: [{ path: "/dev/shm" }] }, options: OPTIONS } as unknown as acp.RequestPermissionRequest;
    assert.equal((await guardian.judge(read, { turnId: "t", sessionId: SESSION, diffPreview: null })).verdict.action, "ask");
  });
});

describe("a linked worktree's repository", () => {
  test("a .git file → a gitdir whose commondir is an ordinary folder: that folder's hooks and its config's hooksPath are protected", async () => {
    const wt = path.join(tmp, "wt");
    for (const dir of ["repo/worktrees/w1", "repo/hooks", "scripts/h", "src"]) await fs.mkdir(path.join(wt, dir), { recursive: true });
    await fs.writeFile(path.join(wt, ".git"), "gitdir: repo/worktrees/w1\n");
    await fs.writeFile(path.join(wt, "repo/worktrees/w1/commondir"), "../..\n");
    await fs.writeFile(path.join(wt, "repo/config"), "[core]\n\thooksPath = scripts/h\n");
    await fs.writeFile(path.join(wt, "src/a.ts"), "x\n");
    const guardian = new Guardian(wt, { allowExternalReads: false, allowWrites: true, allowCommands: false }, path.join(tmp, "home"));
    const judge = (relative: string) => {
      const target = path.join(wt, relative);
      const request = { sessionId: SESSION, toolCall: { toolCallId: "w", kind: "edit", status: "pending", title: "Edit files", locations: [{ path: target }] }, options: OPTIONS } as unknown as acp.RequestPermissionRequest;
      return guardian.judge(request, { turnId: "t", sessionId: SESSION, diffPaths: [target], diffPreview: null });
    };
    for (const relative of ["repo/hooks/pre-commit", "repo/config", "scripts/h/pre-push"]) {
      const { verdict } = await judge(relative);
      assert.equal(verdict.action, "ask", relative);
      assert.match(verdict.reason, /protected path \(\.git\//, relative);
    }
    assert.equal((await judge("src/a.ts")).verdict.action, "allow");
  });
});
