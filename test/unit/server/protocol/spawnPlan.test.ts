import { test } from "node:test";
import assert from "node:assert/strict";
import { planKill, planSpawn, quoteForCmdShim, resolveWindowsCommand } from "../../../../server/protocol/spawnPlan";

const winFacts = (files: string[], env: Record<string, string> = {}) => ({
  platform: "win32" as const,
  env: { PATH: "C:\\Windows;C:\\Users\\u\\AppData\\Roaming\\npm", PATHEXT: ".COM;.EXE;.BAT;.CMD", ComSpec: "C:\\Windows\\system32\\cmd.exe", ...env },
  exists: (file: string) => files.map((f) => f.toLowerCase()).includes(file.toLowerCase()),
});

test("POSIX: run as given, in its own process group; kill the group", () => {
  const plan = planSpawn(["codex-acp", "--x"], { platform: "linux", env: {}, exists: () => false });
  assert.deepEqual(plan, { command: "codex-acp", args: ["--x"], detached: true, windowsVerbatimArguments: false });
  assert.deepEqual(planKill(1234, "linux"), { kind: "group", pid: 1234 });
  assert.deepEqual(planKill(1234, "darwin"), { kind: "group", pid: 1234 });
});

test("Windows: an npm .cmd shim on PATH runs through cmd.exe with escaped arguments", () => {
  const shim = "C:\\Users\\u\\AppData\\Roaming\\npm\\codex-acp.cmd";
  const plan = planSpawn(["codex-acp", "a b", "x&y"], winFacts([shim]));
  assert.equal(plan.command, "C:\\Windows\\system32\\cmd.exe");
  assert.equal(plan.windowsVerbatimArguments, true);
  assert.equal(plan.detached, false);
  assert.deepEqual(plan.args.slice(0, 3), ["/d", "/s", "/c"]);
  assert.ok(plan.args[3].includes("codex-acp.cmd"));
  assert.ok(plan.args[3].includes("x^^^&y"), plan.args[3]);
});

test("Windows: an .exe runs directly; the tree is killed with taskkill /T /F", () => {
  const exe = "C:\\Windows\\node.exe";
  const plan = planSpawn(["node", "agent.js"], winFacts([exe]));
  assert.equal(plan.command, exe);
  assert.deepEqual(plan.args, ["agent.js"]);
  assert.deepEqual(planKill(42, "win32"), { kind: "taskkill", command: "taskkill", args: ["/PID", "42", "/T", "/F"] });
});

test("Windows PATH lookup honours PATHEXT order and explicit paths", () => {
  const facts = winFacts(["C:\\Windows\\tool.bat", "C:\\Windows\\tool.exe"]);
  assert.equal(resolveWindowsCommand("tool", facts), "C:\\Windows\\tool.exe");
  assert.equal(resolveWindowsCommand("C:\\Windows\\tool.bat", facts), "C:\\Windows\\tool.bat");
  assert.equal(resolveWindowsCommand("missing", facts), null);
});

test("cmd quoting doubles carets for the shim's second parse", () => {
  assert.equal(quoteForCmdShim("plain"), '^^^"plain^^^"');
  assert.ok(quoteForCmdShim("100%").includes("^^^%"));
});
