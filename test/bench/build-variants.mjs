// Builds the two experimental server variants measured in BENCHMARKS.md §5 from the CURRENT server/ sources,
// into a scratch directory (never into the repo), for test/bench/compare.ts:
//   lazy/dist/server.js     the HTTP transport and stdio-attach code split into dist/transports/*.js, loaded on demand
//   lazy-cache/server.js    the same bundle behind a launcher that uses a V8 code cache (Node 20: vm.Script cachedData)
// Usage: node test/bench/build-variants.mjs [outDir]   (default: $TMPDIR/codex-fusion-variants)
//        node --import tsx test/bench/compare.ts dist/server.js <outDir>/lazy/dist/server.js <outDir>/lazy-cache/server.js
import * as esbuild from "esbuild";
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const out = path.resolve(process.argv[2] ?? path.join(tmpdir(), "codex-fusion-variants"));
const { version } = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));

rmSync(out, { recursive: true, force: true });
const lazy = path.join(out, "lazy");
mkdirSync(lazy, { recursive: true });
cpSync(path.join(root, "server"), path.join(lazy, "server"), { recursive: true });
symlinkSync(path.join(root, "node_modules"), path.join(lazy, "node_modules"));

// The patch of recommendation 1: the HTTP transport and attach code are required from separate files where used.
// (A dynamic import() alone does not do it: esbuild inlines the module into the same CJS bundle, so V8 still
// compiles all of it at start-up; only its evaluation is deferred.)
const mainTs = path.join(lazy, "server/main.ts");
let src = readFileSync(mainTs, "utf8");
const lazyRequire = (name) => `(require("./transports/${name}.js") as typeof import("./transports/${name}"))`;
if (src.includes('await import("./transports/http")')) {
  // main.ts already loads them on demand with import(): point those at separate files.
  src = src.replace('await import("./transports/http")', lazyRequire("http")).replace('await import("./transports/attach")', lazyRequire("attach"));
} else {
  const edits = [
    ['import { startHttpServer } from "./transports/http";\n', ""],
    ['import { runAttach, serverAnswers } from "./transports/attach";\n', ""],
    [
      "    if (record && (await serverAnswers(record))) {",
      `    const attach = record ? ${lazyRequire("attach")} : null;\n` +
        "    if (record && attach && (await attach.serverAnswers(record))) {\n      const { runAttach } = attach;",
    ],
    ["      handle = await startHttpServer(session,", `      const { startHttpServer } = ${lazyRequire("http")};\n      handle = await startHttpServer(session,`],
  ];
  for (const [from, to] of edits) {
    if (!src.includes(from)) throw new Error(`server/main.ts changed: cannot find ${JSON.stringify(from.slice(0, 60))}; update build-variants.mjs`);
    src = src.replace(from, to);
  }
}
if ((src.match(/require\("\.\/transports\//g) ?? []).length !== 2) throw new Error("server/main.ts changed: could not patch both transports; update build-variants.mjs");
writeFileSync(mainTs, src);

const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
  define: { __CODEX_FUSION_VERSION__: JSON.stringify(version) },
  absWorkingDir: lazy,
};
await esbuild.build({
  ...common,
  entryPoints: [path.join(lazy, "server/main.ts")],
  outfile: path.join(lazy, "dist/server.js"),
  external: ["./transports/http.js", "./transports/attach.js"],
});
await esbuild.build({
  ...common,
  entryPoints: [path.join(lazy, "server/transports/http.ts"), path.join(lazy, "server/transports/attach.ts")],
  outdir: path.join(lazy, "dist/transports"),
});

// Recommendation 2: the same bundle behind a code-cache launcher.
const cached = path.join(out, "lazy-cache");
mkdirSync(cached, { recursive: true });
cpSync(path.join(lazy, "dist/server.js"), path.join(cached, "bundle.js"));
cpSync(path.join(lazy, "dist/server.js.map"), path.join(cached, "bundle.js.map"));
cpSync(path.join(lazy, "dist/transports"), path.join(cached, "transports"), { recursive: true });
writeFileSync(
  path.join(cached, "server.js"),
  `"use strict";
// Launcher with a V8 code cache (what module.enableCompileCache() does on Node >= 22.1).
const fs = require("fs"), path = require("path"), vm = require("vm"), Module = require("module");
const file = path.join(__dirname, "bundle.js");
// Keyed by Node version and flags: V8 rejects a cache made under other flags.
const key = require("crypto").createHash("sha256").update(process.version + process.execArgv.join(" ")).digest("hex").slice(0, 12);
const cacheFile = path.join(__dirname, \`bundle.js.\${key}.v8cache\`);
const source = fs.readFileSync(file, "utf8").replace(/^#!.*/, "");
let cachedData;
try { cachedData = fs.readFileSync(cacheFile); } catch {}
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
const m = new Module(file, module);
m.filename = file;
m.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext().call(m.exports, m.exports, (id) => m.require(id), m, file, __dirname);
if (cachedData === undefined || script.cachedDataRejected) {
  process.once("exit", () => { try { fs.writeFileSync(cacheFile, script.createCachedData()); } catch {} });
}
`,
);
const kb = (f) => Math.round(readFileSync(f).length / 1024);
process.stdout.write(
  `built ${lazy}/dist/server.js (${kb(path.join(lazy, "dist/server.js"))} KB, transports split out) and ${cached}/server.js (code-cache launcher)\n`,
);
