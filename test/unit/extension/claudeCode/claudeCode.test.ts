import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CLAUDE_SERVER_NAME,
  claudeAddArgs,
  describesServerAt,
  ensureStableCopy,
  isAlreadyExists,
  mergeMcpJson,
  runExecutable,
  setupCommandLine,
  stableServerPath,
} from "../../../../extension/claudeCode/claudeCode";
import { findExecutable } from "../../../../server/protocol/findExecutable";
import { shellQuote } from "../../../../server/protocol/text";

const SERVER = "/home/u/.config/Code/User/globalStorage/codex-fusion.codex-fusion/server/codex-fusion-mcp.js";

test("claude mcp add: local scope, our name, then node and the stable path as separate argv", () => {
  assert.deepEqual(claudeAddArgs(SERVER), ["mcp", "add", "--scope", "local", "codex-fusion", "--", "node", SERVER]);
});

test("setup command line: plain paths stay bare; spaces and quotes are quoted for the platform", () => {
  assert.equal(setupCommandLine(SERVER, "linux"), `claude mcp add --scope local codex-fusion -- node ${SERVER}`);
  const mac = "/Users/u/Library/Application Support/Code/User/globalStorage/codex-fusion.codex-fusion/server/codex-fusion-mcp.js";
  assert.equal(setupCommandLine(mac, "darwin"), `claude mcp add --scope local codex-fusion -- node '${mac}'`);
  const win = "C:\\Users\\Jo Ann\\AppData\\Roaming\\Code\\User\\globalStorage\\codex-fusion.codex-fusion\\server\\codex-fusion-mcp.js";
  assert.equal(setupCommandLine(win, "win32"), `claude mcp add --scope local codex-fusion -- node "${win}"`);
  assert.equal(setupCommandLine("C:\\a\\b.js", "win32"), "claude mcp add --scope local codex-fusion -- node C:\\a\\b.js");
});

test("shellQuote: POSIX single quotes escape embedded quotes; backslashes are quoted on POSIX only", () => {
  assert.equal(shellQuote("it's", "linux"), `'it'\\''s'`);
  assert.equal(shellQuote("a\\b", "linux"), `'a\\b'`);
  assert.equal(shellQuote('say "hi"', "win32"), `"say ""hi"""`);
  assert.equal(shellQuote("", "linux"), "''");
  assert.equal(shellQuote("$HOME", "linux"), "'$HOME'");
});

test("claude output: 'already exists' and whether an entry points at our path", () => {
  assert.ok(isAlreadyExists("MCP server codex-fusion already exists in local config"));
  assert.ok(!isAlreadyExists("Added stdio MCP server codex-fusion with command: node … to local config"));
  assert.ok(describesServerAt(`codex-fusion:\n  Scope: Local config\n  Command: node\n  Args: ${SERVER}\n`, SERVER));
  assert.ok(!describesServerAt("codex-fusion:\n  Command: node\n  Args: /old/dist/server.js\n", SERVER));
});

test(".mcp.json: created from nothing, with no token and no env", () => {
  const merged = mergeMcpJson(null, SERVER);
  assert.ok(merged.ok);
  assert.equal(merged.change, "added");
  assert.deepEqual(JSON.parse(merged.text), { mcpServers: { [CLAUDE_SERVER_NAME]: { command: "node", args: [SERVER] } } });
  assert.ok(!/token|Bearer|env/i.test(merged.text));
  assert.ok(merged.text.endsWith("}\n"));
  assert.equal((mergeMcpJson("  \n", SERVER) as { change: string }).change, "added");
});

test(".mcp.json: other servers and top-level keys are kept", () => {
  const existing = JSON.stringify({ $schema: "x", mcpServers: { other: { type: "http", url: "http://h/mcp", headers: { A: "b" } }, more: { command: "x" } } });
  const merged = mergeMcpJson(existing, SERVER);
  assert.ok(merged.ok);
  const parsed = JSON.parse(merged.text);
  assert.equal(parsed.$schema, "x");
  assert.deepEqual(parsed.mcpServers.other, { type: "http", url: "http://h/mcp", headers: { A: "b" } });
  assert.deepEqual(parsed.mcpServers.more, { command: "x" });
  assert.deepEqual(parsed.mcpServers[CLAUDE_SERVER_NAME], { command: "node", args: [SERVER] });
});

