import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import type { PermissionView } from "../../../../server/protocol/results";
import {
  askingTurnLabel,
  alreadyDecidedMessage,
  describePermission,
  displayPath,
  notificationMessage,
  permissionDetailsMarkdown,
  resolutionPhrase,
  type PathContext,
} from "../../../../extension/permissions/permissionWording";
import { PermissionsModel } from "../../../../extension/permissions/permissionsModel";

const ctx: PathContext = { roots: ["/ws"], home: "/home/ana", pathApi: path.posix };

function request(over: Partial<PermissionView>): PermissionView {
  return {
    id: "perm-1",
    turnId: "turn-1",
    kind: "execute",
    category: "command",
    title: "Run a command",
    summary: "",
    command: null,
    cwd: null,
    paths: [],
    reason: "commands are always asked",
    justification: null,
    diffPreview: null,
    options: [
      { optionId: "a", name: "Allow", kind: "allow_once" },
      { optionId: "d", name: "Deny", kind: "reject_once" },
    ],
    createdAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    ...over,
  };
}

test("a command with its cwd inside the workspace", () => {
  assert.equal(describePermission(request({ command: "npm test", cwd: "/ws/pkg" }), ctx), "run `npm test` in ./pkg");
  assert.equal(describePermission(request({ command: "npm test", cwd: "/ws/pkg/sub/dir" }), ctx), "run `npm test` in ./pkg/sub/dir");
  assert.equal(describePermission(request({ command: "make", cwd: "/ws" }), ctx), "run `make` in the workspace");
  assert.equal(describePermission(request({ command: "make", cwd: null }), ctx), "run `make`");
});

test("a command with its cwd outside the workspace: ~ for home, else absolute", () => {
  assert.equal(describePermission(request({ command: "ls -la", cwd: "/home/ana/other" }), ctx), "run `ls -la` in ~/other");
  assert.equal(describePermission(request({ command: "ls", cwd: "/home/ana" }), ctx), "run `ls` in ~");
  assert.equal(describePermission(request({ command: "ls", cwd: "/opt/tools" }), ctx), "run `ls` in /opt/tools");
  // A sibling that merely shares the prefix is outside.
  assert.equal(describePermission(request({ command: "ls", cwd: "/ws-other/x" }), ctx), "run `ls` in /ws-other/x");
});

