// Where the server spends its time, from V8 CPU profiles of the real process, attributed to source packages through
// the bundle's source map.
//   node --import tsx test/bench/profile.ts startup [--runs 5] [--server dist/server.js]
//       spawn → MCP initialize answered (then exit)
//   node --import tsx test/bench/profile.ts turns [--turns 2000] [--progress] [--server dist/server.js]
//       warm consults against the instant fake agent (a 1-turn profile is subtracted to leave the turns alone)
// Prints self time by package and the hottest functions (original file:line).
import { hermeticEnv, isolatedHome } from "../fixtures/home";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { SourceMap } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { killEverything } from "./procs";
import { RpcPeer } from "./rpc";
import { QUESTION } from "./sections";
import { FAKE_AGENT_JS, ROOT } from "./setup";

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const maps = new Map<string, SourceMap | null>();
function sourceMapFor(url: string): SourceMap | null {
  if (maps.has(url)) return maps.get(url)!;
  let map: SourceMap | null = null;
  try {
    const file = url.startsWith("file://") ? new URL(url).pathname : url;
    map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
  } catch {
    map = null;
  }
  maps.set(url, map);
  return map;
}

export interface Attribution {
  totalMs: number;
  byPackage: Map<string, number>;
  byFunction: Map<string, number>;
  /** Time inside zod (self, incl. nested zod frames), keyed by the first non-zod caller up the stack. */
  zodCallers: Map<string, number>;
}

function classify(frame: CpuProfile["nodes"][number]["callFrame"]): { pkg: string; fn: string } {
  const name = frame.functionName || "(anonymous)";
  if (!frame.url) {
    if (name === "wrapSafe" || name === "compileFunction") return { pkg: "V8 compile of the bundle", fn: name };
    return { pkg: name.startsWith("(") ? name : "V8/native", fn: name };
  }
  if (frame.url.startsWith("node:")) {
    if (name === "wrapSafe") return { pkg: "V8 compile of the bundle (wrapSafe)", fn: name };
    return { pkg: "Node internals", fn: `${name} @ ${frame.url}` };
  }
  const map = sourceMapFor(frame.url);
  const entry = map?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
  const source = entry?.originalSource;
  if (!source) return { pkg: `${path.basename(frame.url)} (unmapped: top-level / wrappers)`, fn: `${name} @ ${path.basename(frame.url)}` };
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(source);
  const pkg = m ? m[1]! : (/(server\/.*|test\/.*)$/.exec(source)?.[1] ?? source).replace(/\/[^/]+$/, "/");
  const file = m ? `${m[1]}/${m[2]}` : (/(server\/.*|test\/.*)$/.exec(source)?.[1] ?? source);
  return { pkg, fn: `${name} @ ${file}:${(entry?.originalLine ?? 0) + 1}` };
}

export function attribute(profile: CpuProfile): Attribution {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const zodCallers = new Map<string, number>();
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const info = new Map<number, { pkg: string; fn: string }>();
  const infoOf = (id: number) => {
    let v = info.get(id);
    if (!v) {
      v = classify(byId.get(id)!.callFrame);
      info.set(id, v);
    }
    return v;
  };
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (!us) continue;
    const t = us / 1000;
    if (node.callFrame.functionName === "(idle)") continue;
    total += t;
    const { pkg, fn } = classify(node.callFrame);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + t);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + t);
    if (pkg === "zod") {
      let up = parent.get(node.id);
      while (up !== undefined && infoOf(up).pkg === "zod") up = parent.get(up);
      const caller = up === undefined ? "(root)" : infoOf(up).fn;
      zodCallers.set(caller, (zodCallers.get(caller) ?? 0) + t);
    }
  }
  return { totalMs: total, byPackage, byFunction, zodCallers };
}

function merge(list: Attribution[]): Attribution {
  const out: Attribution = { totalMs: 0, byPackage: new Map(), byFunction: new Map(), zodCallers: new Map() };
  for (const a of list) {
    out.totalMs += a.totalMs / list.length;
    for (const [k, v] of a.zodCallers) out.zodCallers.set(k, (out.zodCallers.get(k) ?? 0) + v / list.length);
    for (const [k, v] of a.byPackage) out.byPackage.set(k, (out.byPackage.get(k) ?? 0) + v / list.length);
    for (const [k, v] of a.byFunction) out.byFunction.set(k, (out.byFunction.get(k) ?? 0) + v / list.length);
  }
  return out;
}

