// The editor's control channel, as the extension uses it: an ask comes back as the ask's own outcome (its turn id,
// status, result, error) rather than an MCP tool result; permission events name their turn; a request the guardian's
// policy settles at once is one event, never a pending one.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { AskOutcome, ControlEvent } from "../../server/protocol/control";
import { askOutcomeSchema } from "../../server/protocol/control";
import { eventually } from "./harness";
import { startShared } from "./httpHarness";

function outcomeOf(response: { ok: boolean; result?: unknown; error?: unknown }): AskOutcome {
  assert.ok(response.ok, JSON.stringify(response));
  return askOutcomeSchema.parse(response.result);
}

test("control ask: the outcome carries the turn id and status; a failure carries its code and no turn", async () => {
  const server = await startShared();
  try {
    const answered = outcomeOf(await server.command("ask", { tool: "consult", args: { question: "is this fine? [[fake:verdict]]" } }));
    assert.equal(answered.status, "finished");
    assert.equal(answered.error, null);
    assert.equal(answered.result?.verdict, "consensus");
    const started = server.events.find((event): event is Extract<ControlEvent, { type: "turnStarted" }> => event.type === "turnStarted");
    assert.equal(answered.turnId, started?.id, "the turn the editor's panel followed");

    const refused = outcomeOf(await server.command("ask", { tool: "review_diff", args: { target: "commit" } }));
    assert.equal(refused.status, "failed");
    assert.equal(refused.turnId, null);
    assert.equal(refused.result, null);
    assert.equal(refused.error?.code, "invalid_argument");
  } finally {
    await server.stop();
  }
});

test("control ask: a turn that waits for a decision says so with its turn id; the editor's decision is one resolved event naming the turn", async () => {
  const server = await startShared();
  try {
    const paused = outcomeOf(await server.command("ask", { tool: "consult", args: { question: "run [[fake:permission:touch x]]" } }));
    assert.equal(paused.status, "permission");
    const request = paused.result?.pendingPermission;
    assert.ok(request);
    assert.equal(request.turnId, paused.turnId);
    const pending = server.events.filter((event) => event.type === "permissionPending");
    assert.equal(pending.length, 1);

    const decided = await server.command("decidePermission", { id: request.id, decision: "deny" });
    assert.deepEqual(decided.ok && decided.result, {}, "nothing the editor does not read");
    assert.ok(await eventually(() => server.events.some((event) => event.type === "turnFinished" && event.id === paused.turnId)));
    const resolved = server.events.filter((event): event is Extract<ControlEvent, { type: "permissionResolved" }> => event.type === "permissionResolved");
    assert.deepEqual(
      resolved.map((event) => [event.id, event.turnId, event.decision, event.source]),
      [[request.id, paused.turnId, "deny", "editor"]],
    );
  } finally {
    await server.stop();
  }
});

test("control ask: a request the policy settles at once is one event, never pending", async () => {
  const server = await startShared();
  try {
    fs.writeFileSync(path.join(server.workspace, "README.md"), "# hello\n");
    const read = outcomeOf(await server.command("ask", { tool: "consult", args: { question: "read [[fake:permission-read]]" } }));
    assert.equal(read.status, "finished", JSON.stringify(read));
    const types = server.events.map((event) => event.type).filter((type) => type.startsWith("permission"));
    assert.deepEqual(types, ["permissionDecidedByPolicy"]);
    const decided = server.events.find((event): event is Extract<ControlEvent, { type: "permissionDecidedByPolicy" }> => event.type === "permissionDecidedByPolicy");
    assert.equal(decided?.decision, "allow");
    assert.equal(decided?.request.turnId, read.turnId);
  } finally {
    await server.stop();
  }
});
