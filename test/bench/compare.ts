// Compares server builds (or node flags) head to head, interleaved in one run, so machine drift cancels out:
// readiness (spawn → initialize), idle VmRSS, VmRSS after the agent started and after N turns, warm turn time.
//   node --import tsx test/bench/compare.ts [--runs 20] [--turns 1000] <build>[::<node flags>] ...
//   e.g. node --import tsx test/bench/compare.ts dist/server.js dist/server.js::--optimize-for-size /tmp/other/server.js
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { FusionClient } from "./clients";
import { killEverything, memStatus, sleep } from "./procs";
import { QUESTION } from "./sections";
import { Fixtures } from "./setup";
import { mb, median, ms, p90 } from "./stats";

interface Build {
  label: string;
  serverJs: string;
  nodeArgs: string[];
  ready: number[];
  idle: number[];
  agent: number[];
  afterTurns: number[];
  turnMs: number[];
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: "string" }, turns: { type: "string" } } });
  const runs = Number(values.runs ?? 20);
  const turns = Number(values.turns ?? 1000);
  const builds: Build[] = (positionals.length ? positionals : ["dist/server.js"]).map((spec) => {
    const [file, flags = ""] = spec.split("::");
    return { label: spec, serverJs: path.resolve(file!), nodeArgs: flags.split(/\s+/).filter(Boolean), ready: [], idle: [], agent: [], afterTurns: [], turnMs: [] };
  });
  const fx = new Fixtures();
  await fx.start();
  const ws = fx.workspace("cmp");
  const env = fx.baseEnv({
    CODEX_FUSION_WORKSPACE: ws,
    CODEX_FUSION_STATE_DIR: fx.stateDir,
    CODEX_FUSION_ACP_COMMAND: JSON.stringify(fx.fakeAgentArgv()),
    FAKE_AGENT_INSTANT: "1",
    INITIAL_AGENT_MODE: "read-only",
  });
  try {
    // Readiness: interleaved, one untimed start of each first (page cache, code caches).
    for (let r = -1; r < runs; r++) {
      for (let k = 0; k < builds.length; k++) {
        const b = builds[(k + Math.max(r, 0)) % builds.length]!;
        const t0 = performance.now();
        const c = new FusionClient(b.serverJs, { cwd: ws, env, nodeArgs: b.nodeArgs });
        try {
          await c.initialize();
          const dt = performance.now() - t0;
          if (r >= 0) b.ready.push(dt);
        } finally {
          await c.close(1000);
        }
      }
    }
    process.stderr.write(`readiness done (${runs} each)\n`);
    // Memory and warm turns: all builds side by side, turns interleaved.
    const clients = builds.map((b) => new FusionClient(b.serverJs, { cwd: ws, env, nodeArgs: b.nodeArgs }));
    try {
      await Promise.all(clients.map((c) => c.initialize()));
      await sleep(500);
      clients.forEach((c, i) => builds[i]!.idle.push(memStatus(c.pid!)?.rss ?? Number.NaN));
      for (const c of clients) await c.consult(QUESTION);
      await sleep(200);
      clients.forEach((c, i) => builds[i]!.agent.push(memStatus(c.pid!)?.rss ?? Number.NaN));
      for (let t = 0; t < turns; t++) {
        for (let i = 0; i < clients.length; i++) {
          const c = clients[(i + t) % clients.length]!;
          const r = await c.consult(QUESTION);
          if (t >= 50) builds[(i + t) % clients.length]!.turnMs.push(r.ms);
        }
      }
      await sleep(200);
      clients.forEach((c, i) => builds[i]!.afterTurns.push(memStatus(c.pid!)?.rss ?? Number.NaN));
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    }
    process.stdout.write(
      `\n${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, ${new Date().toISOString()}; ${runs} interleaved starts per build, ${turns} interleaved turns (first 50 not timed)\n\n` +
        `| build | readiness median ms | p90 | idle VmRSS | after agent start | after ${turns + 1} turns | growth | warm turn median ms |\n|---|---:|---:|---:|---:|---:|---:|---:|\n`,
    );
    for (const b of builds) {
      const growth = ((b.afterTurns[0]! - b.agent[0]!) / b.agent[0]!) * 100;
      process.stdout.write(
        `| \`${b.label}\` | ${ms(median(b.ready))} | ${ms(p90(b.ready))} | ${mb(b.idle[0])} | ${mb(b.agent[0])} | ${mb(b.afterTurns[0])} | ${growth >= 0 ? "+" : ""}${growth.toFixed(1)} % | ${ms(median(b.turnMs))} |\n`,
      );
    }
  } finally {
    await killEverything();
    await fx.cleanup();
  }
}

main().then(
  () => setTimeout(() => process.exit(0), 100).unref(),
  async (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    await killEverything();
    process.exit(1);
  },
);