test("a long or multi-line command is one clipped line", () => {
  const sentence = describePermission(request({ command: `bash -c 'for i in 1 2 3; do\n  echo $i\ndone' ${"x".repeat(200)}`, cwd: "/ws" }), ctx);
  assert.ok(!sentence.includes("\n"));
  assert.ok(sentence.length < 140, sentence);
  assert.match(sentence, /…` in the workspace$/);
});

test("an edit of one file and of three files", () => {
  assert.equal(describePermission(request({ kind: "edit", category: "edit", paths: ["/ws/src/a.ts"] }), ctx), "edit src/a.ts");
  assert.equal(describePermission(request({ kind: "edit", category: "edit", paths: ["/ws/src/a.ts", "/ws/src/b.ts", "/ws/src/lib/c.ts"] }), ctx), "edit 3 files in src/");
  assert.equal(describePermission(request({ kind: "edit", category: "edit", paths: ["/ws/a.ts", "/ws/b/c.ts", "/ws/d.ts"] }), ctx), "edit 3 files: a.ts, b/c.ts, d.ts");
  assert.equal(describePermission(request({ kind: "edit", category: "edit", paths: ["/ws/a", "/ws/b", "/ws/c", "/ws/d"] }), ctx), "edit 4 files: a, b, c, …");
  assert.equal(describePermission(request({ kind: "edit", category: "edit", paths: [], title: "apply_patch" }), ctx), "edit files (apply_patch)");
});

test("a read outside the workspace uses ~ for home", () => {
  assert.equal(describePermission(request({ kind: "read", category: "read", paths: ["/home/ana/.ssh/config"] }), ctx), "read ~/.ssh/config");
  assert.equal(describePermission(request({ kind: "read", category: "read", paths: ["/etc/hosts"] }), ctx), "read /etc/hosts");
  assert.equal(describePermission(request({ kind: "read", category: "read", paths: ["/home/ana/.aws/credentials", "/home/ana/.aws/config"] }), ctx), "read 2 files in ~/.aws/");
});

test("a network request and an unknown kind", () => {
  assert.equal(describePermission(request({ kind: "fetch", category: "network", title: "Fetch https://example.com/api" }), ctx), "use the network (Fetch https://example.com/api)");
  assert.equal(describePermission(request({ kind: "other", category: "other", title: "mcp__db__query" }), ctx), "use “mcp__db__query”");
  assert.equal(describePermission(request({ kind: "other", category: "other", title: "", paths: ["/ws/db.sqlite"] }), ctx), "use “other” on db.sqlite");
  assert.equal(describePermission(request({ kind: "execute", category: "command", title: "Run terminal" }), ctx), "run a command (Run terminal)");
});

test("Windows paths are shown relative with forward slashes", () => {
  const win: PathContext = { roots: ["C:\\work\\ws"], home: "C:\\Users\\ana", pathApi: path.win32 };
  assert.equal(describePermission(request({ command: "npm test", cwd: "C:\\work\\ws\\pkg" }), win), "run `npm test` in ./pkg");
  assert.equal(displayPath("C:\\Users\\ana\\.ssh\\config", win), "~/.ssh/config");
  assert.equal(displayPath("D:\\other\\x.txt", win), "D:\\other\\x.txt");
});

test("the notification sentence carries Codex's reason, clipped", () => {
  assert.equal(notificationMessage(request({ command: "npm test", cwd: "/ws/pkg" }), ctx), "Codex wants to run `npm test` in ./pkg.");
  const long = notificationMessage(request({ command: "npm test", cwd: "/ws", justification: `to check the fix ${"y".repeat(400)}` }), ctx);
  assert.match(long, /^Codex wants to run `npm test` in the workspace\. Codex says: “to check the fix y+…”$/);
});

test("who decided, in words", () => {
  assert.equal(resolutionPhrase({ decision: "allow", source: "editor" }), "allowed by you");
  assert.equal(resolutionPhrase({ decision: "deny", source: "claude" }), "denied by Claude");
  assert.equal(resolutionPhrase({ decision: "allow_session", source: "claude" }), "allowed for the session by Claude");
  assert.equal(resolutionPhrase({ decision: "allow", source: "policy" }), "allowed by the guardian policy");
  assert.equal(resolutionPhrase({ decision: "deny", source: "timeout" }), "denied (no answer in time)");
  assert.equal(resolutionPhrase({ decision: "deny", source: "withdrawn" }), "withdrawn by Codex");
  assert.equal(alreadyDecidedMessage({ decision: "allow", source: "claude" }), "Already decided by Claude (allow).");
  assert.equal(alreadyDecidedMessage({ decision: "deny", source: "timeout" }), "This request was already denied: nobody answered in time.");
  assert.equal(alreadyDecidedMessage({ decision: "deny", source: "withdrawn" }), "Codex already withdrew this request.");
});

test("the details page has the whole request, fenced so model text cannot break out", () => {
  const view = request({
    kind: "edit",
    category: "edit",
    title: "Edit files",
    cwd: "/ws/pkg",
    paths: ["/ws/src/a.ts", "/home/ana/.bashrc"],
    justification: "fix the typo",
    reason: "writes are asked (CODEX_FUSION_ALLOW_WRITES is off)",
    diffPreview: "--- a/src/a.ts\n+++ b/src/a.ts\n-const a = ```x```;\n+const a = 1;\n",
  });
  const page = permissionDetailsMarkdown(view, ctx, null);
  assert.match(page, /^# Codex wants to edit 2 files: src\/a\.ts, ~\/\.bashrc/);
  assert.match(page, /\*\*Status:\*\* waiting for a decision/);
  assert.match(page, /Working directory:\*\* \/ws\/pkg \(pkg\)/);
  assert.match(page, /- \/home\/ana\/\.bashrc \(~\/\.bashrc\)/);
  assert.match(page, /> fix the typo/);
  assert.match(page, /> writes are asked/);
  assert.ok(page.includes("````diff\n--- a/src/a.ts"), "fence longer than the backticks inside");
  const decided = permissionDetailsMarkdown(request({ command: "rm -rf build" }), ctx, { decision: "deny", source: "claude", decidedAt: Date.now(), note: "not now" });
  assert.match(decided, /\*\*Status:\*\* denied by Claude at .* — not now/);
  assert.ok(decided.includes("```sh\nrm -rf build\n```"));
  assert.match(decided, /_Codex gave no reason\._/);
});

test("the model: pending, resolved by someone, bounded recent list, late resolutions remembered", () => {
  let now = 1000;
  const model = new PermissionsModel(3, () => now);
  let changes = 0;
  model.onDidChange(() => changes++);
  assert.equal(model.addPending(request({ id: "p1" })), true);
  assert.equal(model.addPending(request({ id: "p1" })), false, "a duplicate is not new");
  model.addPending(request({ id: "p2" }));
  assert.deepEqual(model.pending.map((v) => v.id), ["p1", "p2"]);
  now = 2000;
  const decided = model.resolve("p1", "allow", "claude");
  assert.equal(decided?.resolution.source, "claude");
  assert.deepEqual(model.pending.map((v) => v.id), ["p2"]);
  assert.deepEqual(model.resolutionOf("p1"), { decision: "allow", source: "claude", decidedAt: 2000 });
  assert.equal(model.addPending(request({ id: "p1" })), false, "a settled request does not come back");
  assert.equal(model.resolve("unknown", "deny", "timeout"), null);
  for (const id of ["p3", "p4", "p5"]) {
    model.addPending(request({ id }));
    model.resolve(id, "deny", "editor", "no");
  }
  assert.deepEqual(model.recent.map((e) => e.view.id), ["p5", "p4", "p3"], "newest first, bounded");
  assert.equal(model.resolutionOf("p1")?.source, "claude", "still answers late clicks");
  assert.equal(model.find("p5")?.resolution?.note, "no");
  assert.ok(changes >= 8);
});

test("the model: reconcile with the server's status, drop on server stop", () => {
  const model = new PermissionsModel();
  model.addPending(request({ id: "p1" }));
  const added = model.reconcile([request({ id: "p2" })]);
  assert.deepEqual(added.map((v) => v.id), ["p2"]);
  assert.deepEqual(model.pending.map((v) => v.id), ["p2"], "p1 is no longer waiting on the server");
  assert.deepEqual(model.reconcile([request({ id: "p2" })]), []);
  model.dropPending();
  assert.deepEqual(model.pending, []);
});

test("several turns at once: a request says which turn asks (tree, notification); with one turn it goes without saying", () => {
  const turn = (id: string, over: Record<string, unknown> = {}) => ({ id, tool: "review_diff" as const, client: "claude-code", summary: "the working tree", elapsedMs: 1, waitingForPermission: true, sessionId: "s", forked: false, ...over });
  const view = request({ turnId: "turn-2", command: "npm test", summary: "run `npm test`" });
  assert.equal(askingTurnLabel(view, [turn("turn-2")]), null);
  assert.equal(askingTurnLabel(view, [turn("turn-1", { tool: "consult" }), turn("turn-2")]), "the review diff from claude-code: the working tree");
  assert.equal(askingTurnLabel(request({ turnId: null }), [turn("turn-1"), turn("turn-2")]), null);
  assert.match(notificationMessage(view, ctx, [turn("turn-1"), turn("turn-2", { client: null, summary: "" })]), /\(for the review diff\)\./);
  const model = new PermissionsModel();
  let changes = 0;
  model.onDidChange(() => changes++);
  model.addPending(view);
  const before = changes;
  model.setTurns([turn("turn-1"), turn("turn-2")]);
  assert.equal(changes, before + 1, "the labels of pending requests are redrawn");
  model.setTurns([turn("turn-1"), turn("turn-2")]);
  assert.equal(changes, before + 1, "no change, no redraw");
});
