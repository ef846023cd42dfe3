import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadConfig } from "../../../server/config";
import { changedLaunchKeys, DEFAULT_SETTINGS, EFFORT_SETTING_VALUES, envFromSettings, expandPath, readSettings, type Settings } from "../../../extension/settings";

const context = { workspace: "/home/u/proj", homeDir: "/home/u" };
const settings = (overrides: Partial<Settings> = {}): Settings => ({ ...DEFAULT_SETTINGS, ...overrides });
const envOf = (overrides: Partial<Settings> = {}) => envFromSettings(settings(overrides), context);

/** What the server makes of an env: the real parser, with the extension's env on top of an inherited one. */
const serverConfig = (env: Record<string, string>, inherited: Record<string, string> = {}) =>
  loadConfig({ env: { ...inherited, ...env }, cwd: "/", homeDir: "/home/u", platform: "linux", which: () => null, isDirectory: () => true });

test("defaults: workspace, timeouts and the three flags are always set; nothing else", () => {
  const { env, problems } = envOf();
  assert.deepEqual(problems, []);
  assert.deepEqual(env, {
    CODEX_FUSION_WORKSPACE: "/home/u/proj",
    CODEX_FUSION_TURN_TIMEOUT_MS: "600000",
    CODEX_FUSION_PERMISSION_TIMEOUT_MS: "900000",
    CODEX_FUSION_MAX_PARALLEL_TURNS: "3",
    CODEX_FUSION_ALLOW_EXTERNAL_READS: "0",
    CODEX_FUSION_ALLOW_WRITES: "0",
    CODEX_FUSION_ALLOW_COMMANDS: "0",
  });
});

test("every setting maps to the variable the server reads, and the server accepts the result", () => {
  const { env, problems } = envOf({
    agentCommand: ["/opt/codex-acp", "--flag"],
    turnTimeoutSeconds: 90,
    permissionTimeoutMinutes: 2.5,
    maxParallelTurns: 5,
    allowExternalReads: true,
    allowWrites: true,
    allowCommands: true,
    model: " gpt-x ",
    effort: "high",
    logFile: "logs/turns.jsonl",
  });
  assert.deepEqual(problems, []);
  const config = serverConfig(env);
  assert.equal(config.workspace, "/home/u/proj");
  assert.deepEqual(config.agentCommand, ["/opt/codex-acp", "--flag"]);
  assert.equal(config.turnTimeoutMs, 90_000);
  assert.equal(config.permissionTimeoutMs, 150_000);
  assert.equal(config.maxParallelTurns, 5);
  assert.deepEqual([config.allowExternalReads, config.allowWrites, config.allowCommands], [true, true, true]);
  assert.equal(config.defaultModel, "gpt-x");
  assert.equal(config.defaultEffort, "high");
  assert.equal(config.logFile, "/home/u/proj/logs/turns.jsonl");
});

test("agentCommand: an array becomes a JSON argv (spaces survive), a string passes through, empty inherits", () => {
  assert.equal(envOf({ agentCommand: ["/Apps/My Agent/codex-acp"] }).env.CODEX_FUSION_ACP_COMMAND, '["/Apps/My Agent/codex-acp"]');
  assert.deepEqual(serverConfig(envOf({ agentCommand: ["/Apps/My Agent/codex-acp"] }).env).agentCommand, ["/Apps/My Agent/codex-acp"]);
  assert.equal(envOf({ agentCommand: "  npx -y some-agent " }).env.CODEX_FUSION_ACP_COMMAND, "npx -y some-agent");
  assert.equal(envOf({ agentCommand: "" }).env.CODEX_FUSION_ACP_COMMAND, undefined);
  assert.equal(envOf({ agentCommand: [] }).env.CODEX_FUSION_ACP_COMMAND, undefined);
  // An empty setting leaves an inherited CODEX_FUSION_ACP_COMMAND (e.g. from a test harness) in force.
  assert.deepEqual(serverConfig(envOf().env, { CODEX_FUSION_ACP_COMMAND: "fake-agent" }).agentCommand, ["fake-agent"]);
});

test("agentCommand the server would refuse is reported and left out instead of stopping the server", () => {
  for (const bad of [["codex-acp", ""], "[not json", '["a", 1]']) {
    const { env, problems } = envOf({ agentCommand: bad as Settings["agentCommand"] });
    assert.equal(env.CODEX_FUSION_ACP_COMMAND, undefined, JSON.stringify(bad));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /codexFusion\.agentCommand .*using the default agent/);
  }
});

test("flags are explicit, so the settings win over an inherited environment", () => {
  const config = serverConfig(envOf().env, { CODEX_FUSION_ALLOW_COMMANDS: "1", CODEX_FUSION_ALLOW_WRITES: "yes" });
  assert.equal(config.allowCommands, false);
  assert.equal(config.allowWrites, false);
});

test("timeouts: non-positive values are reported and replaced by the defaults; fractions round to ms", () => {
  const { env, problems } = envOf({ turnTimeoutSeconds: 0, permissionTimeoutMinutes: -1 });
  assert.equal(env.CODEX_FUSION_TURN_TIMEOUT_MS, "600000");
  assert.equal(env.CODEX_FUSION_PERMISSION_TIMEOUT_MS, "900000");
  assert.equal(problems.length, 2);
  assert.equal(envOf({ turnTimeoutSeconds: 0.0015 }).env.CODEX_FUSION_TURN_TIMEOUT_MS, "2");
});

