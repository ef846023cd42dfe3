// Claude Code hooks in .claude/settings.local.json (extension/claudeHooks.ts): ours are added, updated and removed;
// everything the person has stays as it was.
import { test } from "node:test";
import assert from "node:assert/strict";
import { clearResetHook, gateHook, isGateHook, mergeHooks, parseSettings, readHooksState } from "../../../../extension/claudeCode/claudeHooks";

const COPY = "/home/u/.config/Code/User/globalStorage/codex-fusion.codex-fusion/server/codex-fusion-mcp.js";
const gate = gateHook(COPY, "linux");

const merged = (existing: string | null, wanted: Parameters<typeof mergeHooks>[1]) => {
  const result = mergeHooks(existing, wanted);
  assert.ok(result.ok, result.ok ? "" : result.reason);
  return { ...result, json: result.text ? JSON.parse(result.text) : null };
};

test("gate hook: node runs the stable copy's `hook stop` with a timeout Claude Code waits longer than", () => {
  assert.deepEqual(gate, { type: "command", command: `node ${COPY} hook stop --timeout-sec 300`, timeout: 330 });
  assert.equal(gateHook("/Users/Jo Ann/x.js", "darwin").command, "node '/Users/Jo Ann/x.js' hook stop --timeout-sec 300");
  assert.equal(gateHook("C:\\Users\\Jo Ann\\x.js", "win32").command, 'node "C:\\Users\\Jo Ann\\x.js" hook stop --timeout-sec 300');
  for (const command of [gate.command, "codex-fusion-mcp hook stop", "node /repo/dist/server.js hook stop --max-rounds 2", `node "C:\\a\\codex-fusion-mcp.js" hook stop`]) {
    assert.ok(isGateHook({ type: "command", command }), command);
  }
  for (const command of ["npm test", "node other.js hook stopper", "echo codex-fusion-mcp"]) assert.ok(!isGateHook({ type: "command", command }), command);
});

test("from nothing: the gate and the /clear reset, nothing else", () => {
  const { json, change } = merged(null, { gate, clearReset: true });
  assert.equal(change, "changed");
  assert.deepEqual(json, { hooks: { Stop: [{ hooks: [gate] }], SessionStart: [{ matcher: "clear", hooks: [clearResetHook()] }] } });
  assert.deepEqual(clearResetHook(), { type: "mcp_tool", server: "codex-fusion", tool: "reset" });
  assert.deepEqual(readHooksState(json), { gate: true, clearReset: true, plan: false });
});

test("the person's settings, other events, other groups and other hooks in the same group are kept", () => {
  const mine = { type: "command", command: "./lint.sh" };
  const existing = JSON.stringify({
    permissions: { allow: ["Bash(npm test)"] },
    hooks: {
      Stop: [{ hooks: [mine, { type: "command", command: "node /old/codex-fusion-mcp.js hook stop" }] }],
      PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "./guard.sh" }] }],
      SessionStart: [{ matcher: "startup", hooks: [{ type: "command", command: "./hello.sh" }] }],
    },
  });
  const { json } = merged(existing, { gate, clearReset: true });
  assert.deepEqual(json.permissions, { allow: ["Bash(npm test)"] });
  assert.deepEqual(json.hooks.PreToolUse, [{ matcher: "Bash", hooks: [{ type: "command", command: "./guard.sh" }] }]);
  assert.deepEqual(json.hooks.Stop, [{ hooks: [mine] }, { hooks: [gate] }], "the old gate hook replaced, the person's hook kept");
  assert.deepEqual(json.hooks.SessionStart, [{ matcher: "startup", hooks: [{ type: "command", command: "./hello.sh" }] }, { matcher: "clear", hooks: [clearResetHook()] }]);

  // Removing ours leaves exactly what the person had (minus our old hook).
  const removed = merged(JSON.stringify(json), { gate: null, clearReset: false }).json;
  assert.deepEqual(removed.hooks.Stop, [{ hooks: [mine] }]);
  assert.deepEqual(removed.hooks.SessionStart, [{ matcher: "startup", hooks: [{ type: "command", command: "./hello.sh" }] }]);
  assert.deepEqual(readHooksState(removed), { gate: false, clearReset: false, plan: false });
});

test("idempotent: the same hooks again change nothing (the text is left as it was); a field left out is left alone", () => {
  const first = merged(null, { gate, clearReset: true }).text;
  assert.deepEqual(mergeHooks(first, { gate, clearReset: true }), { ok: true, text: first, change: "unchanged" });
  const gateOnly = merged(first, { clearReset: false }).json;
  assert.deepEqual(readHooksState(gateOnly), { gate: true, clearReset: false, plan: false });
  const clearOnly = merged(first, { gate: null }).json;
  assert.deepEqual(clearOnly, { hooks: { SessionStart: [{ matcher: "clear", hooks: [clearResetHook()] }] } });
  assert.deepEqual(merged(JSON.stringify(clearOnly), { clearReset: false }).json, {}, "an emptied hooks object goes away");
});

test("never clobbers a file it cannot understand", () => {
  for (const bad of ["{ broken", "[]", '"text"', '{"hooks": []}', '{"hooks": {"Stop": {}}}']) {
    const result = mergeHooks(bad, { gate });
    assert.equal(result.ok, false, bad);
    if (!result.ok) assert.match(result.reason, /settings\.local\.json/);
  }
  assert.equal(parseSettings("  ").ok, true, "an empty file is a fresh start");
});
