// The architecture's boundaries, checked on the source: the extension talks to the server only through the shared
// protocol (server/protocol/), the server never needs VS Code, and no source file grows past one concern's size.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const ROOT = path.resolve(import.meta.dirname, "../..");

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)));
}

/** Every module specifier a file imports or re-exports (static and dynamic). */
function specifiers(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

test("the extension imports from server/ only through server/protocol/", () => {
  const crossings: string[] = [];
  for (const file of sources("extension")) {
    for (const spec of specifiers(file)) {
      if (!spec.startsWith(".")) continue;
      const target = path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec));
      if (target.startsWith(`server${path.sep}`) && !target.startsWith(path.join("server", "protocol") + path.sep)) crossings.push(`${file} → ${target}`);
    }
  }
  assert.deepEqual(crossings, []);
});

test("server/protocol/ stands alone: it imports nothing else of the server", () => {
  const outside: string[] = [];
  for (const file of sources(path.join("server", "protocol"))) {
    for (const spec of specifiers(file)) {
      if (spec.startsWith(".") && !spec.startsWith("./")) outside.push(`${file} → ${spec}`);
    }
  }
  assert.deepEqual(outside, []);
});

test("the server never imports vscode", () => {
  const offenders = sources("server").filter((file) => specifiers(file).includes("vscode"));
  assert.deepEqual(offenders, []);
});

test("no source file of the server or the extension is over 400 lines", () => {
  const long = [...sources("server"), ...sources("extension")]
    .map((file) => ({ file, lines: readFileSync(path.join(ROOT, file), "utf8").split("\n").length }))
    .filter(({ lines }) => lines > 400)
    .map(({ file, lines }) => `${file}: ${lines}`);
  assert.deepEqual(long, []);
});

test("no `as unknown as` casts in the server or the extension", () => {
  const casts = [...sources("server"), ...sources("extension")].filter((file) => /\bas unknown as\b/.test(readFileSync(path.join(ROOT, file), "utf8")));
  assert.deepEqual(casts, []);
});

test("no `as never` casts in the server or the extension", () => {
  const casts = [...sources("server"), ...sources("extension")].filter((file) => /\bas never\b/.test(readFileSync(path.join(ROOT, file), "utf8")));
  assert.deepEqual(casts, []);
});

test("no function or constructor in the server takes more than four positional parameters (an options object instead)", () => {
  const long: string[] = [];
  for (const file of sources("server")) {
    const source = ts.createSourceFile(file, readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && !ts.isFunctionTypeNode(node) && !ts.isCallSignatureDeclaration(node) && node.parameters.length > 4) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        long.push(`${file}:${line + 1} (${node.parameters.length} parameters)`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  assert.deepEqual(long, []);
});

test("no module of server/agent/ reaches the scheduler's parts except the scheduler", () => {
  const scheduling = path.join("server", "agent", "scheduling");
  const parts = sources(scheduling).filter((file) => !file.endsWith(`${path.sep}scheduler.ts`)).map((file) => file.replace(/\.ts$/, ""));
  const reaching: string[] = [];
  for (const file of sources(path.join("server", "agent"))) {
    if (file.startsWith(scheduling + path.sep)) continue;
    for (const spec of specifiers(file)) {
      if (!spec.startsWith(".")) continue;
      const target = path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec));
      if (parts.includes(target)) reaching.push(`${file} → ${target}`);
    }
  }
  assert.ok(parts.length >= 4, `the scheduler's parts are in ${scheduling}`);
  assert.deepEqual(reaching, []);
});

test("the extension's messages to a person go through extension/messages.ts (one prefix, one action dispatch)", () => {
  const inline = sources("extension").filter(
    (file) => file !== path.join("extension", "messages.ts") && /\bshow(Information|Warning|Error)Message\(/.test(readFileSync(path.join(ROOT, file), "utf8")),
  );
  assert.deepEqual(inline, []);
});

test("server/agent/'s rooms import downwards only (acp ← sessions ← scheduling; acp ← turn ← scheduling)", () => {
  const allowed: Record<string, string[]> = { acp: [], sessions: ["acp"], turn: ["acp"], scheduling: ["acp", "sessions", "turn"] };
  const upwards: string[] = [];
  for (const [room, below] of Object.entries(allowed)) {
    for (const file of sources(path.join("server", "agent", room))) {
      for (const spec of specifiers(file)) {
        const target = path.relative(path.join(ROOT, "server", "agent"), path.resolve(ROOT, path.dirname(file), spec));
        const other = target.split(path.sep)[0]!;
        if (spec.startsWith(".") && other in allowed && other !== room && !below.includes(other)) upwards.push(`${file} → ${spec}`);
      }
    }
  }
  assert.deepEqual(upwards, []);
});

test("unit tests mirror the source tree: test/unit/<folder of server/ or extension/>/<camelCase>.test.ts", () => {
  const unit = path.join("test", "unit");
  const misplaced = sources(unit)
    .filter((file) => file !== path.join(unit, "boundaries.test.ts"))
    .filter((file) => {
      const folder = path.dirname(path.relative(unit, file));
      const named = /^[a-z][A-Za-z0-9]*\.test\.ts$/.test(path.basename(file));
      return !named || !/^(server|extension)(\/|$)/.test(folder.split(path.sep).join("/")) || !existsSync(path.join(ROOT, folder));
    });
  assert.deepEqual(misplaced, []);
});
