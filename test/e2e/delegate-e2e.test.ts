// End to end: `delegate` through the built server (dist/server.js) → the REAL codex-acp in workspace-write mode, in an
// isolated copy of the workspace → the scripted fake Responses API (test/fixtures/fake-model.ts), offline.
// Codex patches a file and runs commands in its copy without being asked, the workspace stays byte-for-byte the same,
// the patch is exactly the change; escalated commands (a write outside the copy, a network request) are held for
// permit; a patch into the real workspace is refused outright; two delegates at once make two independent patches;
// reply continues in the same copy; reset, the server's exit and the next start after a crash leave no copy behind.
// Run: node esbuild.mjs && node --import tsx --test test/e2e/delegate-e2e.test.ts
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { DelegateResult } from "../../server/protocol/delegate";
import type { ServerStatus } from "../../server/protocol/results";
import { eventually, isAlive, startServer, textOf, type Harness } from "../integration/harness";
import { codexAcpCommand, codexAgentUsable, makeCodexHome } from "../fixtures/codex-home";
import { startFakeModel, type FakeModel } from "../fixtures/fake-model";

const usable = codexAgentUsable();
const temps: string[] = [];
const cleanups: Array<() => Promise<void>> = [];
let model: FakeModel;
let codexEnv: Record<string, string>;

/**
 * Workspaces live outside /tmp: codex-acp's workspace-write sandbox lets commands write /tmp, so a delegate refuses a
 * workspace there (tested below).
 */
const SCRATCH = fs.existsSync("/var/tmp") ? "/var/tmp" : tmpdir();

function temp(prefix: string, base = SCRATCH): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(base, prefix)));
  temps.push(dir);
  return dir;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=e2e", "-c", "user.email=e2e@example.invalid", ...args], { cwd, encoding: "utf8" });
}

/** A repository with a commit, an uncommitted edit, an untracked file and an ignored dependency folder. */
function workspace(base = SCRATCH): string {
  const ws = temp("fusion-delegate-ws-", base);
  git(ws, "init", "-q");
  fs.writeFileSync(path.join(ws, "README.md"), "hello readme\n");
  fs.writeFileSync(path.join(ws, ".gitignore"), "node_modules/\n");
  git(ws, "add", ".");
  git(ws, "commit", "-qm", "initial");
  fs.writeFileSync(path.join(ws, "README.md"), "hello readme\nedited, not committed\n");
  fs.writeFileSync(path.join(ws, "notes.txt"), "untracked\n");
  fs.mkdirSync(path.join(ws, "node_modules", "dep"), { recursive: true });
  fs.writeFileSync(path.join(ws, "node_modules", "dep", "index.js"), "module.exports = 1;\n");
  return ws;
}

/** Every file and link under `dir` (the .git folder included) by content hash and mode: "byte for byte". */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      const rel = path.relative(dir, full);
      // git's own bookkeeping of the copies (worktrees/, objects/, logs/) is not the workspace's content.
      if (rel === path.join(".git", "worktrees") || rel === path.join(".git", "objects") || rel === path.join(".git", "logs")) continue;
      if (entry.isSymbolicLink()) out[rel] = `link:${fs.readlinkSync(full)}`;
      else if (entry.isDirectory()) walk(full);
      else out[rel] = `${createHash("sha256").update(fs.readFileSync(full)).digest("hex")}:${(fs.statSync(full).mode & 0o777).toString(8)}`;
    }
  };
  walk(dir);
  return out;
}

async function server(ws: string, stateDir: string): Promise<Harness> {
  const h = await startServer({ ...codexEnv, CODEX_FUSION_WORKSPACE: ws, CODEX_FUSION_STATE_DIR: stateDir, CODEX_FUSION_ACP_COMMAND: JSON.stringify(codexAcpCommand()) });
  cleanups.push(() => h.close());
  return h;
}

function delegateOf(result: CallToolResult): DelegateResult {
  assert.ok(!result.isError, `delegate failed: ${textOf(result)}`);
  return result.structuredContent as DelegateResult;
}

async function status(h: Harness): Promise<ServerStatus> {
  return (await h.call("status")).structuredContent as ServerStatus;
}

