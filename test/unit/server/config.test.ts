import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultStateDir, loadConfig, type ConfigInputs } from "../../../server/config";
import { AgentCommandError, parseCommand } from "../../../server/protocol/agentCommand";
import { PINNED_AGENT_PACKAGE } from "../../../server/protocol/constants";

const base = (env: Record<string, string | undefined> = {}, extra: Partial<ConfigInputs> = {}): ConfigInputs => ({
  env,
  cwd: "/home/u/proj",
  homeDir: "/home/u",
  platform: "linux",
  which: () => null,
  isDirectory: () => true,
  ...extra,
});

test("defaults: workspace is cwd, agent via npx at the pinned version, 10 min idle, 15 min permission", () => {
  const config = loadConfig(base());
  assert.equal(config.workspace, "/home/u/proj");
  assert.deepEqual(config.agentCommand, ["npx", "-y", PINNED_AGENT_PACKAGE]);
  assert.equal(config.turnTimeoutMs, 600_000);
  assert.equal(config.permissionTimeoutMs, 900_000);
  assert.equal(config.cancelGraceMs, 2_000);
  assert.equal(config.maxParallelTurns, 3);
  assert.deepEqual([config.allowExternalReads, config.allowWrites, config.allowCommands], [false, false, false]);
  assert.equal(config.logFile, null);
  assert.equal(config.token, null);
  assert.equal(config.stateDir, "/home/u/.local/state/codex-fusion");
});

test("workspace: CODEX_FUSION_WORKSPACE beats CLAUDE_PROJECT_DIR beats cwd; relative paths resolve against cwd", () => {
  assert.equal(loadConfig(base({ CLAUDE_PROJECT_DIR: "/a" })).workspace, "/a");
  assert.equal(loadConfig(base({ CLAUDE_PROJECT_DIR: "/a", CODEX_FUSION_WORKSPACE: "/b" })).workspace, "/b");
  assert.equal(loadConfig(base({ CODEX_FUSION_WORKSPACE: "sub" })).workspace, "/home/u/proj/sub");
  assert.throws(() => loadConfig(base({ CODEX_FUSION_WORKSPACE: "/nope" }, { isDirectory: () => false })), /CODEX_FUSION_WORKSPACE: workspace \/nope is not a directory/);
});

test("agent command: env (JSON or words) beats PATH beats npx", () => {
  assert.deepEqual(loadConfig(base({}, { which: () => "/usr/bin/codex-acp" })).agentCommand, ["/usr/bin/codex-acp"]);
  assert.deepEqual(loadConfig(base({ CODEX_FUSION_ACP_COMMAND: '["node", "/x y/agent.js"]' })).agentCommand, ["node", "/x y/agent.js"]);
  assert.deepEqual(loadConfig(base({ CODEX_FUSION_ACP_COMMAND: "  codex-acp   --flag " })).agentCommand, ["codex-acp", "--flag"]);
  assert.throws(() => parseCommand("[1]"), AgentCommandError);
  assert.throws(() => loadConfig(base({ CODEX_FUSION_ACP_COMMAND: "[1]" })), /^ConfigError: CODEX_FUSION_ACP_COMMAND: a JSON value must be/);
  assert.throws(() => parseCommand("[]"), /non-empty array/);
  assert.throws(() => parseCommand("[nope"), /not valid JSON/);
});

test("numbers: whole positive milliseconds only, naming the variable", () => {
  assert.equal(loadConfig(base({ CODEX_FUSION_TURN_TIMEOUT_MS: "1500" })).turnTimeoutMs, 1500);
  for (const bad of ["0", "-5", "1.5", "10s", "abc"]) {
    assert.throws(() => loadConfig(base({ CODEX_FUSION_PERMISSION_TIMEOUT_MS: bad })), /^ConfigError: CODEX_FUSION_PERMISSION_TIMEOUT_MS: /);
  }
});