function print(title: string, a: Attribution, perUnit?: { unit: string; count: number }): void {
  const scale = perUnit ? 1 / perUnit.count : 1;
  const unit = perUnit ? `ms per ${perUnit.unit}` : "ms";
  const f = (x: number) => (x * scale).toFixed(perUnit ? 3 : 1);
  process.stdout.write(`\n### ${title}\n\nsampled CPU (non-idle): ${f(a.totalMs)} ${unit}\n\n| self time (${unit}) | share | package / category |\n|---:|---:|---|\n`);
  for (const [k, v] of [...a.byPackage].sort((x, y) => y[1] - x[1]).slice(0, 14)) {
    process.stdout.write(`| ${f(v)} | ${((v / a.totalMs) * 100).toFixed(0)} % | ${k} |\n`);
  }
  process.stdout.write(`\n| self time (${unit}) | hottest functions |\n|---:|---|\n`);
  for (const [k, v] of [...a.byFunction].sort((x, y) => y[1] - x[1]).slice(0, 16)) {
    process.stdout.write(`| ${f(v)} | \`${k.replace(/\|/g, "\\|").slice(0, 140)}\` |\n`);
  }
  process.stdout.write(`\n| self time (${unit}) | hottest functions in server/ |\n|---:|---|\n`);
  for (const [k, v] of [...a.byFunction].filter(([k]) => / @ server\//.test(k)).sort((x, y) => y[1] - x[1]).slice(0, 12)) {
    process.stdout.write(`| ${f(v)} | \`${k.replace(/\|/g, "\\|").slice(0, 140)}\` |\n`);
  }
  process.stdout.write(`\n| zod self time (${unit}) | first caller outside zod |\n|---:|---|\n`);
  for (const [k, v] of [...a.zodCallers].sort((x, y) => y[1] - x[1]).slice(0, 10)) {
    process.stdout.write(`| ${f(v)} | \`${k.replace(/\|/g, "\\|").slice(0, 140)}\` |\n`);
  }
}

function readProfiles(dir: string): CpuProfile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as CpuProfile);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { runs: { type: "string" }, turns: { type: "string" }, progress: { type: "boolean" }, server: { type: "string" }, interval: { type: "string" } },
  });
  const mode = positionals[0] ?? "startup";
  const server = path.resolve(values.server ?? path.join(ROOT, "dist/server.js"));
  const interval = values.interval ?? "100";
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-prof-"));
  const ws = mkdtempSync(path.join(os.tmpdir(), "bench-prof-ws-"));
  const home = isolatedHome(scratch);
  const env = (extra: Record<string, string> = {}) => ({
    ...hermeticEnv(home),
    CODEX_FUSION_WORKSPACE: ws,
    CODEX_FUSION_STATE_DIR: path.join(scratch, "state"),
    CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT_JS]),
    FAKE_AGENT_INSTANT: "1",
    ...extra,
  });
  try {
    if (mode === "startup") {
      const runs = Number(values.runs ?? 5);
      const list: Attribution[] = [];
      for (let i = 0; i < runs; i++) {
        const dir = path.join(scratch, `run${i}`);
        const client = new RpcPeer("server", [process.execPath, "--cpu-prof", `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${interval}`, server], { cwd: ws, env: env() });
        await client.request("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "profile", version: "0" } }, 20_000);
        await client.close(5000);
        for (const p of readProfiles(dir)) list.push(attribute(p));
      }
      print(`startup: spawn → initialize answered → exit (mean of ${list.length} profiles)`, merge(list));
    } else if (mode === "turns") {
      const turns = Number(values.turns ?? 2000);
      const dir = path.join(scratch, "turns");
      // The profile covers the whole process life; subtract a startup-only profile to isolate the turns.
      const run = async (n: number, sub: string) => {
        const peer = new RpcPeer("server", [process.execPath, "--cpu-prof", `--cpu-prof-dir=${path.join(dir, sub)}`, `--cpu-prof-interval=${interval}`, server], { cwd: ws, env: env() });
        await peer.request("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "profile", version: "0" } }, 20_000);
        peer.notify("notifications/initialized");
        let token = 0;
        for (let i = 0; i < n; i++) {
          await peer.request("tools/call", { name: "consult", arguments: { question: QUESTION }, ...(values.progress ? { _meta: { progressToken: ++token } } : {}) }, 20_000);
        }
        await peer.close(5000);
        return readProfiles(path.join(dir, sub)).map(attribute);
      };
      const base = merge(await run(1, "base"));
      const full = merge(await run(turns, "full"));
      const diff: Attribution = { totalMs: full.totalMs - base.totalMs, byPackage: new Map(), byFunction: new Map(), zodCallers: new Map() };
      for (const [k, v] of full.zodCallers) diff.zodCallers.set(k, v - (base.zodCallers.get(k) ?? 0));
      for (const [k, v] of full.byPackage) diff.byPackage.set(k, v - (base.byPackage.get(k) ?? 0));
      for (const [k, v] of full.byFunction) diff.byFunction.set(k, v - (base.byFunction.get(k) ?? 0));
      print(`${turns} warm consults${values.progress ? " with a progressToken" : ""} (profile of ${turns} turns minus a 1-turn profile)`, diff, { unit: "turn", count: turns - 1 });
    } else {
      throw new Error(`unknown mode ${mode} (startup | turns)`);
    }
  } finally {
    await killEverything();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(ws, { recursive: true, force: true });
  }
}

main().catch(async (error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  await killEverything();
  process.exit(1);
});