test(".mcp.json: our existing entry is updated in place, keeping the person's extra fields but not another transport", () => {
  const existing = JSON.stringify({ mcpServers: { [CLAUDE_SERVER_NAME]: { type: "http", url: "http://old", command: "node", args: ["/old.js"], env: { X: "1" }, alwaysLoad: true } } });
  const merged = mergeMcpJson(existing, SERVER);
  assert.ok(merged.ok);
  assert.equal(merged.change, "updated");
  assert.deepEqual(JSON.parse(merged.text).mcpServers[CLAUDE_SERVER_NAME], { command: "node", args: [SERVER], env: { X: "1" }, alwaysLoad: true });
});

test(".mcp.json: an identical entry is left untouched (text unchanged)", () => {
  const existing = `{ "mcpServers": { "codex-fusion": { "command": "node", "args": [${JSON.stringify(SERVER)}], "timeout": 5 } } }`;
  const merged = mergeMcpJson(existing, SERVER);
  assert.deepEqual(merged, { ok: true, text: existing, change: "unchanged" });
});

test(".mcp.json: never clobbers a file it cannot understand", () => {
  for (const bad of ["{ broken", "[]", '"text"', '{"mcpServers": []}', '{"mcpServers": "x"}']) {
    const merged = mergeMcpJson(bad, SERVER);
    assert.equal(merged.ok, false, bad);
    if (!merged.ok) assert.match(merged.reason, /\.mcp\.json|mcpServers/);
  }
});

test("stable copy: created once, refreshed when the build changes, never created by the activation check", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cf-stable-"));
  try {
    const source = join(dir, "server.js");
    const storage = join(dir, "global storage");
    writeFileSync(source, "console.log(1)\n");

    assert.equal(await ensureStableCopy(source, storage, "1.0.0", { onlyIfPresent: true }), null);
    assert.ok(!existsSync(stableServerPath(storage)));

    const first = await ensureStableCopy(source, storage, "1.0.0");
    assert.deepEqual(first, { path: stableServerPath(storage), refreshed: true });
    assert.equal(readFileSync(first!.path, "utf8"), "console.log(1)\n");
    assert.deepEqual(await ensureStableCopy(source, storage, "1.0.0", { onlyIfPresent: true }), { path: first!.path, refreshed: false });

    writeFileSync(source, "console.log(22)\n");
    utimesSync(source, new Date(), new Date(Date.now() + 5_000));
    const refreshed = await ensureStableCopy(source, storage, "1.0.0", { onlyIfPresent: true });
    assert.equal(refreshed?.refreshed, true);
    assert.equal(readFileSync(first!.path, "utf8"), "console.log(22)\n");

    assert.equal((await ensureStableCopy(source, storage, "1.0.1"))?.refreshed, true, "a new extension version refreshes");
    assert.equal((await ensureStableCopy(source, storage, "1.0.1"))?.refreshed, false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("findExecutable: PATH lookup needs an executable file", { skip: process.platform === "win32" }, () => {
  const dir = mkdtempSync(join(tmpdir(), "cf-which-"));
  try {
    mkdirSync(join(dir, "bin"));
    mkdirSync(join(dir, "bin", "claude-dir"));
    writeFileSync(join(dir, "bin", "claude"), "#!/bin/sh\n");
    writeFileSync(join(dir, "bin", "codex"), "#!/bin/sh\n");
    chmodSync(join(dir, "bin", "claude"), 0o755);
    chmodSync(join(dir, "bin", "codex"), 0o644);
    const env = { PATH: `/nonexistent:${join(dir, "bin")}` };
    assert.equal(findExecutable("claude", env, "linux"), join(dir, "bin", "claude"));
    assert.equal(findExecutable("codex", env, "linux"), null, "not executable");
    assert.equal(findExecutable("claude-dir", env, "linux"), null, "a directory");
    assert.equal(findExecutable("missing", env, "linux"), null);
    assert.ok(statSync(join(dir, "bin", "claude")).isFile());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("runExecutable: argv reaches the program unsplit, in the given folder; output and failure are collected", { skip: process.platform === "win32" }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "cf-run-"));
  try {
    const fake = join(dir, "claude");
    writeFileSync(fake, `#!/bin/sh\nif [ "$3" = "fail" ]; then echo "MCP server codex-fusion already exists in local config" >&2; exit 1; fi\nprintf '%s|' "$PWD" "$@"\n`);
    chmodSync(fake, 0o755);
    const ok = await runExecutable(fake, claudeAddArgs("/path with spaces/it's.js"), dir);
    assert.equal(ok.ok, true);
    assert.equal(ok.output, `${dir}|mcp|add|--scope|local|codex-fusion|--|node|/path with spaces/it's.js|`);
    const failed = await runExecutable(fake, ["mcp", "add", "fail"], dir);
    assert.equal(failed.ok, false);
    assert.ok(isAlreadyExists(failed.output));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
