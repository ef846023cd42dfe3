// The editor's permission model fed by the control events as the server now sends them: a request the guardian's
// policy settles at once arrives as one event and goes straight to the recent decisions, never pending.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PermissionsModel } from "../../../../extension/permissions/permissionsModel";
import type { PermissionView } from "../../../../server/protocol/results";

const view = (id: string): PermissionView => ({
  id, turnId: "turn-1", kind: "read", category: "read", title: "Read README.md", summary: "read README.md", command: null, cwd: null,
  paths: ["/w/README.md"], reason: "inside the workspace", justification: null, diffPreview: null, options: [], createdAt: 0,
});

test("a policy decision is recorded as decided (by the guardian policy), never pending, and only once", () => {
  const model = new PermissionsModel(20, () => 42);
  let changes = 0;
  model.onDidChange(() => changes++);
  const entry = model.decidedByPolicy(view("p1"), "allow", "inside the workspace");
  assert.deepEqual(entry?.resolution, { decision: "allow", source: "policy", note: "inside the workspace", decidedAt: 42 });
  assert.equal(model.isPending("p1"), false);
  assert.deepEqual(model.pending, []);
  assert.deepEqual(model.recent.map((decided) => decided.view.id), ["p1"]);
  assert.equal(model.decidedByPolicy(view("p1"), "allow", "again"), null, "a repeated event changes nothing");
  assert.equal(model.addPending(view("p1")), false, "a settled request never comes back as pending");
  assert.equal(changes, 1);
});
