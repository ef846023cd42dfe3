// The pure parts of a delegate: commands and their exit codes from tool_call updates, the verify outcome, the prompt,
// the temp roots the sandbox leaves writable, the result's shape and `next`, and the guardian of a copy (judging real
// paths on disk: the copy is the workspace, the real repository is refused outright).
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type * as acp from "@agentclientprotocol/sdk/unstable";
import { CommandLog, exitCodeOf, verifyOutcome } from "../../../../server/copies/commandLog";
import { CopyGuardian, delegateFlags } from "../../../../server/copies/copyGuardian";
import { buildDelegatePrompt, buildDelegateReply } from "../../../../server/copies/delegatePrompt";
import { delegateAsTurnResult, delegateResult, delegateText, MAX_PATCH_CHARS, type DelegateFacts } from "../../../../server/copies/delegateResult";
import { tempRootHolding } from "../../../../server/copies/sandboxRoots";
import { turnResultSchema } from "../../../../server/protocol/results";
import { delegateResultSchema } from "../../../../server/protocol/delegate";

const temps: string[] = [];
after(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

describe("CommandLog", () => {
  test("commands from execute tool calls, exit codes from terminal_exit or rawOutput, others ignored", () => {
    const log = new CommandLog();
    const updates: acp.SessionUpdate[] = [
      { sessionUpdate: "tool_call", toolCallId: "c1", title: "npm test", kind: "execute", status: "pending", rawInput: { command: "npm test", cwd: "/copy" } },
      { sessionUpdate: "tool_call", toolCallId: "c2", title: "Edit files", kind: "edit", status: "pending" },
      { sessionUpdate: "tool_call", toolCallId: "c3", title: "ls", kind: "execute", status: "pending", rawInput: { command: ["bash", "-lc", "ls -la"] } },
      { sessionUpdate: "tool_call_update", toolCallId: "c1", status: "completed", _meta: { terminal_exit: { exit_code: 1, signal: null, terminal_id: "c1" } } },
      { sessionUpdate: "tool_call_update", toolCallId: "c3", status: "completed", rawOutput: { exit_code: 0 } },
      { sessionUpdate: "tool_call_update", toolCallId: "c2", status: "completed", rawOutput: { exit_code: 0 } },
      { sessionUpdate: "tool_call", toolCallId: "c4", title: "npm test", kind: "execute", status: "pending", rawInput: { command: "npm test" } },
    ];
    for (const update of updates) log.apply(update);
    assert.deepEqual(log.list(), [
      { command: "npm test", exitCode: 1 },
      { command: "ls -la", exitCode: 0 },
      { command: "npm test", exitCode: null },
    ]);
    assert.equal(exitCodeOf({ rawOutput: { exit_code: "0" } }), null, "only integers count");
  });

  test("verify: the last run of the command decides; not run, or no exit, says so", () => {
    const commands = [
      { command: "bash -lc 'npm  test'", exitCode: 1 },
      { command: "npm test", exitCode: 0 },
    ];
    assert.deepEqual(verifyOutcome("npm test", commands), { command: "npm test", ran: true, exitCode: 0, passed: true });
    assert.deepEqual(verifyOutcome("npm test", commands.slice(0, 1)), { command: "npm test", ran: true, exitCode: 1, passed: false });
    assert.deepEqual(verifyOutcome("make check", commands), { command: "make check", ran: false, exitCode: null, passed: null });
    assert.deepEqual(verifyOutcome("npm test", [{ command: "npm test", exitCode: null }]), { command: "npm test", ran: true, exitCode: null, passed: null });
    assert.equal(verifyOutcome(undefined, commands), null);
  });
});

describe("prompts", () => {
  test("the task, the focus, the verify command and the copy's rules", () => {
    const prompt = buildDelegatePrompt({ task: "  Fix the bug in parse()  ", paths: ["src/parse.ts"], verify: "npm test" }, "/state/copies/change-1/app");
    assert.match(prompt, /isolated copy of the project at \/state\/copies\/change-1\/app/);
    assert.match(prompt, /Task:\nFix the bug in parse\(\)\n/);
    assert.match(prompt, /Focus on: src\/parse\.ts/);
    assert.match(prompt, /run `npm test` to check it/);
    assert.match(prompt, /Do not commit/);
    assert.doesNotMatch(buildDelegatePrompt({ task: "x" }, "/c"), /Focus on|to check it/);
    assert.match(buildDelegateReply("Also handle empty input.", "npm test"), /^Also handle empty input\.\n[\s\S]*Run `npm test` again/);
  });
});

describe("tempRootHolding", () => {
  test("a repository in a writable temp root, or holding one, is caught", () => {
    assert.equal(tempRootHolding("/tmp/ws", ["/tmp"]), "/tmp");
    assert.equal(tempRootHolding("/tmp", ["/tmp"]), "/tmp");
    assert.equal(tempRootHolding("/home/u/ws", ["/tmp", "/home/u/ws/.state/tmp"]), "/home/u/ws/.state/tmp");
    assert.equal(tempRootHolding("/home/u/ws", ["/tmp", "/home/u/.state/tmp"]), null);
    assert.equal(tempRootHolding("/tmpfoo/ws", ["/tmp"]), null);
  });
});

function facts(overrides: Partial<DelegateFacts> = {}): DelegateFacts {
  return {
    changeId: "change-1",
    repoRoot: "/ws",
    copyRoot: "/state/copies/change-1/ws",
    outcome: { kind: "finished", turnId: "turn-1", result: { answer: "Fixed it.", verdict: null, verdictText: null, findings: [], stopReason: "end_turn", durationMs: 5, sessionId: "s1" } },
    patch: "diff --git a/x b/x\n",
    patchFile: "/state/copies/change-1/change.patch",
    files: [{ path: "x", status: "modified", added: 1, removed: 0, binary: false, protectedPath: null, symlink: false, executable: false }],
    commands: [{ command: "npm test", exitCode: 0 }],
    verify: { command: "npm test", ran: true, exitCode: 0, passed: true },
    pendingCount: 0,
    ...overrides,
  };
}

describe("delegateResult", () => {
  test("a proposed change: the patch file to apply under the caller's own permissions, valid against the schema", () => {
    const result = delegateResult(facts());
    assert.equal(result.state, "proposed");
    assert.match(result.next, /Nothing was written to the workspace/);
    assert.match(result.next, /git -C \/ws apply \/state\/copies\/change-1\/change\.patch/);
    assert.match(result.next, /reply with change "change-1"/);
    assert.ok(delegateResultSchema.safeParse(result).success);
    const text = delegateText(result);
    assert.match(text, /^Change change-1 — proposed: 1 file, \+1 −0/);
    assert.match(text, /- `npm test` → exit 0/);
    assert.match(text, /Verify `npm test`: passed/);
    assert.match(text, /```diff\ndiff --git a\/x b\/x\n```/);
  });

  test("flags need attention; no files is no_changes; a long patch is cut with where the whole is", () => {
    const flagged = delegateResult(facts({ files: [{ path: ".github/workflows/ci.yml", status: "added", added: 3, removed: 0, binary: false, protectedPath: ".github/workflows/", symlink: false, executable: false }] }));
    assert.equal(flagged.attention.length, 1);
    assert.match(flagged.next, /attention first/);
    assert.equal(delegateResult(facts({ files: [], patch: "", patchFile: null })).state, "no_changes");
    const long = delegateResult(facts({ patch: "x".repeat(MAX_PATCH_CHARS + 10) }));
    assert.equal(long.patchTruncated, true);
    assert.match(long.patch, /the whole of it is in \/state\/copies\/change-1\/change\.patch/);
  });

  test("waiting for a permission names permit; a failure carries the error; reply's shape is a valid turn result", () => {
    const request = { id: "perm-1", turnId: "turn-1", kind: "execute", category: "command" as const, title: "curl", summary: "run `curl x`", command: "curl x", cwd: "/c", paths: [], reason: "command: `curl x`", justification: null, diffPreview: null, options: [], createdAt: 1 };
    const waiting = delegateResult(facts({ outcome: { kind: "permission", turnId: "turn-1", request, result: { ...facts().outcome.result, stopReason: "permission_required" } } }));
    assert.equal(waiting.state, "waiting_for_permission");
    assert.match(waiting.next, /permit/);
    assert.equal(waiting.pendingPermission?.id, "perm-1");
    const failed = delegateResult(facts({ outcome: { kind: "failed", turnId: "turn-1", error: { code: "timeout", message: "Codex sent nothing." }, result: facts().outcome.result } }));
    assert.equal(failed.state, "failed");
    const shaped = delegateAsTurnResult(failed);
    assert.equal(shaped.isError, true);
    assert.ok(turnResultSchema.strict().safeParse(shaped.structuredContent).success, "no key beyond the turn result's");
    assert.match(String((shaped.structuredContent as { answer: string }).answer), /```diff/);
  });
});

describe("CopyGuardian", () => {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(tmpdir(), "fusion-copyguard-")));
  temps.push(base);
  const repo = path.join(base, "repo");
  const copy = path.join(base, "state", "copies", "change-1", "repo");
  fs.mkdirSync(repo, { recursive: true });
  fs.mkdirSync(copy, { recursive: true });
  const home = path.join(base, "home");
  fs.mkdirSync(home);
  const EDIT_OPTIONS = [
    { optionId: "allow_once", kind: "allow_once" as const, name: "Yes" },
    { optionId: "cancel", kind: "reject_once" as const, name: "No" },
  ];
  const edit = (file: string): acp.RequestPermissionRequest => ({
    sessionId: "s1",
    toolCall: { toolCallId: "t1", kind: "edit", status: "pending", title: "Edit files", locations: [{ path: file }], rawInput: { changes: { [file]: { type: "add", content: "x" } } } },
    options: EDIT_OPTIONS,
  });
  const context = (file: string) => ({ turnId: "turn-1", sessionId: "s1", diffPaths: [file], diffPreview: null });
  const everything = { allowExternalReads: true, allowWrites: true, allowCommands: true };

  test("flags never widen a delegate: only external reads carry over", () => {
    assert.deepEqual(delegateFlags(everything), { allowExternalReads: true, allowWrites: false, allowCommands: false });
  });

  test("a write into the real repository is denied, whatever the flags; elsewhere outside it is asked", async () => {
    const guardian = new CopyGuardian(copy, everything, repo, home);
    const into = await guardian.judge(edit(path.join(repo, "src", "x.ts")), context(path.join(repo, "src", "x.ts")));
    assert.equal(into.verdict.action, "deny");
    assert.match(into.verdict.reason, /never writes the real workspace/);
    const elsewhere = await guardian.judge(edit(path.join(base, "elsewhere.txt")), context(path.join(base, "elsewhere.txt")));
    assert.equal(elsewhere.verdict.action, "ask");
    const inside = await guardian.judge(edit(path.join(copy, "x.ts")), context(path.join(copy, "x.ts")));
    assert.equal(inside.verdict.action, "ask", "writes are never auto-allowed for a delegate (inside the copy codex-acp does not ask)");
  });

  test("through a symlink in the copy that leads into the repository, still denied", async () => {
    fs.mkdirSync(path.join(repo, "node_modules"), { recursive: true });
    fs.symlinkSync(path.join(repo, "node_modules"), path.join(copy, "node_modules"));
    const guardian = new CopyGuardian(copy, everything, repo, home);
    const file = path.join(copy, "node_modules", "dep.js");
    const judged = await guardian.judge(edit(file), context(file));
    assert.equal(judged.verdict.action, "deny");
  });
});
