// Tool results in both forms: each must carry what the model needs, since Claude Code forwards structuredContent
// (and drops the text) while text clients read only the text.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { nextStep, outcomeResult, permitInstruction } from "../../../../server/tools/results";
import { turnResultSchema, type PermissionView, type TurnResult } from "../../../../server/protocol/results";

const text = (result: CallToolResult) => result.content.map((item) => (item.type === "text" ? item.text : "")).join("\n");

const base: TurnResult = { answer: "", verdict: null, verdictText: null, findings: [], stopReason: "end_turn", durationMs: 1200, sessionId: "s1" };

const request: PermissionView = {
  id: "perm-2",
  turnId: "t1",
  kind: "execute",
  category: "command",
  title: "npm test",
  summary: "run `npm test` in the workspace",
  command: "npm test",
  cwd: "/ws",
  paths: [],
  reason: "command: `npm test`",
  justification: "to check the fix",
  diffPreview: null,
  options: [{ optionId: "accept_execpolicy_amendment", name: "Yes, and don't ask again", kind: "allow_always" }],
  createdAt: 1,
};

test("a paused turn: both forms say what Codex wants and exactly how to answer with permit; the model's view has no agent options", () => {
  const result = outcomeResult({ kind: "permission", turnId: "turn-1", request, result: { ...base, stopReason: "permission_required", pendingPermission: request } });
  const structured = turnResultSchema.parse(result.structuredContent);
  for (const form of [structured.next!, text(result)]) {
    assert.match(form, /Codex is waiting for a decision before it can continue: it wants to run `npm test` in the workspace \(asked because: command: `npm test`\)/);
    assert.match(form, /Call permit with decision "allow" \(this once\), "allow_session" \(also the same again this session\) or "deny"/);
  }
  assert.deepEqual(Object.keys(result.structuredContent!.pendingPermission as object).sort(), ["category", "command", "cwd", "diffPreview", "id", "justification", "kind", "paths", "reason", "summary", "turnId"]);
  assert.doesNotMatch(JSON.stringify(result.structuredContent), /accept_execpolicy_amendment|don't ask again|createdAt/);
  assert.match(text(result), /Codex's reason: to check the fix/);
});

test("permit instruction: with several pending it names the id to pass", () => {
  assert.doesNotMatch(permitInstruction(request, 1), /pending/);
  assert.match(permitInstruction(request, 2), /2 requests are pending: pass id "perm-2" to answer this one \(without id the oldest is answered\)/);
  const result = outcomeResult({ kind: "permission", turnId: "turn-1", request, result: { ...base, pendingPermission: request } }, { pendingCount: 3 });
  assert.match(String(result.structuredContent!.next), /3 requests are pending: pass id "perm-2"/);
});

test("a long change preview keeps its lines and is capped in both forms", () => {
  const diffPreview = Array.from({ length: 400 }, (_, i) => `+line ${i}`).join("\n");
  const edit = { ...request, category: "edit" as const, command: null, diffPreview };
  const result = outcomeResult({ kind: "permission", turnId: "turn-1", request: edit, result: { ...base, pendingPermission: edit } });
  const preview = (result.structuredContent!.pendingPermission as { diffPreview: string }).diffPreview;
  assert.ok(preview.length <= 1500 && preview.includes("\n+line 1\n"));
  assert.ok(text(result).length < 2500);
});

test("next step after a finished turn: OPEN → reply; early stops → partial; CONSENSUS → nothing to do", () => {
  const cases: Array<[Partial<TurnResult>, RegExp | undefined]> = [
    [{ verdict: "open", verdictText: "needs tests" }, /verdict is OPEN: address its open point, or reply/],
    [{ verdict: "consensus" }, undefined],
    [{ verdict: null }, undefined],
    [{ stopReason: "cancelled" }, /cancelled, so the answer may be partial/],
    [{ stopReason: "max_tokens", verdict: "open" }, /stopped early \(max_tokens\)/],
  ];
  for (const [overrides, expected] of cases) {
    const next = nextStep({ ...base, ...overrides });
    if (expected) assert.match(next ?? "", expected, JSON.stringify(overrides));
    else assert.equal(next, undefined, JSON.stringify(overrides));
  }
});

test("a finished turn: the answer once in each form; notes and next in both; the structured form stays within a few hundred bytes of the answer", () => {
  const answer = "The lock is fine.\n".repeat(200) + "VERDICT: OPEN — needs tests";
  const finished = { ...base, answer, verdict: "open" as const, verdictText: "needs tests", notes: ["Codex asked to run `ls`; allowed once by the MCP client (permit)."] };
  const result = outcomeResult({ kind: "finished", turnId: "turn-1", result: finished });
  const json = JSON.stringify(result.structuredContent);
  assert.equal(json.split("VERDICT: OPEN").length - 1, 1, "the answer is not repeated inside the structured form");
  assert.ok(json.length - JSON.stringify(answer).length < 600, `${json.length - answer.length} bytes besides the answer`);
  for (const form of [json, text(result)]) {
    assert.match(form, /allowed once by the MCP client/);
    assert.match(form, /verdict is OPEN/);
  }
  assert.match(text(result), /— Codex · 1\.2 s · verdict: OPEN$/);
  assert.deepEqual(turnResultSchema.parse(result.structuredContent).answer, answer);
});

test("failures: the text starts with the error code; a failed turn also carries error {code, message} in structuredContent", () => {
  const plain = outcomeResult({ kind: "error", error: { code: "auth_required", message: "Codex is not signed in — run `codex login`." } });
  assert.equal(plain.isError, true);
  assert.equal(text(plain), "Error auth_required: Codex is not signed in — run `codex login`.");
  assert.equal(plain.structuredContent, undefined);

  const failed = outcomeResult({ kind: "failed", turnId: "turn-1", error: { code: "timeout", message: "Codex sent nothing for 600 s — call again." }, result: { ...base, answer: "half an answer", stopReason: "cancelled" } });
  assert.equal(failed.isError, true);
  assert.match(text(failed), /^Error timeout: Codex sent nothing for 600 s — call again\.\n\nPartial answer before the failure:\nhalf an answer$/);
  const structured = turnResultSchema.parse(failed.structuredContent);
  assert.deepEqual(structured.error, { code: "timeout", message: "Codex sent nothing for 600 s — call again." });
  assert.equal(structured.answer, "half an answer");
});