test("flags accept the usual words and refuse others", () => {
  for (const on of ["1", "true", "YES", "on"]) assert.equal(loadConfig(base({ CODEX_FUSION_ALLOW_WRITES: on })).allowWrites, true);
  for (const off of ["0", "false", "no", "off", ""]) assert.equal(loadConfig(base({ CODEX_FUSION_ALLOW_COMMANDS: off })).allowCommands, false);
  assert.throws(() => loadConfig(base({ CODEX_FUSION_ALLOW_EXTERNAL_READS: "sometimes" })), /CODEX_FUSION_ALLOW_EXTERNAL_READS/);
});

test("effort, model, log file, token, state dir", () => {
  const config = loadConfig(base({ CODEX_FUSION_EFFORT: "high", CODEX_FUSION_MODEL: "gpt-5.5", CODEX_FUSION_LOG: "turns.jsonl", CODEX_FUSION_STATE_DIR: "/s" }));
  assert.equal(config.defaultEffort, "high");
  assert.equal(config.defaultModel, "gpt-5.5");
  assert.equal(config.logFile, "/home/u/proj/turns.jsonl");
  assert.equal(config.stateDir, "/s");
  assert.throws(() => loadConfig(base({ CODEX_FUSION_EFFORT: "max" })), /expected one of low, medium, high, xhigh/);
  assert.throws(() => loadConfig(base({ CODEX_FUSION_TOKEN: "short" })), /CODEX_FUSION_TOKEN: must be at least 32/);
  assert.equal(loadConfig(base({ CODEX_FUSION_TOKEN: "a".repeat(40) })).token, "a".repeat(40));
});

test("state dir follows each platform's convention", () => {
  assert.equal(defaultStateDir({ XDG_STATE_HOME: "/x" }, "/home/u", "linux"), "/x/codex-fusion");
  assert.equal(defaultStateDir({}, "/Users/u", "darwin"), "/Users/u/Library/Application Support/codex-fusion");
  assert.equal(defaultStateDir({ LOCALAPPDATA: "C:\\Users\\u\\AppData\\Local" }, "C:\\Users\\u", "win32"), "C:\\Users\\u\\AppData\\Local\\codex-fusion");
});

test("CODEX_FUSION_MAX_PARALLEL_TURNS: a whole number from 1 to 8", () => {
  assert.equal(loadConfig(base({ CODEX_FUSION_MAX_PARALLEL_TURNS: "1" })).maxParallelTurns, 1);
  assert.equal(loadConfig(base({ CODEX_FUSION_MAX_PARALLEL_TURNS: "8" })).maxParallelTurns, 8);
  assert.throws(() => loadConfig(base({ CODEX_FUSION_MAX_PARALLEL_TURNS: "9" })), /CODEX_FUSION_MAX_PARALLEL_TURNS: must be at most 8/);
  assert.throws(() => loadConfig(base({ CODEX_FUSION_MAX_PARALLEL_TURNS: "0" })), /CODEX_FUSION_MAX_PARALLEL_TURNS: must be greater than 0/);
  assert.throws(() => loadConfig(base({ CODEX_FUSION_MAX_PARALLEL_TURNS: "two" })), /CODEX_FUSION_MAX_PARALLEL_TURNS: expected a whole number/);
});

test("quota warning percent: 80 by default, 0 turns it off, at most 100", () => {
  assert.equal(loadConfig(base()).quotaWarningPercent, 80);
  assert.equal(loadConfig(base({ CODEX_FUSION_QUOTA_WARNING_PERCENT: "0" })).quotaWarningPercent, 0);
  assert.equal(loadConfig(base({ CODEX_FUSION_QUOTA_WARNING_PERCENT: "95" })).quotaWarningPercent, 95);
  assert.throws(() => loadConfig(base({ CODEX_FUSION_QUOTA_WARNING_PERCENT: "101" })), /CODEX_FUSION_QUOTA_WARNING_PERCENT: must be at most 100/);
});
