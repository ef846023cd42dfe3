// §10–§12: the turn path as a client sees it, the parallel case, and a long streamed answer.
//   §10 client view: the MCP SDK's Client over stdio → dist/server.js → the instant fake agent, against the ACP SDK's
//       client → the same fake agent (clientView.ts), median of three rounds; the server's VmRSS after the run. A
//       bare MCP SDK → ACP SDK forwarder (floorServer.ts) runs beside it: the part of the cost no server can avoid.
//   §11 parallel: a quick ask while another client's 4 s turn runs answers in about its own time (a forked session).
//   §12 50k chunks: one consult whose answer arrives in 50,000 `agent_message_chunk`s; the server's CPU time for the
//       turn from /proc/<pid>/stat (utime + stime).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { acpContender, measureClientView, mcpContender, instantAgentEnv } from "./clientView";
import { FusionClient } from "./clients";
import { isolatedHome } from "../fixtures/home";
import type { Ctx, SectionResult } from "./sections";
import { FAKE_AGENT_JS, FLOOR_SERVER_JS, target } from "./setup";
import { mb, median, ms } from "./stats";

const CLK_TCK = 100;

/** utime + stime of a process in ms, from /proc/<pid>/stat. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

/** utime and stime separately, ms. */
export function cpuSplitMs(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { user: (Number(fields[11]) * 1000) / CLK_TCK, system: (Number(fields[12]) * 1000) / CLK_TCK };
}

/** A workspace, a home, and the environment a server under test gets: the instant fake agent as its ACP command. */
function scratch(): { ws: string; env: Record<string, string>; cleanup(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "bench-turnpath-"));
  const ws = mkdtempSync(path.join(os.tmpdir(), "bench-turnpath-ws-"));
  const env = instantAgentEnv(isolatedHome(dir), ws, {
    CODEX_FUSION_STATE_DIR: path.join(ws, ".state"),
    CODEX_FUSION_ACP_COMMAND: JSON.stringify([process.execPath, FAKE_AGENT_JS]),
  });
  return { ws, env, cleanup: () => [dir, ws].forEach((d) => rmSync(d, { recursive: true, force: true })) };
}

export async function clientViewSection(ctx: Ctx): Promise<SectionResult> {
  const id = 10;
  const title = "What a client sees: MCP SDK client over stdio vs the ACP SDK client, instant fake agent";
  const rounds = ctx.quick ? 1 : 3;
  const perRound = ctx.quick ? 10 : 40;
  const s = scratch();
  const direct = await acpContender("direct ACP", { cwd: s.ws, env: s.env });
  const server = await mcpContender("this server", [process.execPath, ...target.nodeArgs, target.serverJs], { cwd: s.ws, env: s.env });
  const floor = await mcpContender("floor", [process.execPath, ...target.nodeArgs, FLOOR_SERVER_JS], { cwd: s.ws, env: s.env });
  try {
    const result = await measureClientView([direct, server, floor], { rounds, perRound, warmup: ctx.quick ? 3 : 10, log: ctx.log });
    const added = result.added["this server"]!;
    const floorAdded = result.added.floor!;
    const rss = result.rssKb["this server"] ?? null;
    const md = [
      `${rounds} rounds of ${perRound} warm consults each, interleaved; each side uses its protocol's own SDK client (the MCP client validates the result against the tool's outputSchema, the ACP client validates every update). ` +
        "Added latency = median over rounds of (the server's round median − direct ACP's round median).",
      "",
      "| path | round medians (ms) |",
      "| --- | --- |",
      `| A: MCP \`Client.callTool(consult)\` → stdio → dist/server.js → fake agent | ${result.rounds.map((r) => ms(r.medians["this server"]!)).join(" / ")} |`,
      `| B: ACP \`client().request("session/prompt")\` → fake agent | ${result.rounds.map((r) => ms(r.medians["direct ACP"]!)).join(" / ")} |`,
      `| C: MCP \`Client.callTool(consult)\` → stdio → the floor (a bare MCP SDK → ACP SDK forwarder, test/bench/floorServer.ts) → fake agent | ${result.rounds.map((r) => ms(r.medians.floor!)).join(" / ")} |`,
      "",
      `**Added latency: ${ms(added)} ms per consult.** Server VmRSS after the run: **${mb(rss)}**.`,
      "",
      `The floor adds ${ms(floorAdded)} ms (VmRSS ${mb(result.rssKb.floor ?? null)}): what Node and the two SDKs cost with nothing else done. ` +
        `This server's own share (the prompt, the session's bookkeeping, findings, the structured result and its outputSchema): ${ms(added - floorAdded)} ms.`,
    ].join("\n");
    return { id, title, md, targets: [], data: { ...result }, notes: [] };
  } finally {
    await server.close();
    await floor.close();
    await direct.close();
    s.cleanup();
  }
}

