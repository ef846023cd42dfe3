// `npm run bench` → node --import tsx test/bench/run.ts [--quick] [--only 1,4] [--out FILE] [--json FILE]
// Runs the eight benchmark sections against dist/server.js (build it first), the real codex-acp and a fake
// OpenAI model, and writes BENCHMARKS.md. Progress goes to stderr. Every process it starts is killed at the end
// (and on SIGINT/SIGTERM or a crash), process groups and orphaned grandchildren included.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { serverNodeArgs } from "./clients";
import { killEverything, killEverythingNow, refuseNewProcesses } from "./procs";
import { renderReport } from "./report";
import { SECTIONS, type Ctx, type SectionResult } from "./sections";
import { guardianWalk } from "./guardianWalk";
import { cpuBusy, Fixtures, FAKE_AGENT_JS, machine, ROOT, target } from "./setup";

const HARD_LIMIT_S = { quick: 240, full: 420 };

function log(message: string): void {
  const t = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${t}s] ${message}\n`);
}

const started = Date.now();
/** The run's fixtures, so a signal can remove its temp directories too. */
let fixtures: Fixtures | null = null;
/** Set by a signal: stop starting sections and write no report. */
let aborted = false;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      out: { type: "string" },
      json: { type: "string" },
      server: { type: "string" },
      "server-node-args": { type: "string" },
      "from-json": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      "Usage: node --import tsx test/bench/run.ts [--quick] [--only 1,4,5] [--out FILE] [--json FILE]\n" +
        "  --quick   few iterations per section (smoke run, ~1 min); writes to a temp file unless --out is given\n" +
        "  --only    run only these sections (1-14)\n" +
        "  --out     where to write the markdown report (default: BENCHMARKS.md; quick: $TMPDIR/BENCHMARKS.quick.md)\n" +
        "  --json    also write the raw samples as JSON\n" +
        "  --server  benchmark another build of the server (default: dist/server.js)\n" +
        "  --server-node-args '<flags>'  node flags for every server started (e.g. --max-semi-space-size=1)\n" +
        "  --from-json FILE  do not measure: re-render the report from a --json file (e.g. after editing analysis.ts)\n",
    );
    return 0;
  }
  if (values["from-json"]) {
    const saved = JSON.parse(readFileSync(values["from-json"], "utf8"));
    const file = values.out ?? path.join(ROOT, "BENCHMARKS.md");
    writeFileSync(
      file,
      renderReport({
        machine: saved.machine,
        quick: saved.quick,
        command: saved.command ?? "npm run bench",
        results: saved.results,
        loadBefore: saved.loadBefore,
        busyBefore: saved.busyBefore,
        loadAfter: saved.loadAfter,
        sectionLoads: saved.sectionLoads,
        totalSeconds: saved.totalSeconds ?? Number.NaN,
      }),
    );
    log(`re-rendered ${file} from ${values["from-json"]}`);
    return 0;
  }
  const quick = values.quick === true;
  const only = values.only ? new Set(values.only.split(",").map((s) => Number(s.trim()))) : null;
  if (values.server) target.serverJs = path.resolve(values.server);
  const nodeArgs = (values["server-node-args"] ?? "").split(/\s+/).filter(Boolean);
  serverNodeArgs.push(...nodeArgs);
  target.nodeArgs = nodeArgs;
  const variant = quick || only || values.server || nodeArgs.length > 0;
  const out = values.out ?? (variant ? path.join(os.tmpdir(), "BENCHMARKS.quick.md") : path.join(ROOT, "BENCHMARKS.md"));

  for (const file of [target.serverJs, FAKE_AGENT_JS]) {
    if (!existsSync(file)) {
      log(`${path.relative(ROOT, file)} is missing: run \`npm run build\` first (npm run bench does).`);
      return 2;
    }
  }

  const hardLimit = quick ? HARD_LIMIT_S.quick : HARD_LIMIT_S.full;
  const watchdog = setTimeout(() => {
    log(`hard time limit (${hardLimit} s) reached: killing everything and exiting`);
    refuseNewProcesses();
    killEverythingNow();
    void Promise.race([fixtures?.cleanup(), new Promise((r) => setTimeout(r, 2000))]).finally(() => process.exit(3));
  }, hardLimit * 1000);
  watchdog.unref();

  const fx = new Fixtures();
  fixtures = fx;
  const mach = machine();
  const loadBefore = os.loadavg();
  const busyBefore = await cpuBusy(1000);
  log(`${mach.nproc} × ${mach.cpu}, Node ${mach.node}; load ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, CPU busy ${(busyBefore * 100).toFixed(0)} % before start${quick ? " (quick)" : ""}`);
  if (busyBefore > 0.25) log(`warning: the machine is already ${(busyBefore * 100).toFixed(0)} % busy — numbers will be noisy`);
  if (!fx.codexUsable.ok) log(`the real codex-acp is not usable (${fx.codexUsable.why}): sections 1, 2, 3 and 8 are skipped`);

  const results: SectionResult[] = [];
  const loads: Record<number, { load1: number; busy: number }> = {};
  try {
    await fx.start();
    const ctx: Ctx = { fx, quick, log };
    for (const section of [...SECTIONS, { id: 13, name: "guardian walk", run: guardianWalk }].sort((a, b) => a.id - b.id)) {
      if (aborted) break;
      if (only && !only.has(section.id)) continue;
      const busy = await cpuBusy(300);
      loads[section.id] = { load1: os.loadavg()[0]!, busy };
      log(`section ${section.id}: ${section.name} (load ${os.loadavg()[0]!.toFixed(2)}, CPU busy ${(busy * 100).toFixed(0)} % just before)`);
      const t0 = Date.now();
      let result: SectionResult;
      try {
        result = await section.run(ctx);
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        log(`section ${section.id} FAILED: ${message}`);
        result = { id: section.id, title: section.name, md: "", targets: [], data: {}, notes: [], error: message.split("\n").slice(0, 3).join(" ") };
      }
      result.seconds = (Date.now() - t0) / 1000;
      const leftovers = await killEverything();
      if (leftovers > 0) {
        result.notes.push(`${leftovers} process(es) were still alive after the section and were killed by the sweep`);
        log(`section ${section.id}: swept ${leftovers} leftover process(es)`);
      }
      results.push(result);
      log(`section ${section.id} done in ${result.seconds.toFixed(1)} s${result.targets.length ? ": " + result.targets.map((t) => `${t.name} ${t.actual} ${t.met ? "OK" : t.met === false ? "MISSED" : ""}`).join("; ") : ""}`);
    }
  } finally {
    const left = await killEverything();
    if (left > 0) log(`final sweep killed ${left} process(es)`);
    await fx.cleanup();
  }

  if (aborted) {
    log("interrupted: no report written");
    return 130;
  }
  const loadAfter = os.loadavg();
  const command = [
      "npm run bench",
      ...(variant ? ["--"] : []),
      ...(quick ? ["--quick"] : []),
      ...(only ? [`--only ${[...only].join(",")}`] : []),
      ...(values.server ? [`--server ${values.server}`] : []),
      ...(nodeArgs.length ? [`--server-node-args '${nodeArgs.join(" ")}'`] : []),
    ].join(" ");
  const totalSeconds = (Date.now() - started) / 1000;
  const md = renderReport({
    machine: mach,
    quick,
    command,
    results,
    loadBefore,
    busyBefore,
    loadAfter,
    sectionLoads: loads,
    totalSeconds,
  });
  writeFileSync(out, md);
  log(`wrote ${out}`);
  if (values.json) {
    writeFileSync(values.json, JSON.stringify({ machine: mach, quick, command, totalSeconds, results, loadBefore, busyBefore, loadAfter, sectionLoads: loads }, null, 1));
    log(`wrote ${values.json}`);
  }
  const failed = results.filter((r) => r.error);
  const missed = results.flatMap((r) => r.targets).filter((t) => t.met === false);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s: ${results.length} sections, ${failed.length} failed, ${missed.length} target(s) missed`);
  return failed.length > 0 ? 1 : 0;
}

process.on("exit", () => killEverythingNow());
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(sig, () => {
    log(`${sig}: killing every process the benchmark started`);
    aborted = true;
    refuseNewProcesses();
    void killEverything()
      .then(() => fixtures?.cleanup())
      .finally(() => process.exit(130));
  });
}

main().then(
  (code) => {
    process.exitCode = code;
    // Lingering handles (fake model sockets) must not keep us alive.
    setTimeout(() => process.exit(code), 200).unref();
  },
  async (error) => {
    log(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    await killEverything();
    process.exit(1);
  },
);
