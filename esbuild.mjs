// Bundles the server, the extension and the test fixtures. `node esbuild.mjs [--watch]`.
import * as esbuild from "esbuild";
import { readFileSync } from "node:fs";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

const watch = process.argv.includes("--watch");
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: "linked",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  define: { __CODEX_FUSION_VERSION__: JSON.stringify(version) },
};

const builds = [
  // The MCP server: one file, runnable as `node dist/server.js` and as the `codex-fusion-mcp` bin.
  { ...common, entryPoints: ["server/main.ts"], outfile: "dist/server.js", banner: { js: "#!/usr/bin/env node" } },
  // The VS Code extension host side; `vscode` is provided by the editor.
  { ...common, entryPoints: ["extension/extension.ts"], outfile: "dist/extension.js", external: ["vscode"] },
  // The verdict panel's webview script (a browser bundle; shares its message types with the host).
  {
    bundle: true,
    platform: "browser",
    format: "iife",
    target: "es2022",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
    entryPoints: ["extension/verdictPanel/webview/main.ts"],
    outfile: "media/verdict.js",
  },
  // Test-only fixtures (never packaged): a scripted ACP agent run as a real subprocess.
  { ...common, minify: false, sourcemap: false, entryPoints: ["test/fixtures/fake-agent.ts"], outfile: "out/fake-agent.js" },
  // Bench-only (never packaged): the bare MCP SDK → ACP SDK forwarder that §10 measures as the floor.
  { ...common, sourcemap: false, entryPoints: ["test/bench/floorServer.ts"], outfile: "out/bench-floor-server.js" },
];

/**
 * The server's bundle must be ASCII: one other character (a literal "—" in a regex, which esbuild leaves as is) makes
 * V8 read the whole file as a two-byte string: ~2 MB more memory and a slower read at every start. Write it as an escape.
 */
function assertAscii(file) {
  const text = readFileSync(file, "utf8");
  const at = text.search(/[^\x00-\x7f]/);
  if (at < 0) return;
  const line = text.slice(0, at).split("\n").length;
  const context = text.slice(Math.max(0, at - 60), at + 20);
  throw new Error(`${file} is not ASCII: line ${line}, …${context}… — write the character as an escape (\\u${text.codePointAt(at).toString(16).padStart(4, "0")}) in the source's regex or String.raw`);
}

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  assertAscii("dist/server.js");
}
