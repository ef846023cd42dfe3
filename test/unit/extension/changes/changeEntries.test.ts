// What the editor shows of a change Codex proposed: the diff entries (workspace file against Codex's version, an
// absent side for added and deleted files), the summary, and the explicit confirmation for flagged files.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ChangedFile } from "../../../../server/protocol/delegate";
import { changeEntries, changeRows, changeSummary, confirmationText, fixNote } from "../../../../extension/changes/changeEntries";

const file = (path: string, status: ChangedFile["status"], added: number | null = 1, removed: number | null = 0): ChangedFile => ({
  path,
  status,
  added,
  removed,
  binary: added === null,
  protectedPath: null,
  symlink: false,
  executable: false,
});

test("entries pair the workspace's file with the copy's; added and deleted files have one side", () => {
  const change = { repoRoot: "/ws", copyRoot: "/state/copies/change-1/ws", files: [file("src/a.ts", "modified"), file("new.txt", "added"), file("old.txt", "deleted", 0, 3)] };
  assert.deepEqual(changeEntries(change), [
    { path: "src/a.ts", workspaceFile: "/ws/src/a.ts", proposedFile: "/state/copies/change-1/ws/src/a.ts" },
    { path: "new.txt", workspaceFile: null, proposedFile: "/state/copies/change-1/ws/new.txt" },
    { path: "old.txt", workspaceFile: "/ws/old.txt", proposedFile: null },
  ]);
  assert.equal(changeSummary(change), "3 files (+2 −3)");
  assert.equal(changeSummary({ files: [file("logo.png", "added", null, null)] }), "1 file (+0 −0)");
});

test("flagged files need an explicit yes, only when they are among the chosen ones", () => {
  const change = { attention: [".github/workflows/ci.yml: a protected path (.github/workflows/, CI definition)", "run.sh: becomes executable"] };
  assert.match(confirmationText(change)!, /touches what runs or steers tools on its own:\n• \.github\/workflows\/ci\.yml: a protected path .*\n• run\.sh: becomes executable\n\nApply it anyway\?/);
  assert.match(confirmationText(change, ["run.sh", "src/a.ts"])!, /run\.sh/);
  assert.doesNotMatch(confirmationText(change, ["run.sh"])!, /ci\.yml/);
  assert.equal(confirmationText(change, ["src/a.ts"]), null);
  assert.equal(confirmationText({ attention: [] }), null);
});

test("the Codex Changes view: running delegates first (any caller's), then the editor's proposed changes by their task, newest first", () => {
  const proposed = (changeId: string, summary: string, attention: string[] = []) => ({
    changeId,
    state: "proposed" as const,
    next: "",
    summary,
    files: [file("a.ts", "modified")],
    attention,
    patch: "",
    patchTruncated: false,
    patchFile: null,
    repoRoot: "/ws",
    copyRoot: "/c",
    commands: [],
    verify: null,
    stopReason: "end_turn",
    durationMs: 1,
    sessionId: null,
  });
  const rows = changeRows(
    [
      { task: "Fix the guard\nin detail", change: proposed("change-1", "Fixed the guard.") },
      { task: "Rename x", change: proposed("change-2", "Renamed x.", ["a.ts: becomes executable"]) },
      { task: "Again", change: proposed("change-3", "Busy again") },
    ],
    [
      { changeId: "change-3", task: "Follow-up", root: "/c3", running: true, files: 1, createdAt: 3 },
      { changeId: "change-9", task: "Claude's task", root: "/c9", running: true, activity: "Run npm test", files: 0, createdAt: 9 },
      { changeId: "change-8", task: "Claude's finished one", root: "/c8", running: false, files: 2, createdAt: 8 },
    ],
  );
  assert.deepEqual(rows, [
    { changeId: "change-3", kind: "running", label: "Follow-up", description: "Codex working…" },
    { changeId: "change-9", kind: "running", label: "Claude's task", description: "Codex: Run npm test" },
    { changeId: "change-2", kind: "proposed", label: "Rename x", description: "1 file (+1 −0) · needs your OK" },
    { changeId: "change-1", kind: "proposed", label: "Fix the guard", description: "1 file (+1 −0)" },
  ]);
});

test("Fix with Codex tells the finding's thread what became of the fix", () => {
  assert.match(fixNote("applied")!, /this finding is fixed/);
  assert.match(fixNote("proposed")!, /Codex Changes view/);
  assert.match(fixNote("discarded")!, /discarded/);
  assert.match(fixNote("no_changes")!, /changed nothing/);
  assert.match(fixNote("failed")!, /could not/);
  assert.equal(fixNote(undefined), null);
});
