// Section 13: the guardian's decisions in a large workspace whose links loop (issue 22). A tree of 20,000 files with
// link cycles (two links to its own root, `up -> ..` in deep folders, a -> b -> a), self-links and a protected name
// reached through a link; in process, the real Guardian, ALLOW_WRITES on (the case that walks the tree). Each kind of
// decision is timed many times; memory is sampled before and after to show it stays flat.
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type * as acp from "@agentclientprotocol/sdk";
import { Guardian } from "../../server/guardian/judge";
import type { Ctx, SectionResult, TargetCheck } from "./sections";
import { ms, summarize } from "./stats";

const FILES = 20_000;
const PER_DIR = 100;
const OPTIONS = [
  { optionId: "allow_once", kind: "allow_once", name: "Yes" },
  { optionId: "cancel", kind: "reject_once", name: "No" },
];

/** The workspace: FILES files in FILES/PER_DIR folders two levels deep, plus the links that loop. */
async function buildTree(root: string): Promise<void> {
  const dirs = FILES / PER_DIR;
  for (let d = 0; d < dirs; d++) {
    const dir = path.join(root, `pkg${d % 20}`, `mod${d}`);
    await fs.mkdir(dir, { recursive: true });
    await Promise.all(Array.from({ length: PER_DIR }, (_, f) => fs.writeFile(path.join(dir, `f${f}.ts`), "export {};\n")));
    if (d % 10 === 0) {
      await fs.symlink("..", path.join(dir, "up")); // a cycle: mod/up/mod/up/…
      await fs.symlink(".", path.join(dir, "here")); // a self-link
    }
  }
  await fs.symlink(".", path.join(root, "self"));
  await fs.symlink(root, path.join(root, "again"));
  await fs.mkdir(path.join(root, "cyc"), { recursive: true });
  await fs.symlink("../cyc-b", path.join(root, "cyc", "to-b"));
  await fs.mkdir(path.join(root, "cyc-b"), { recursive: true });
  await fs.symlink("../cyc", path.join(root, "cyc-b", "to-a"));
  await fs.mkdir(path.join(root, "dc-conf"), { recursive: true });
  await fs.symlink("dc-conf", path.join(root, ".devcontainer"));
}

function request(kind: string, toolCall: Record<string, unknown>): acp.RequestPermissionRequest {
  return { sessionId: "bench", toolCall: { toolCallId: "b", status: "pending", title: "bench", kind, ...toolCall }, options: OPTIONS } as unknown as acp.RequestPermissionRequest;
}

export async function guardianWalk(ctx: Ctx): Promise<SectionResult> {
  const id = 13;
  const title = "Guardian decisions in a 20,000-file workspace with link cycles";
  const tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "bench-guardian-")));
  try {
    const ws = path.join(tmp, "ws");
    const t0 = performance.now();
    await buildTree(ws);
    ctx.log(`section ${id}: tree built in ${ms(performance.now() - t0)} ms`);
    const guardian = new Guardian(ws, { allowExternalReads: false, allowWrites: true, allowCommands: false }, path.join(tmp, "home"));
    const file = path.join(ws, "pkg3", "mod3", "f7.ts");
    const kinds: Array<{ name: string; req: acp.RequestPermissionRequest; diffPaths?: string[]; expect: string }> = [
      { name: "ordinary patch (walks the tree)", req: request("edit", { locations: [{ path: file }] }), diffPaths: [file], expect: "allow" },
      { name: "delete of a 100-file folder", req: request("delete", { locations: [{ path: path.join(ws, "pkg4", "mod4") }] }), expect: "allow" },
      { name: "write reached through .devcontainer", req: request("edit", { locations: [{ path: path.join(ws, "dc-conf", "devcontainer.json") }] }), diffPaths: [path.join(ws, "dc-conf", "devcontainer.json")], expect: "ask" },
      { name: "read inside", req: request("read", { locations: [{ path: file }] }), expect: "allow" },
    ];
    const rounds = ctx.quick ? 10 : 50;
    const samples: Record<string, number[]> = {};
    const cpu: Record<string, number[]> = {};
    const wrong: string[] = [];
    const heap: number[] = [];
    global.gc?.();
    const before = process.memoryUsage();
    for (let round = 0; round < rounds; round++) {
      for (const k of kinds) {
        const start = performance.now();
        const used = process.cpuUsage();
        const { verdict } = await guardian.judge(k.req, { turnId: "t", sessionId: "bench", ...(k.diffPaths ? { diffPaths: k.diffPaths } : {}), diffPreview: null });
        const spent = process.cpuUsage(used);
        (samples[k.name] ??= []).push(performance.now() - start);
        (cpu[k.name] ??= []).push((spent.user + spent.system) / 1000);
        if (verdict.action !== k.expect) wrong.push(`${k.name}: ${verdict.action} (${verdict.reason})`);
      }
      if (round % Math.max(1, Math.floor(rounds / 5)) === 0 || round === rounds - 1) {
        global.gc?.();
        heap.push(process.memoryUsage().heapUsed / 1024 / 1024);
      }
    }
    global.gc?.();
    const after = process.memoryUsage();
    const rows = kinds.map((k) => {
      const s = summarize(samples[k.name]!);
      return `| ${k.name} | ${k.expect} | ${ms(s.median)} | ${ms(s.p90)} | ${ms(s.max)} | ${ms(summarize(cpu[k.name]!).median)} |`;
    });
    const worst = Math.max(...Object.values(samples).flat());
    const heapGrowth = (after.heapUsed - before.heapUsed) / 1024 / 1024;
    const rssGrowth = (after.rss - before.rss) / 1024 / 1024;
    const targets: TargetCheck[] = [
      { name: "slowest decision", target: "< 100 ms", actual: `${ms(worst)} ms`, met: worst < 100 },
      { name: "decisions as promised", target: "0 wrong", actual: `${wrong.length} wrong`, met: wrong.length === 0 },
    ];
    const md = [
      `${FILES.toLocaleString("en")} files in ${FILES / PER_DIR} folders, \`up -> ..\` and \`here -> .\` in every tenth folder, two links to the`,
      "workspace's own root, a two-link cycle and `.devcontainer -> dc-conf`; ALLOW_WRITES on, so a write walks the tree",
      `(no cache: each write is judged on the tree as it is). ${rounds} rounds of each decision, in process.`,
      "",
      "| decision | verdict | median ms | p90 ms | max ms | CPU ms (median, all threads) |",
      "|---|---|---|---|---|---|",
      ...rows,
      "",
      `Memory over ${rounds * kinds.length} decisions: heap ${heapGrowth >= 0 ? "+" : ""}${heapGrowth.toFixed(1)} MB, RSS ${rssGrowth >= 0 ? "+" : ""}${rssGrowth.toFixed(1)} MB; heap after GC along the way ${heap.map((h) => h.toFixed(1)).join(" → ")} MB (nothing is kept between decisions but a bounded memo of protected-name matches).`,
      ...(wrong.length > 0 ? ["", `Wrong decisions: ${wrong.slice(0, 3).join("; ")}`] : []),
    ].join("\n");
    return { id, title, md, targets, data: { samples, cpu, heap, before, after, wrong }, notes: [] };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
