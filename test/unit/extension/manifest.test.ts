// The manifest and the code agree: every command the extension registers is declared, commands share one category,
// activation stays lazy, and the declared files exist.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Commands, ContextKeys } from "../../../extension/commandIds";

const root = join(import.meta.dirname, "../..", "..");
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const declared = new Set<string>(manifest.contributes.commands.map((command: { command: string }) => command.command));

/** The Commands keys passed to registerCommand anywhere in the extension. */
function registeredIn(dir: string): string[] {
  const ids: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), "utf8");
    for (const match of text.matchAll(/registerCommand\(\s*Commands\.(\w+)/g)) ids.push(Commands[match[1] as keyof typeof Commands]);
    assert.doesNotMatch(text, /registerCommand\(\s*["'`]/, `${entry.name} registers a command by a literal id instead of Commands`);
  }
  return ids;
}

test("commands: every id in Commands is registered, every declared one is in Commands, and the two agree (internal ones aside)", () => {
  const internal = new Set<string>([Commands.statusActions, Commands.permissionShowDetails]);
  const registered = new Set(registeredIn(join(root, "extension")));
  for (const id of Object.values(Commands)) assert.ok(registered.has(id), `${id} is in Commands but never registered`);
  for (const id of registered) if (!internal.has(id)) assert.ok(declared.has(id), `${id} is registered but not declared in package.json`);
  for (const id of declared) assert.ok(registered.has(id), `${id} is declared in package.json but never registered`);
  for (const command of manifest.contributes.commands) assert.equal(command.category, "Codex Fusion", command.command);
});

test("when clauses use only context keys the extension sets (or VS Code's own)", () => {
  const ours = new Set<string>(Object.values(ContextKeys));
  const clauses = Object.values(manifest.contributes.menus as Record<string, { when?: string }[]>).flatMap((items) => items.map((item) => item.when ?? ""));
  for (const clause of clauses) {
    for (const key of clause.match(/codexFusion\.[A-Za-z]+(?=\s|$|\)|&|\|)/g) ?? []) {
      if (/^codexFusion\.(verdict|permissions|changes)$/.test(key)) continue; // view ids
      assert.ok(ours.has(key), `${clause}: ${key} is never set`);
    }
  }
  for (const key of ours) assert.ok(clauses.some((clause) => clause.includes(key)), `${key} is set but no when clause uses it`);
});

test("menus only name declared commands", () => {
  for (const [menu, items] of Object.entries(manifest.contributes.menus as Record<string, { command: string }[]>)) {
    for (const item of items) assert.ok(declared.has(item.command), `${menu}: ${item.command}`);
  }
});

test("activation is lazy: no '*', startup-finished plus the MCP provider; the provider and views are declared", () => {
  assert.deepEqual(manifest.activationEvents, ["onStartupFinished", "onMcpServerDefinitionProvider:codexFusion"]);
  assert.deepEqual(manifest.contributes.mcpServerDefinitionProviders, [{ id: "codexFusion", label: "Codex Fusion" }]);
  assert.deepEqual(manifest.contributes.views.codexFusion.map((view: { id: string; type: string }) => [view.id, view.type]), [["codexFusion.permissions", "tree"], ["codexFusion.changes", "tree"], ["codexFusion.verdict", "webview"]]);
  assert.equal(manifest.main, "dist/extension.js");
});

test("the icon and the activity bar icon exist; the icon is a 128x128 PNG", () => {
  const png = readFileSync(join(root, manifest.icon));
  assert.equal(png.subarray(1, 4).toString("ascii"), "PNG");
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  for (const container of manifest.contributes.viewsContainers.activitybar) assert.ok(existsSync(join(root, container.icon)), container.icon);
});