/** The copies under the state dir (the agent's own temp folder aside). */
function copiesIn(stateDir: string): string[] {
  const dir = path.join(stateDir, "copies");
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.startsWith("change-")) : [];
}

function worktrees(ws: string): string[] {
  return git(ws, "worktree", "list", "--porcelain").split("\n").filter((line) => line.startsWith("worktree ")).map((line) => line.slice("worktree ".length));
}

before(async () => {
  if (!usable.ok) return;
  model = await startFakeModel();
  const home = await makeCodexHome(model.url);
  codexEnv = home.env;
  cleanups.push(() => home.cleanup());
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await model?.close();
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

describe("delegate with the real codex-acp", { skip: usable.ok ? false : usable.why }, () => {
  let ws: string;
  let stateDir: string;
  let h: Harness;
  let before: Record<string, string>;

  test("Codex patches and runs commands in its copy without being asked; the workspace is untouched; the patch is exactly the change", async () => {
    ws = workspace();
    stateDir = temp("fusion-delegate-state-");
    h = await server(ws, stateDir);
    before = snapshot(ws);
    const statusBefore = git(ws, "status", "--porcelain=v1");
    const result = delegateOf(
      await h.call("delegate", {
        task: "[[model:steps:patch-inside=added.txt|read=printf 'more from codex\\n' >> README.md|read=test -f added.txt]]",
        verify: "test -f added.txt",
      }),
    );
    assert.equal(result.state, "proposed", `a request reached the guardian: ${JSON.stringify(result.pendingPermission)}`);
    assert.deepEqual(snapshot(ws), before, "the workspace is byte-for-byte unchanged");
    assert.equal(git(ws, "status", "--porcelain=v1"), statusBefore);
    assert.deepEqual(
      result.files.map((file) => [file.path, file.status, file.added, file.removed]).sort(),
      [["README.md", "modified", 1, 0], ["added.txt", "added", 1, 0]],
      "only what Codex changed (the uncommitted edit and the untracked file were the starting state)",
    );
    assert.match(result.patch, /\+more from codex/);
    assert.match(result.patch, /\+hi from codex/);
    assert.equal(fs.readFileSync(result.patchFile!, "utf8"), result.patch);
    assert.ok(result.commands.some((command) => command.command.includes("README.md") && command.exitCode === 0), JSON.stringify(result.commands));
    assert.deepEqual(result.verify, { command: "test -f added.txt", ran: true, exitCode: 0, passed: true });
    assert.match(result.next, /git -C .* apply /);
    // The patch lands on the workspace as it is: applied to a clone of it, it gives what Codex's copy holds.
    git(ws, "apply", "--check", result.patchFile!);
    const clone = temp("fusion-delegate-clone-");
    fs.cpSync(ws, clone, { recursive: true, verbatimSymlinks: true });
    git(clone, "apply", result.patchFile!);
    const copy = (await status(h)).copies!.find((entry) => entry.changeId === result.changeId)!;
    for (const file of ["README.md", "added.txt", "notes.txt"]) assert.equal(fs.readFileSync(path.join(clone, file), "utf8"), fs.readFileSync(path.join(copy.root, file), "utf8"), file);
  });

  test("an escalated write outside the copy and a network request are held for a decision; denied, nothing happens", async () => {
    const outside = path.join(temp("fusion-delegate-outside-"), "written");
    for (const command of [`touch ${outside}`, "curl -s http://127.0.0.1:9/"]) {
      const held = delegateOf(await h.call("delegate", { task: `[[model:shell:${command}]]` }));
      assert.equal(held.state, "waiting_for_permission", JSON.stringify(held));
      assert.ok(held.pendingPermission!.summary.includes(command.split(" ")[0]!), held.pendingPermission!.summary);
      assert.match(held.next, /permit/);
      const denied = await h.call("permit", { decision: "deny", note: "not in a delegate" });
      assert.ok(!denied.isError, textOf(denied));
      assert.match(textOf(denied), new RegExp(`Change ${held.changeId}`));
    }
    assert.ok(!fs.existsSync(outside));
    assert.deepEqual(snapshot(ws), before);
  });

  test("a patch into the real workspace is refused outright, never held", async () => {
    const from = model.requests.length;
    const result = delegateOf(await h.call("delegate", { task: `[[model:patch-outside:${path.join(ws, "evil.txt")}]]` }));
    assert.notEqual(result.state, "waiting_for_permission");
    assert.ok(model.requests.slice(from).some((request) => JSON.stringify(request.body).includes("a delegate never writes the real workspace")), "Codex was told the guardian refused it");
    assert.ok(!fs.existsSync(path.join(ws, "evil.txt")));
    assert.deepEqual((await status(h)).pendingPermissions, []);
    assert.deepEqual(snapshot(ws), before);
  });

  test("two delegates at once make two independent patches, and reply continues one in its copy", async () => {
    const [a, b] = await Promise.all([
      h.call("delegate", { task: "[[model:patch-inside:a.txt]]" }),
      h.call("delegate", { task: "[[model:patch-inside:b.txt]]" }),
    ]).then((results) => results.map(delegateOf));
    assert.notEqual(a!.changeId, b!.changeId);
    assert.deepEqual(a!.files.map((file) => file.path), ["a.txt"]);
    assert.deepEqual(b!.files.map((file) => file.path), ["b.txt"]);
    const replied = await h.call("reply", { change: a!.changeId, message: "[[model:patch-inside:c.txt]]" });
    assert.ok(!replied.isError, textOf(replied));
    assert.match(textOf(replied), /a\.txt/);
    assert.match(textOf(replied), /c\.txt/);
    assert.doesNotMatch(textOf(replied), /b\.txt/);
    assert.deepEqual(snapshot(ws), before);
  });

  test("reset removes every copy and git forgets them; the workspace is still untouched", async () => {
    assert.ok((await status(h)).copies!.length >= 5);
    const reset = await h.call("reset");
    assert.match(textOf(reset), /delegate copies removed/);
    assert.deepEqual((await status(h)).copies, []);
    assert.deepEqual(worktrees(ws), [ws]);
    assert.deepEqual(copiesIn(stateDir), []);
    assert.deepEqual(snapshot(ws), before);
  });

  test("a workspace under /tmp (writable by the sandbox) is refused with the reason", async () => {
    const inTmp = workspace(tmpdir());
    if (!fs.realpathSync(inTmp).startsWith(fs.realpathSync("/tmp"))) return; // TMPDIR elsewhere: nothing to check
    const other = await server(inTmp, temp("fusion-delegate-state-"));
    const refused = await other.call("delegate", { task: "[[model:patch-inside:x.txt]]" });
    assert.equal(refused.isError, true);
    assert.match(textOf(refused), /invalid_argument.*workspace-write sandbox lets every command write/);
    assert.deepEqual(worktrees(inTmp), [inTmp]);
    await other.close();
  });

  test("the server's exit removes its copies", async () => {
    delegateOf(await h.call("delegate", { task: "[[model:patch-inside:d.txt]]" }));
    assert.equal(copiesIn(stateDir).length, 1);
    await h.close();
    assert.ok(await eventually(() => !fs.existsSync(path.join(stateDir, "copies")) || fs.readdirSync(path.join(stateDir, "copies")).length === 0, 30_000), "the copies and the agent's temp folder are gone");
    assert.deepEqual(worktrees(ws), [ws]);
  });

  test("a crash mid-delegate leaves no copy after the next start", async () => {
    const crashing = await server(ws, stateDir);
    const pending = crashing.call("delegate", { task: "[[model:stall]]" }).catch(() => null);
    assert.ok(await eventually(async () => ((await status(crashing)).copies ?? []).some((copy) => copy.running), 60_000));
    const pid = crashing.serverPid()!;
    process.kill(pid, "SIGKILL");
    await eventually(() => !isAlive(pid), 10_000);
    await pending;
    assert.equal(copiesIn(stateDir).length, 1, "the crashed server's copy is still there");
    const next = await server(ws, stateDir);
    await status(next);
    assert.ok(await eventually(() => copiesIn(stateDir).length === 0 && !fs.existsSync(path.join(stateDir, "copies", `tmp-${pid}`)), 30_000), "removed at start");
    assert.deepEqual(worktrees(ws), [ws]);
    assert.deepEqual(snapshot(ws), before);
  });
});
