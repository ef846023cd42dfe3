import { test } from "node:test";
import assert from "node:assert/strict";
import type * as acp from "@agentclientprotocol/sdk";
import { PermissionBroker } from "../../server/guardian/broker";
import { chooseOption } from "../../server/guardian/options";
import { buildPermissionView, commandText } from "../../server/guardian/view";
import type { PermissionView } from "../../server/protocol/results";

const view = (id: string): PermissionView => ({ id, turnId: "t", kind: "execute", category: "command", title: "x", summary: "run `x`", command: "x", cwd: null, paths: [], reason: "r", justification: null, diffPreview: null, options: [], createdAt: 0 });

test("first decision wins; the late one learns who decided", async () => {
  const broker = new PermissionBroker(60_000);
  const held = broker.hold(view("p1"));
  assert.deepEqual(broker.decide("p1", "allow", "editor").ok, true);
  const late = broker.decide("p1", "deny", "claude");
  assert.deepEqual(late, { ok: false, code: "already_decided", reason: "already decided by the person in the editor (allow)" });
  assert.deepEqual(await held, { decision: "allow", source: "editor" });
});

test("answered in order; nothing pending is a clear refusal; timeouts deny; withdrawals are reported", async () => {
  const broker = new PermissionBroker(30);
  const events: string[] = [];
  broker.on("resolved", (v, r) => events.push(`${v.id}:${r.decision}:${r.source}`));
  broker.on("withdrawn", (v) => events.push(`${v.id}:withdrawn`));
  const a = broker.hold(view("a"));
  const b = broker.hold(view("b"));
  assert.deepEqual(broker.list().map((v) => v.id), ["a", "b"]);
  broker.decide(undefined, "deny", "claude", "no");
  assert.deepEqual(await a, { decision: "deny", source: "claude", note: "no" });
  await new Promise((r) => setTimeout(r, 60)); // the broker's own timer is unref'd
  assert.equal((await b).source, "timeout");
  assert.deepEqual(broker.decide(undefined, "allow", "claude"), { ok: false, code: "nothing_pending", reason: "Codex is not waiting on any permission" });
  assert.equal((broker.decide("nope", "allow", "claude") as { code: string }).code, "not_found");
  const c = broker.hold(view("c"));
  broker.withdraw("c", "turn cancelled");
  assert.equal((await c).source, "withdrawn");
  const refused = broker.decide("c", "allow", "editor") as { code: string; reason: string };
  assert.equal(refused.code, "withdrawn");
  assert.match(refused.reason, /withdrawn/);
  assert.deepEqual(events, ["a:deny:claude", "b:deny:timeout", "c:withdrawn"]);
});

const codexExecOptions: acp.PermissionOption[] = [
  { optionId: "allow_once", kind: "allow_once", name: "Yes, proceed" },
  { optionId: "accept_execpolicy_amendment", kind: "allow_always", name: "Yes, and don't ask again" },
  { optionId: "cancel", kind: "reject_once", name: "No" },
];
const codexEditOptions: acp.PermissionOption[] = [
  { optionId: "allow_once", kind: "allow_once", name: "Yes" },
  { optionId: "allow_for_session", kind: "allow_always", name: "Yes, for the session" },
  { optionId: "cancel", kind: "reject_once", name: "No" },
];
const oldAgentOptions: acp.PermissionOption[] = [
  { optionId: "approved", kind: "allow_once", name: "Approve" },
  { optionId: "approved-execpolicy-amendment", kind: "allow_always", name: "Always" },
  { optionId: "abort", kind: "reject_once", name: "Abort" },
];

test("options are chosen by kind, never a permanent rule", () => {
  assert.deepEqual(chooseOption(codexExecOptions, "allow"), { optionId: "allow_once" });
  assert.equal(chooseOption(codexExecOptions, "allow_session")?.optionId, "allow_once");
  assert.match(chooseOption(codexExecOptions, "allow_session")?.note ?? "", /no session-scoped approval/);
  assert.deepEqual(chooseOption(codexEditOptions, "allow_session"), { optionId: "allow_for_session" });
  assert.deepEqual(chooseOption(codexEditOptions, "deny"), { optionId: "cancel" });
  assert.deepEqual(chooseOption(oldAgentOptions, "allow"), { optionId: "approved" });
  assert.deepEqual(chooseOption(oldAgentOptions, "deny"), { optionId: "abort" });
  assert.equal(chooseOption(oldAgentOptions, "allow_session")?.optionId, "approved");
  assert.equal(chooseOption([{ optionId: "accept_execpolicy_amendment", kind: "allow_always", name: "x" }], "allow"), null);
  assert.equal(chooseOption([], "deny"), null);
});

test("every request carries its one-line summary, paths shown from the workspace and home", () => {
  const pathContext = { roots: ["/ws"], home: "/home/u" };
  const request = (toolCall: Partial<acp.ToolCallUpdate>): acp.RequestPermissionRequest => ({ sessionId: "s", toolCall: { toolCallId: "c", ...toolCall }, options: codexExecOptions });
  const command = buildPermissionView({ request: request({ kind: "execute", title: "npm test", rawInput: { command: "npm test", cwd: "/ws/pkg" } }), turnId: null, category: "command", reason: "command", paths: [], cwd: null, diffPreview: null, pathContext });
  assert.equal(command.summary, "run `npm test` in ./pkg");
  const edit = buildPermissionView({ request: request({ kind: "edit", title: "Edit files" }), turnId: null, category: "edit", reason: "edit", paths: ["/ws/src/a.ts", "/ws/src/b.ts", "/ws/src/c.ts", "/ws/src/d.ts"], cwd: null, diffPreview: null, pathContext });
  assert.equal(edit.summary, "edit 4 files in src/");
  const read = buildPermissionView({ request: request({ kind: "read", title: "Read" }), turnId: null, category: "read", reason: "outside", paths: ["/home/u/.ssh/config"], cwd: null, diffPreview: null, pathContext });
  assert.equal(read.summary, "read ~/.ssh/config");
  assert.equal(commandText(["bash", "-lc", "echo hi"]), "bash -lc 'echo hi'");
  assert.equal(commandText(42), null);
});
