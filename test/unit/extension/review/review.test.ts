// The review in the editor, its pure parts: one model for threads, Problems and the panel (replace, dismiss, counts),
// findings that move with their code, how a finding reads in each place, and which terminal runs Claude Code.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Finding } from "../../../../server/protocol/results";
import { ReviewModel, type ReviewChange } from "../../../../extension/review/model";
import { applyEdit, applyEdits, type LineEdit } from "../../../../extension/review/lineTracking";
import { askContext, claudePrompt, diagnosticMessage, locationLabel, severityLabel, threadMarkdown } from "../../../../extension/review/findingText";
import { chooseClaudeTerminal, isClaudeProcess, isClaudeShellCommand } from "../../../../extension/review/claudeCommandLine";
import { handoffMessage } from "../../../../extension/review/handoffMessage";
import { foregroundCommandLines, parseProcStat, processTable, type Proc } from "../../../../extension/review/processTree";
import type { Placement } from "../../../../extension/review/placement";

const findings: Finding[] = [
  { severity: "major", priority: 1, title: "Guard the retry count", body: "`retries` is unchecked.\n\nClamp it.", file: "src/app.ts", line: 12, endLine: 13 },
  { severity: "minor", title: "Name the timeout", body: "", file: "src/app.ts", line: 5 },
  { severity: "blocker", title: "Vendored file edited", body: "", file: "/usr/lib/x.js", line: 1 },
  { severity: "minor", title: "Add tests", body: "" },
];
const place = (f: Finding): Placement => (!f.file ? { kind: "none" } : f.file.startsWith("/") ? { kind: "outside", path: f.file } : { kind: "file", path: `/ws/${f.file}` });

test("model: a review's findings with their places and 0-based ranges; counts say what the answer says", () => {
  const model = new ReviewModel();
  const changes: ReviewChange["kind"][] = [];
  model.onDidChange((change) => changes.push(change.kind));
  model.load({ turnId: "t1", summary: "the working tree", reviewer: "prompt", findings }, place);
  assert.deepEqual(model.placed().map((e) => [e.id, e.range]), [
    ["t1#0", { start: 11, end: 12 }],
    ["t1#1", { start: 4, end: 4 }],
  ]);
  assert.deepEqual(model.counts(), { blocker: 1, major: 1, minor: 2 }, "unplaced findings count too");
  assert.equal(model.entryAt("t1", 2)?.place.kind, "outside");
  assert.equal(model.entryAt("t0", 0), undefined);
  assert.deepEqual(changes, ["replaced"]);
});

test("model: Dismiss removes a finding from the placed ones, once; a new review replaces everything", () => {
  const model = new ReviewModel();
  model.load({ turnId: "t1", summary: "s", findings }, place);
  const seen: string[] = [];
  model.onDidChange((change) => seen.push(change.kind === "dismissed" ? `dismissed ${change.entry.id}` : change.kind));
  assert.equal(model.dismiss("t1#0"), true);
  assert.equal(model.dismiss("t1#0"), false);
  assert.deepEqual(model.placed().map((e) => e.id), ["t1#1"]);
  model.load({ turnId: "t2", summary: "s", findings: findings.slice(1, 2) }, place);
  assert.deepEqual(model.placed().map((e) => e.id), ["t2#0"]);
  assert.equal(model.entry("t1#1"), undefined);
  model.clear();
  assert.equal(model.review, null);
  assert.deepEqual(seen, ["dismissed t1#0", "replaced", "replaced"]);
});

const edit = (startLine: number, startCharacter: number, endLine: number, endCharacter: number, newLineBreaks: number): LineEdit => ({ startLine, startCharacter, endLine, endCharacter, newLineBreaks });

test("line tracking: edits above move a finding, below leave it, across keep it in place and mark it edited", () => {
  const r = { start: 10, end: 12 };
  assert.deepEqual(applyEdit(r, edit(2, 0, 2, 0, 2)), { range: { start: 12, end: 14 }, edited: false }, "two lines inserted above");
  assert.deepEqual(applyEdit(r, edit(2, 0, 5, 0, 0)), { range: { start: 7, end: 9 }, edited: false }, "three lines deleted above");
  assert.deepEqual(applyEdit(r, edit(10, 0, 10, 0, 1)), { range: { start: 11, end: 13 }, edited: false }, "a line inserted right above its first line");
  assert.deepEqual(applyEdit(r, edit(20, 0, 21, 0, 5)), { range: r, edited: false }, "below");
  assert.deepEqual(applyEdit(r, edit(11, 3, 11, 9, 0)), { range: r, edited: true }, "typing inside");
  assert.deepEqual(applyEdit(r, edit(11, 0, 12, 4, 0)), { range: { start: 10, end: 11 }, edited: true }, "a line of it deleted");
  assert.deepEqual(applyEdit(r, edit(8, 0, 14, 0, 0)), { range: { start: 8, end: 8 }, edited: true }, "all of it deleted: kept where the code was");
  assert.deepEqual(applyEdits(r, [edit(2, 0, 2, 0, 1), edit(30, 0, 30, 0, 1), edit(0, 0, 0, 0, 1)]), { range: { start: 12, end: 14 }, edited: false });
});

test("model: edits move the findings of that file only, and say which moved", () => {
  const model = new ReviewModel();
  model.load({ turnId: "t", summary: "s", findings }, place);
  const moved: string[][] = [];
  model.onDidChange((change) => change.kind === "moved" && moved.push(change.entries.map((e) => e.id)));
  model.edit("/ws/src/app.ts", [edit(7, 0, 7, 0, 3)]);
  model.edit("/ws/other.ts", [edit(0, 0, 0, 0, 3)]);
  assert.deepEqual(model.entry("t#0")?.range, { start: 14, end: 15 });
  assert.deepEqual(model.entry("t#1")?.range, { start: 4, end: 4 });
  assert.deepEqual(moved, [["t#0"]]);
});

