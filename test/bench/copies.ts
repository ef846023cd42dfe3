// Section 14: a delegate's copy of a 20,000-file repository with uncommitted changes — how long it takes to make
// (target under 2 s), where the time goes, what it costs on disk (dependency folders are links, not copies), and how
// long removing it takes. Runs createCopy directly (no agent): the copy is all a delegate adds before Codex starts.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { changeOf, createCopy, removeCopyAt } from "../../server/copies/workspaceCopy";
import type { Ctx, SectionResult } from "./sections";
import { median, ms } from "./stats";

const FILES = 20_000;
const DEPENDENCY_FILES = 5_000;

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid", ...args], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

function kib(dir: string): number {
  return Number(execFileSync("du", ["-sk", dir], { encoding: "utf8" }).split("\t")[0]);
}

/** 20,000 committed files in 200 folders; 50 edited, 20 staged, 30 untracked; an ignored node_modules of 5,000 files. */
function bigRepo(dir: string): void {
  git(dir, "init", "-q");
  for (let d = 0; d < 200; d++) {
    const folder = path.join(dir, "src", `m${d}`);
    mkdirSync(folder, { recursive: true });
    for (let f = 0; f < FILES / 200; f++) writeFileSync(path.join(folder, `f${f}.ts`), `export const v${d}_${f} = ${d * 1000 + f};\n// ${"x".repeat(200)}\n`);
  }
  writeFileSync(path.join(dir, ".gitignore"), "node_modules/\n");
  git(dir, "add", "-A");
  git(dir, "commit", "-qm", "init");
  for (let i = 0; i < 50; i++) writeFileSync(path.join(dir, "src", `m${i}`, "f0.ts"), `export const edited${i} = true;\n`);
  for (let i = 50; i < 70; i++) {
    writeFileSync(path.join(dir, "src", `m${i}`, "f1.ts"), `export const staged${i} = true;\n`);
    git(dir, "add", path.join("src", `m${i}`, "f1.ts"));
  }
  for (let i = 0; i < 30; i++) writeFileSync(path.join(dir, "src", `new${i}.ts`), `export const fresh${i} = 1;\n`);
  for (let p = 0; p < DEPENDENCY_FILES / 50; p++) {
    const pkg = path.join(dir, "node_modules", `pkg${p}`);
    mkdirSync(pkg, { recursive: true });
    for (let f = 0; f < 50; f++) writeFileSync(path.join(pkg, `i${f}.js`), `module.exports = ${f};\n`);
  }
}

export async function copySection(ctx: Ctx): Promise<SectionResult> {
  const id = 14;
  const title = "Delegate copy of a 20,000-file repository";
  const repo = ctx.fx.scratch("copy-repo");
  const base = ctx.fx.scratch("copy-state");
  const t0 = performance.now();
  bigRepo(repo);
  ctx.log(`copy: built the repository in ${ms(performance.now() - t0)} ms`);
  const rounds = ctx.quick ? 2 : 5;
  const totals: number[] = [];
  const removals: number[] = [];
  const changes: number[] = [];
  const phases = new Map<string, number[]>();
  /** The floor: `cp -r` of the same 20,000 files (creating that many files is most of a checkout's cost). */
  const floors: number[] = [];
  let disk = { copy: 0, repo: kib(repo), deps: kib(path.join(repo, "node_modules")) };
  // A time budget: on a loaded machine one copy can take a minute; stop early (and say so) rather than overrun the run.
  const budgetEnd = Date.now() + (ctx.quick ? 60_000 : 150_000);
  let stoppedEarly = false;
  for (let round = 0; round < rounds; round++) {
    if (round > 0 && Date.now() > budgetEnd) {
      stoppedEarly = true;
      break;
    }
    const dir = path.join(base, `c${round}`);
    const start = performance.now();
    const copy = await createCopy(repo, dir, `c${round}`, (phase, took) => phases.set(phase, [...(phases.get(phase) ?? []), took]));
    totals.push(performance.now() - start);
    const c0 = performance.now();
    await changeOf(copy);
    changes.push(performance.now() - c0);
    if (round === 0) disk = { ...disk, copy: kib(dir) };
    const r0 = performance.now();
    await removeCopyAt(dir, copy.repoRoot);
    removals.push(performance.now() - r0);
    const f0 = performance.now();
    execFileSync("cp", ["-r", path.join(repo, "src"), path.join(base, `floor${round}`)]);
    floors.push(performance.now() - f0);
  }
  const total = median(totals);
  const md = [
    `A repository of ${FILES.toLocaleString("en")} committed files (${(disk.repo / 1024).toFixed(0)} MiB with its .git and node_modules) with 50 edited, 20 staged and 30 untracked files, and an ignored \`node_modules\` of ${DEPENDENCY_FILES.toLocaleString("en")} files. \`createCopy\` (server/copies/workspaceCopy.ts), median of ${totals.length}:`,
    "",
    "| phase | median ms |",
    "| --- | ---: |",
    ...[...phases].map(([name, values]) => `| ${name} | ${ms(median(values))} |`),
    `| **total** | **${ms(total)}** |`,
    `| reading the change afterwards (\`changeOf\`, no edits) | ${ms(median(changes))} |`,
    `| removing the copy (\`git worktree remove\` + prune) | ${ms(median(removals))} |`,
    `| for comparison: \`cp -r\` of the same ${FILES.toLocaleString("en")} files | ${ms(median(floors))} |`,
    "",
    `Disk: the copy takes **${(disk.copy / 1024).toFixed(0)} MiB** (the checkout; \`node_modules\`, ${(disk.deps / 1024).toFixed(0)} MiB, is a link), against ${(disk.repo / 1024).toFixed(0)} MiB for the repository.`,
  ].join("\n");
  return {
    id,
    title,
    md,
    targets: [{ name: "copy of a 20,000-file repository", target: "< 2000 ms", actual: `${ms(total)} ms`, met: total < 2000 }],
    data: { totals, changes, removals, floors, phases: Object.fromEntries(phases), disk },
    notes: stoppedEarly ? ["stopped early (time budget)"] : [],
  };
}
