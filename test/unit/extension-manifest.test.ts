// The manifest and the code agree: every command the extension registers is declared, commands share one category,
// activation stays lazy, and the declared files exist.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const declared = new Set<string>(manifest.contributes.commands.map((command: { command: string }) => command.command));

function registeredIn(dir: string): string[] {
  const ids: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), "utf8");
    for (const match of text.matchAll(/registerCommand\(\s*"([^"]+)"/g)) ids.push(match[1]!);
  }
  return ids;
}

test("every registered command is declared (internal ones aside) and every command is in the Codex Fusion category", () => {
  const internal = new Set(["codexFusion.statusActions", "codexFusion.permission.showDetails"]);
  for (const id of registeredIn(join(root, "extension"))) if (!internal.has(id)) assert.ok(declared.has(id), `${id} is registered but not declared`);
  for (const command of manifest.contributes.commands) assert.equal(command.category, "Codex Fusion", command.command);
  for (const id of [
    "codexFusion.restartServer", "codexFusion.showLog", "codexFusion.showStatus", "codexFusion.signIn", "codexFusion.connectClaudeCode",
    "codexFusion.copyClaudeSetupCommand", "codexFusion.reviewDiff", "codexFusion.consultSelection", "codexFusion.reviewSelectionAsPlan",
    "codexFusion.brainstorm", "codexFusion.explore", "codexFusion.reply", "codexFusion.cancelTurn", "codexFusion.resetSession",
    "codexFusion.clearHistory", "codexFusion.clearFindings", "codexFusion.permission.allow", "codexFusion.permission.allowSession", "codexFusion.permission.deny",
  ]) assert.ok(declared.has(id), `${id} declared`);
});

test("menus only name declared commands", () => {
  for (const [menu, items] of Object.entries(manifest.contributes.menus as Record<string, { command: string }[]>)) {
    for (const item of items) assert.ok(declared.has(item.command), `${menu}: ${item.command}`);
  }
});

test("activation is lazy: no '*', startup-finished plus the MCP provider; the provider and views are declared", () => {
  assert.deepEqual(manifest.activationEvents, ["onStartupFinished", "onMcpServerDefinitionProvider:codexFusion"]);
  assert.deepEqual(manifest.contributes.mcpServerDefinitionProviders, [{ id: "codexFusion", label: "Codex Fusion" }]);
  assert.deepEqual(manifest.contributes.views.codexFusion.map((view: { id: string; type: string }) => [view.id, view.type]), [["codexFusion.permissions", "tree"], ["codexFusion.verdict", "webview"]]);
  assert.equal(manifest.main, "dist/extension.js");
});

test("the icon and the activity bar icon exist; the icon is a 128x128 PNG", () => {
  const png = readFileSync(join(root, manifest.icon));
  assert.equal(png.subarray(1, 4).toString("ascii"), "PNG");
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  for (const container of manifest.contributes.viewsContainers.activitybar) assert.ok(existsSync(join(root, container.icon)), container.icon);
});
