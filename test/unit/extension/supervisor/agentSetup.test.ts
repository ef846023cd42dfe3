import { test } from "node:test";
import assert from "node:assert/strict";
import { agentInstallDir, agentSource, installArgs, installedAgentCommand, installedAgentEntry, progressLine, setupProblem } from "../../../../extension/supervisor/agentSetup";
import { AgentError, authError } from "../../../../server/agent/acp/errors";
import { PINNED_AGENT_PACKAGE } from "../../../../server/protocol/constants";

test("agent source: settings, then the environment, then PATH, then our own install; else missing", () => {
  const none = { fromSettings: undefined, fromEnvironment: undefined, onPath: false, installed: false };
  assert.equal(agentSource(none), "missing");
  assert.equal(agentSource({ ...none, installed: true }), "installed");
  assert.equal(agentSource({ ...none, installed: true, onPath: true }), "path");
  assert.equal(agentSource({ ...none, onPath: true, fromEnvironment: '["x"]' }), "environment");
  assert.equal(agentSource({ ...none, fromEnvironment: '["x"]', fromSettings: '["y"]' }), "setting");
});

test("the install goes into global storage at the pinned version and runs with the editor's runtime", () => {
  const dir = agentInstallDir("/gs");
  assert.equal(dir, "/gs/agent");
  assert.deepEqual(installArgs(dir).slice(0, 3), ["install", "--prefix", "/gs/agent"]);
  assert.equal(installArgs(dir).at(-1), PINNED_AGENT_PACKAGE);
  assert.equal(installedAgentEntry(dir), "/gs/agent/node_modules/@agentclientprotocol/codex-acp/dist/index.js");
  assert.deepEqual(JSON.parse(installedAgentCommand("/opt/code/code", dir)), ["/opt/code/code", installedAgentEntry(dir)]);
});

test("progress shows npm's last line", () => {
  assert.equal(progressLine("a\nb\n\n"), "b");
  assert.equal(progressLine("  \n"), null);
  assert.equal(progressLine("x".repeat(500))?.length, 120);
});

test("set-up failures are recognised by their code, other errors are not", () => {
  assert.equal(setupProblem(authError().code), "signIn");
  assert.equal(setupProblem("agent_missing"), "agent");
  assert.equal(setupProblem(new AgentError("agent_start_failed", "The Codex agent (`x`) failed to start: boom").code), "agent");
  assert.equal(setupProblem("model_error"), null);
  assert.equal(setupProblem("timeout"), null);
  assert.equal(setupProblem(null), null);
});