export async function parallelTurnSection(ctx: Ctx): Promise<SectionResult> {
  const id = 11;
  const title = "Parallel asks: a quick consult while another client's 4 s turn runs";
  const reps = ctx.quick ? 1 : 3;
  const s = scratch();
  // Two callers = two MCP sessions: the editor's HTTP server would give each its own; over stdio, two concurrent
  // calls from one client are two asks of one caller, which fork the same way.
  const client = new FusionClient(target.serverJs, { cwd: s.ws, env: s.env });
  const alone: number[] = [];
  const beside: number[] = [];
  const slowMs: number[] = [];
  try {
    await client.initialize();
    await client.consult("warm up");
    for (let r = 0; r < reps; r++) {
      alone.push((await client.consult("quick, alone")).ms);
      const t0 = performance.now();
      const slow = client.consult("slow [[fake:slow:4000]]");
      await new Promise((resolve) => setTimeout(resolve, 300));
      beside.push((await client.consult("quick, beside the slow one")).ms);
      await slow;
      slowMs.push(performance.now() - t0);
      ctx.log(`[11] round ${r + 1}: quick alone ${ms(alone.at(-1)!)} ms, beside a 4 s turn ${ms(beside.at(-1)!)} ms`);
    }
    const md = [
      `${reps} rounds: a quick consult on its own, then the same while a 4 s consult (\`[[fake:slow:4000]]\`) runs, started 300 ms earlier. The quick one runs on a session forked from the busy one.`,
      "",
      "| consult | median ms |",
      "| --- | ---: |",
      `| quick, alone | ${ms(median(alone))} |`,
      `| quick, while the 4 s turn runs | ${ms(median(beside))} |`,
      `| the 4 s turn itself | ${ms(median(slowMs))} |`,
      "",
      `The quick consult answers in about its own time (it includes the fork: session/fork plus read-only set-up), not after the 4 s turn.`,
    ].join("\n");
    return { id, title, md, targets: [{ name: "quick ask beside a 4 s turn", target: "< 1 s (its own time, not the 4 s turn's)", actual: `${ms(median(beside))} ms`, met: median(beside) < 1000 }], data: { alone, beside, slowMs }, notes: [] };
  } finally {
    await client.close();
    s.cleanup();
  }
}

export async function longStreamSection(ctx: Ctx): Promise<SectionResult> {
  const id = 12;
  const title = "A long streamed answer: 50,000 chunks through the built server";
  const chunks = ctx.quick ? 10_000 : 50_000;
  const reps = ctx.quick ? 1 : 3;
  const s = scratch();
  const cpu: number[] = [];
  const wall: number[] = [];
  const withProgress: number[] = [];
  try {
    for (let r = 0; r < reps; r++) {
      for (const progress of [false, true]) {
        const client = new FusionClient(target.serverJs, { cwd: s.ws, env: s.env });
        try {
          await client.initialize();
          await client.consult("warm up");
          const before = cpuMs(client.pid!);
          const answer = await client.consult(`stream [[fake:chunks:${chunks}]]`, { progress, timeoutMs: 120_000 });
          const used = cpuMs(client.pid!) - before;
          (progress ? withProgress : cpu).push(used);
          if (!progress) wall.push(answer.ms);
          ctx.log(`[12] ${chunks} chunks${progress ? " with progress" : ""}: server CPU ${ms(used)} ms, wall ${ms(answer.ms)} ms`);
        } finally {
          await client.close();
        }
      }
    }
    const cpuMedian = median(cpu);
    const md = [
      `${reps} runs each, a fresh server per run (one warm-up consult first). The fake agent sends ${chunks.toLocaleString("en-US")} two-character chunks as fast as it can; CPU = the server process's utime + stime (from /proc/<pid>/stat) across the consult.`,
      "",
      "| consult | server CPU median ms | wall median ms |",
      "| --- | ---: | ---: |",
      `| \`[[fake:chunks:${chunks}]]\` | ${ms(cpuMedian)} | ${ms(median(wall))} |`,
      `| same, with a progressToken | ${ms(median(withProgress))} | — |`,
    ].join("\n");
    return { id, title, md, targets: [{ name: `server CPU for a ${chunks.toLocaleString("en-US")}-chunk turn`, target: "< 2 s", actual: `${ms(cpuMedian)} ms`, met: cpuMedian < 2000 }], data: { cpu, wall, withProgress, chunks }, notes: [] };
  } finally {
    s.cleanup();
  }
}