test("timeouts: values over a day (which would overflow a timer) are reported and capped at a day", () => {
  const { env, problems } = envOf({ turnTimeoutSeconds: 3_000_000, permissionTimeoutMinutes: 1e9 });
  assert.equal(env.CODEX_FUSION_TURN_TIMEOUT_MS, "86400000");
  assert.equal(env.CODEX_FUSION_PERMISSION_TIMEOUT_MS, "86400000");
  assert.equal(problems.length, 2);
  assert.match(problems.join(" "), /over a day/);
});

test("effort: 'default' and empty are left to the agent; an unknown value is reported", () => {
  assert.equal(envOf({ effort: "default" }).env.CODEX_FUSION_EFFORT, undefined);
  assert.equal(envOf({ effort: "" }).env.CODEX_FUSION_EFFORT, undefined);
  for (const effort of EFFORT_SETTING_VALUES.filter((value) => value !== "default")) assert.equal(envOf({ effort }).env.CODEX_FUSION_EFFORT, effort);
  const { env, problems } = envOf({ effort: "maximum" });
  assert.equal(env.CODEX_FUSION_EFFORT, undefined);
  assert.match(problems[0]!, /codexFusion\.effort/);
});

test("model: blank is left out", () => {
  assert.equal(envOf({ model: "   " }).env.CODEX_FUSION_MODEL, undefined);
});

test("logFile: ~, ${userHome}, ${workspaceFolder} and relative paths", () => {
  assert.equal(expandPath("~/t.jsonl", context), "/home/u/t.jsonl");
  assert.equal(expandPath("${userHome}/t.jsonl", context), "/home/u/t.jsonl");
  assert.equal(expandPath("${workspaceFolder}/.logs/t.jsonl", context), "/home/u/proj/.logs/t.jsonl");
  assert.equal(expandPath("t.jsonl", context), "/home/u/proj/t.jsonl");
  assert.equal(expandPath("/var/log/t.jsonl", context), "/var/log/t.jsonl");
  assert.equal(expandPath("  ", context), null);
});

test("readSettings: unset keys take defaults; mistyped ones are reported and take defaults", () => {
  assert.deepEqual(readSettings(() => undefined), { settings: DEFAULT_SETTINGS, problems: [] });
  const values: Record<string, unknown> = { turnTimeoutSeconds: "600", allowWrites: "true", agentCommand: ["ok"], model: 42 };
  const { settings: read, problems } = readSettings((key) => values[key]);
  assert.equal(read.turnTimeoutSeconds, 600);
  assert.equal(read.allowWrites, false);
  assert.deepEqual(read.agentCommand, ["ok"]);
  assert.equal(read.model, "");
  assert.equal(problems.length, 3);
  assert.ok(problems.every((problem) => /^codexFusion\.\w+ should be/.test(problem)));
});

test("changedLaunchKeys: only variables that differ count; showPermissionNotifications changes nothing", () => {
  const launch = (overrides: Partial<Settings>, workspace = "/home/u/proj") => ({ workspace, env: envFromSettings(settings(overrides), { ...context, workspace }).env });
  assert.deepEqual(changedLaunchKeys(launch({}), launch({ showPermissionNotifications: false })), []);
  assert.deepEqual(changedLaunchKeys(launch({}), launch({ allowWrites: true, model: "m" })), ["CODEX_FUSION_ALLOW_WRITES", "CODEX_FUSION_MODEL"]);
  assert.deepEqual(changedLaunchKeys(launch({ model: "m" }), launch({})), ["CODEX_FUSION_MODEL"]);
  assert.deepEqual(changedLaunchKeys(launch({}), launch({}, "/other")), ["CODEX_FUSION_WORKSPACE"]);
  assert.deepEqual(changedLaunchKeys(null, launch({})), ["workspace"]);
  assert.deepEqual(changedLaunchKeys(launch({}), null), ["workspace"]);
  assert.deepEqual(changedLaunchKeys(null, null), []);
});

test("package.json declares exactly these settings, with the same defaults", () => {
  const manifest = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8"));
  const properties = manifest.contributes.configuration.properties as Record<string, { default: unknown; enum?: string[]; markdownDescription?: string }>;
  assert.deepEqual(Object.keys(properties).sort(), Object.keys(DEFAULT_SETTINGS).map((key) => `codexFusion.${key}`).sort());
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
    assert.deepEqual(properties[`codexFusion.${key}`]!.default, value, key);
    assert.ok(properties[`codexFusion.${key}`]!.markdownDescription, `${key} has a description`);
  }
  assert.deepEqual(properties["codexFusion.effort"]!.enum, [...EFFORT_SETTING_VALUES]);
});

test("maxParallelTurns: rounded, at least 1, at most 8, reported when out of range; the server accepts every result", () => {
  assert.equal(envOf({ maxParallelTurns: 1 }).env.CODEX_FUSION_MAX_PARALLEL_TURNS, "1");
  assert.equal(envOf({ maxParallelTurns: 2.4 }).env.CODEX_FUSION_MAX_PARALLEL_TURNS, "2");
  const low = envOf({ maxParallelTurns: 0 });
  assert.equal(low.env.CODEX_FUSION_MAX_PARALLEL_TURNS, "3");
  assert.match(low.problems.join(" "), /maxParallelTurns must be at least 1/);
  const high = envOf({ maxParallelTurns: 50 });
  assert.equal(high.env.CODEX_FUSION_MAX_PARALLEL_TURNS, "8");
  assert.match(high.problems.join(" "), /maxParallelTurns is over 8/);
  for (const value of [0, 1, 2.4, 50]) assert.ok(serverConfig(envOf({ maxParallelTurns: value }).env).maxParallelTurns >= 1);
});