test("finding text: labels, Problems message, thread markdown, Ask Codex context, the Claude Code prompt on one line", () => {
  const [f] = findings;
  assert.equal(severityLabel(f!), "P1 · major");
  assert.equal(severityLabel(findings[1]!), "minor");
  assert.equal(locationLabel(f!), "src/app.ts:12-13");
  assert.equal(locationLabel(findings[1]!), "src/app.ts:5");
  assert.equal(locationLabel(findings[3]!), null);
  assert.equal(diagnosticMessage(f!), "Guard the retry count — `retries` is unchecked. Clamp it.");
  assert.equal(
    threadMarkdown(f!, { reviewer: "codex", edited: true }),
    "**[P1 · major]** Guard the retry count\n\n`retries` is unchecked.\n\nClamp it.\n\n*src/app.ts:12-13 · Codex's own reviewer · the code here changed since the review*",
  );
  assert.match(threadMarkdown(findings[1]!, { reviewer: "prompt", edited: false }), /\*src\/app\.ts:5 · Codex review\*$/);
  assert.match(askContext(f!), /^The person asks about one finding of your last code review:\n\[P1 · major\] Guard the retry count — src\/app\.ts:12-13\n/);
  const prompt = claudePrompt(f!);
  assert.ok(!prompt.includes("\n"), "one line: a terminal submits at a line break");
  assert.match(prompt, /P1 · major finding in src\/app\.ts:12-13: Guard the retry count\. `retries` is unchecked\. Clamp it\. Check whether it is right/);
});

test("Claude Code processes and command lines, and nothing else", () => {
  for (const argv of [["claude"], ["/home/me/.local/bin/claude", "--continue"], ["node", "/home/me/.local/bin/claude", "fix it"], ["node", "/usr/lib/node_modules/@anthropic-ai/claude-code/cli.js"], ["C:\\x\\claude.exe"]]) {
    assert.equal(isClaudeProcess(argv), true, argv.join(" "));
  }
  for (const argv of [["bash"], ["grep", "claude", "notes.txt"], ["vim", "claude"], ["node", "server.js", "claude"], ["claudette"], []]) {
    assert.equal(isClaudeProcess(argv), false, argv.join(" "));
  }
  for (const line of ["claude", "claude --continue", "  ~/.local/bin/claude -p hi", "npx @anthropic-ai/claude-code", "npx -y @anthropic-ai/claude-code@latest"]) assert.equal(isClaudeShellCommand(line), true, line);
  for (const line of ["echo claude", "git commit -m claude", "claudette", "cat claude.md", "ls"]) assert.equal(isClaudeShellCommand(line), false, line);
});

test("the terminal to type into: one running Claude Code (the active first, else the newest), never another", () => {
  const t = (terminal: string, over: Partial<{ runningByShell: boolean; startedByUs: boolean; claudeInTree: boolean; active: boolean }> = {}) => ({ terminal, runningByShell: false, startedByUs: false, claudeInTree: false, active: false, ...over });
  assert.equal(chooseClaudeTerminal([t("bash", { active: true }), t("zsh")]), null);
  assert.equal(chooseClaudeTerminal([t("a", { claudeInTree: true }), t("b", { startedByUs: true }), t("bash", { active: true })]), "b");
  assert.equal(chooseClaudeTerminal([t("a", { runningByShell: true, active: true }), t("b", { startedByUs: true })]), "a");
  assert.equal(handoffMessage({ kind: "sent", terminal: "Claude Code" }), "Sent the finding to Claude Code in the terminal “Claude Code”.");
  assert.match(handoffMessage({ kind: "copied" }), /copied to the clipboard/);
});

test("a Claude Code in a terminal counts only in its foreground: suspended (Ctrl+Z) or in the background, the shell reads the keys", () => {
  // /proc/<pid>/stat: pid (comm) state ppid pgrp session tty_nr tpgid …; comm may hold spaces and parentheses.
  assert.deepEqual(parseProcStat("4242 (node (claude) x) S 4100 4242 4100 34816 4242 4194304 0"), { ppid: 4100, pgrp: 4242, tpgid: 4242 });
  assert.equal(parseProcStat("garbage"), null);
  const shell: Proc = { pid: 100, ppid: 1, pgrp: 100, tpgid: 200, argv: ["bash"] };
  const claude = (pgrp: number, tpgid: number): Proc => ({ pid: 200, ppid: 100, pgrp, tpgid, argv: ["node", "/home/me/.local/bin/claude"] });
  const grandchild: Proc = { pid: 300, ppid: 200, pgrp: 200, tpgid: 200, argv: ["rg", "x"] };
  assert.deepEqual(foregroundCommandLines([shell, claude(200, 200), grandchild], 100), [claude(200, 200).argv, grandchild.argv]);
  // Suspended or backgrounded: the terminal's foreground group is the shell's again.
  const stopped = [{ ...shell, tpgid: 100 }, claude(200, 100)];
  assert.equal(foregroundCommandLines(stopped, 100).some(isClaudeProcess), false);
  // Not in this terminal's tree at all.
  assert.deepEqual(foregroundCommandLines([shell, { ...claude(200, 200), ppid: 999 }], 100), []);
});

test("the process table lists this test's own process with its parent", { skip: process.platform === "win32" ? "no process table on Windows" : false }, async () => {
  const self = (await processTable()).find((p) => p.pid === process.pid);
  assert.ok(self, "this process is listed");
  assert.equal(self.ppid, process.ppid);
  assert.ok(self.argv.length > 0);
});
