// The eight benchmark sections. Each returns markdown for BENCHMARKS.md, target checks and raw data, and
// closes every process it started (the runner sweeps after each section as a backstop).
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { buildPrompt } from "../../server/prompts";
import { AcpClient, AppServerClient, FusionClient, type Timed, type ToolAnswer } from "./clients";
import { memStatus, sleep, treeRss } from "./procs";
import { RpcPeer, runOnce } from "./rpc";
import { Fixtures, target } from "./setup";
import { mb, median, ms, pairedDiffs, pct, ratio, summarize, type Summary } from "./stats";
import { extensionCosts } from "./extension";
import { clientViewSection, longStreamSection, parallelTurnSection } from "./turnPath";
import { copySection } from "./copies";

export interface TargetCheck {
  name: string;
  target: string;
  actual: string;
  met: boolean | null;
}

export interface SectionResult {
  id: number;
  title: string;
  md: string;
  targets: TargetCheck[];
  data: Record<string, unknown>;
  notes: string[];
  seconds?: number;
  error?: string;
}

export interface Ctx {
  fx: Fixtures;
  quick: boolean;
  log: (message: string) => void;
}

/** A per-section time budget: loops stop early (and say so) rather than overrun the run. */
class Budget {
  private readonly end: number;
  truncated = false;
  constructor(seconds: number) {
    this.end = Date.now() + seconds * 1000;
  }
  get expired(): boolean {
    if (Date.now() > this.end) this.truncated = true;
    return this.truncated;
  }
}

export const QUESTION = "Should the config loader cache the parsed file in memory, or re-read it on every call? Answer briefly.";
export const FOLLOW_UP = "Fair, but the file changes at most once a day. Does that change your answer?";
/** Exactly the text the server sends for consult {question} / reply {message} (server/prompts.ts). */
// A warm consult: the session has the preamble already (its system prompt or its first prompt), so only the ask's own part goes out.
export const CONSULT_PROMPT = buildPrompt("consult", { question: QUESTION });
export const REPLY_PROMPT = buildPrompt("reply", { message: FOLLOW_UP });

function row(cells: (string | number)[]): string {
  return `| ${cells.join(" | ")} |`;
}

function table(header: string[], rows: (string | number)[][], align?: string[]): string {
  const sep = align ?? header.map((_, i) => (i === 0 ? "---" : "---:"));
  return [row(header), row(sep), ...rows.map(row)].join("\n");
}

function summaryCells(s: Summary): string[] {
  return [String(s.n), ms(s.median), ms(s.p90), ms(s.min), ms(s.max)];
}

const STAT_HEADER = ["n", "median ms", "p90 ms", "min ms", "max ms"];

function check(name: string, target: string, actual: string, met: boolean | null): TargetCheck {
  return { name, target, actual, met };
}

function fusionEnv(ctx: Ctx, workspace: string, agentArgv: string[], extra: Record<string, string>): NodeJS.ProcessEnv {
  return ctx.fx.baseEnv({
    CODEX_FUSION_WORKSPACE: workspace,
    CODEX_FUSION_ACP_COMMAND: JSON.stringify(agentArgv),
    CODEX_FUSION_STATE_DIR: ctx.fx.stateDir,
    ...extra,
  });
}

function instantEnv(): Record<string, string> {
  return { FAKE_AGENT_INSTANT: "1", INITIAL_AGENT_MODE: "read-only" };
}

function needCodex(ctx: Ctx, id: number, title: string): SectionResult | null {
  if (ctx.fx.codexUsable.ok && ctx.fx.model) return null;
  const why = ctx.fx.codexUsable.why ?? "the fake model did not start";
  return { id, title, md: `Skipped: ${why}.`, targets: [], data: { skipped: why }, notes: [] };
}

async function closeAll(...closers: Array<{ close(graceMs?: number): Promise<void> } | null | undefined>): Promise<void> {
  await Promise.all(closers.map((c) => c?.close().catch(() => undefined)));
}

// =================================================================================================
// 1. warm consult through the server vs the same prompt straight to codex-acp

export async function warmCodex(ctx: Ctx): Promise<SectionResult> {
  const id = 1;
  const title = "Warm consult: server vs direct codex-acp";
  const skip = needCodex(ctx, id, title);
  if (skip) return skip;
  const { fx, log } = ctx;
  const n = ctx.quick ? 3 : 40;
  const warmups = ctx.quick ? 1 : 3;
  const budget = new Budget(ctx.quick ? 60 : 50);
  const wsA = fx.workspace("s1a");
  const wsB = fx.workspace("s1b");
  const server = new FusionClient(target.serverJs, { cwd: wsA, env: fusionEnv(ctx, wsA, fx.codexAcpArgv(), await fx.codexHome()) });
  const direct = new AcpClient("codex-acp (direct)", fx.codexAcpArgv(), { cwd: wsB, env: fx.baseEnv(await fx.codexHome()) });
  try {
    await server.initialize();
    await direct.initialize();
    await direct.openSession(wsB);
    log(`[1] both started; ${warmups + 1} warm-up turns each`);
    await server.consult(QUESTION);
    await direct.prompt(CONSULT_PROMPT);
    for (let i = 0; i < warmups; i++) {
      await server.consult(QUESTION);
      await direct.prompt(CONSULT_PROMPT);
    }
    const a: number[] = [];
    const aInternal: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < n && !budget.expired; i++) {
      const runA = async () => {
        const r = await server.consult(QUESTION);
        a.push(r.ms);
        aInternal.push(r.value.internalMs ?? Number.NaN);
      };
      const runB = async () => b.push((await direct.prompt(CONSULT_PROMPT)).ms);
      if (i % 2 === 0) {
        await runA();
        await runB();
      } else {
        await runB();
        await runA();
      }
      if ((i + 1) % 10 === 0 || i === n - 1) log(`[1] ${i + 1}/${n}: server ${ms(a.at(-1)!)} ms, direct ${ms(b.at(-1)!)} ms`);
    }
    const serverTree = server.pid ? treeRss(server.pid) : null;
    const directTree = direct.pid ? treeRss(direct.pid) : null;
    const sa = summarize(a);
    const sb = summarize(b);
    const si = summarize(aInternal);
    const diffs = summarize(pairedDiffs(a, b));
    const md = [
      `Same fake model, same run; ${sa.n} interleaved pairs after ${warmups + 1} warm-up turns each (order alternates A-B / B-A).`,
      `Both sessions grow by one exchange per turn, so Codex's own work grows equally on both sides.`,
      "",
      table(
        ["path", ...STAT_HEADER],
        [
          ["A: MCP `tools/call consult` → dist/server.js → codex-acp", ...summaryCells(sa)],
          ["B: ACP `session/prompt` → codex-acp (same prompt text)", ...summaryCells(sb)],
          ["A, server-internal turn time (`durationMs`)", ...summaryCells(si)],
          ["paired difference A − B", ...summaryCells(diffs)],
        ],
      ),
      "",
      `**Overhead:** median ratio A/B = **${ratio(sa.median, sb.median)}**, median difference **${ms(sa.median - sb.median)} ms** (paired median ${ms(diffs.median)} ms).`,
      serverTree && directTree
        ? `RSS after the run: server + its codex-acp tree ${mb(serverTree.kb)} (${serverTree.procs.length} processes: ${serverTree.procs.map((p) => `${p.comm} ${mb(p.kb)}`).join(", ")}); direct codex-acp tree ${mb(directTree.kb)} (${directTree.procs.length} processes).`
        : "",
    ].join("\n");
    return {
      id,
      title,
      md,
      targets: [],
      data: { a, aInternal, b, serverTree, directTree },
      notes: budget.truncated ? [`stopped after ${sa.n} pairs (time budget)`] : [],
    };
  } finally {
    await closeAll(server, direct);
  }
}

// =================================================================================================
// 2. cold: server start → first answer vs codex-acp spawn → first answer

export async function coldCodex(ctx: Ctx): Promise<SectionResult> {
  const id = 2;
  const title = "Cold start to first answer: server vs direct codex-acp";
  const skip = needCodex(ctx, id, title);
  if (skip) return skip;
  const { fx, log } = ctx;
  const n = ctx.quick ? 1 : 8;
  const budget = new Budget(ctx.quick ? 45 : 50);
  const wsA = fx.workspace("s2a");
  const wsB = fx.workspace("s2b");
  const envA = fusionEnv(ctx, wsA, fx.codexAcpArgv(), await fx.codexHome());
  const envB = fx.baseEnv(await fx.codexHome());
  const a = { total: [] as number[], init: [] as number[], call: [] as number[] };
  const b = { total: [] as number[], init: [] as number[], session: [] as number[], prompt: [] as number[] };
  const runA = async () => {
    const t0 = performance.now();
    const server = new FusionClient(target.serverJs, { cwd: wsA, env: envA });
    try {
      const init = await server.initialize();
      const r = await server.consult(QUESTION);
      a.total.push(performance.now() - t0);
      a.init.push(init);
      a.call.push(r.ms);
    } finally {
      await server.close();
    }
  };
  const runB = async () => {
    const t0 = performance.now();
    const direct = new AcpClient("codex-acp (direct)", fx.codexAcpArgv(), { cwd: wsB, env: envB });
    try {
      const init = await direct.initialize();
      const s = await direct.openSession(wsB);
      const p = await direct.prompt(CONSULT_PROMPT);
      b.total.push(performance.now() - t0);
      b.init.push(init);
      b.session.push(s.newMs + s.modeMs + s.titleMs);
      b.prompt.push(p.ms);
    } finally {
      await direct.close(300);
    }
  };
  // One untimed round first: the first codex start after boot also warms the page cache (the binary is ~300 MB).
  await runA();
  await runB();
  a.total.length = a.init.length = a.call.length = 0;
  b.total.length = b.init.length = b.session.length = b.prompt.length = 0;
  for (let i = 0; i < n && !budget.expired; i++) {
    if (i % 2 === 0) {
      await runA();
      await runB();
    } else {
      await runB();
      await runA();
    }
    log(`[2] ${i + 1}/${n}: server ${ms(a.total.at(-1)!)} ms, direct ${ms(b.total.at(-1)!)} ms`);
  }
  const ta = summarize(a.total);
  const tb = summarize(b.total);
  const md = [
    `${ta.n} cold starts each, interleaved, after one untimed round. Each side keeps its own CODEX_HOME across iterations (a returning user: warm disk cache, existing state); CODEX_PATH points at the native codex on both sides.`,
    `A = spawn \`node dist/server.js\` → MCP initialize → \`tools/call consult\` answered (the server starts codex-acp lazily on this first ask).`,
    `B = spawn codex-acp → initialize → session/new → set mode read-only → set title → session/prompt answered (what the server does).`,
    "",
    table(
      ["step", ...STAT_HEADER],
      [
        ["A: spawn → first answer (total)", ...summaryCells(ta)],
        ["A: spawn → MCP initialize answered", ...summaryCells(summarize(a.init))],
        ["A: first `consult` call (incl. agent spawn + session)", ...summaryCells(summarize(a.call))],
        ["B: spawn → first answer (total)", ...summaryCells(tb)],
        ["B: spawn → ACP initialize answered", ...summaryCells(summarize(b.init))],
        ["B: session/new + set mode + set title", ...summaryCells(summarize(b.session))],
        ["B: first session/prompt", ...summaryCells(summarize(b.prompt))],
      ],
    ),
    "",
    `**Cold overhead:** median ratio A/B = **${ratio(ta.median, tb.median)}**, median difference **${ms(ta.median - tb.median)} ms**.`,
  ].join("\n");
  return { id, title, md, targets: [], data: { a, b }, notes: budget.truncated ? [`stopped after ${ta.n} rounds (time budget)`] : [] };
}

// =================================================================================================
// 3. vs OpenAI's own servers: first call and follow-up

export async function peers(ctx: Ctx): Promise<SectionResult> {
  const id = 3;
  const title = "Against OpenAI's own entry points: first call and follow-up";
  const skip = needCodex(ctx, id, title);
  if (skip) return skip;
  const { fx, log } = ctx;
  const native = fx.native!;
  const cycles = ctx.quick ? 1 : 5;
  const followUps = ctx.quick ? 2 : 4;
  const budget = new Budget(ctx.quick ? 60 : 50);

  // Does this codex still ship `codex mcp-server`? (0.166 does not: the word is read as a prompt.)
  const help = await runOnce([native, "--help"], { cwd: fx.scratch("help"), env: fx.baseEnv(), timeoutMs: 15_000 });
  const hasMcpServer = /^\s+mcp-server\s/m.test(help.stdout);

  type Peer = "fusion" | "appserver" | "exec";
  const names: Record<Peer, string> = {
    fusion: "Codex Fusion (MCP → server → codex-acp → app-server)",
    appserver: "`codex app-server` direct (JSON-RPC, OpenAI's native server)",
    exec: "`codex exec --json` / `codex exec resume` (one process per call)",
  };
  const first: Record<Peer, number[]> = { fusion: [], appserver: [], exec: [] };
  const total: Record<Peer, number[]> = { fusion: [], appserver: [], exec: [] };
  const ready: Record<Peer, number[]> = { fusion: [], appserver: [], exec: [] };
  const follow: Record<Peer, number[]> = { fusion: [], appserver: [], exec: [] };
  const execAnswer: number[] = [];

  const homes = { fusion: await fx.codexHome(), appserver: await fx.codexHome(), exec: await fx.codexHome() };
  const ws = { fusion: fx.workspace("s3f"), appserver: fx.workspace("s3s"), exec: fx.workspace("s3e") };
  const execEnv = fx.baseEnv(homes.exec);
  const answered = (out: string) => /"type":"turn\.completed"/.test(out);

  for (let c = 0; c < cycles && !budget.expired; c++) {
    let fusion: FusionClient | null = null;
    let app: AppServerClient | null = null;
    let execThread: string | null = null;
    try {
      const order: Peer[] = (["fusion", "appserver", "exec"] as Peer[]).map((_, i, arr) => arr[(i + c) % arr.length]!);
      const startOne: Record<Peer, () => Promise<void>> = {
        fusion: async () => {
          const t0 = performance.now();
          fusion = new FusionClient(target.serverJs, { cwd: ws.fusion, env: fusionEnv(ctx, ws.fusion, fx.codexAcpArgv(), homes.fusion) });
          ready.fusion.push(await fusion.initialize());
          const r = await fusion.consult(QUESTION);
          first.fusion.push(r.ms);
          total.fusion.push(performance.now() - t0);
        },
        appserver: async () => {
          const t0 = performance.now();
          app = new AppServerClient(native, { cwd: ws.appserver, env: fx.baseEnv(homes.appserver) });
          ready.appserver.push(await app.initialize());
          const t1 = performance.now();
          await app.startThread(ws.appserver);
          await app.turn(CONSULT_PROMPT);
          first.appserver.push(performance.now() - t1);
          total.appserver.push(performance.now() - t0);
        },
        exec: async () => {
          const r = await runOnce([native, "exec", "--json", "-s", "read-only", "--skip-git-repo-check", CONSULT_PROMPT], {
            cwd: ws.exec,
            env: execEnv,
            timeoutMs: 60_000,
            answerWhen: answered,
          });
          const m = /"thread_id":"([^"]+)"/.exec(r.stdout);
          if (r.code !== 0 || !m || !/VERDICT:/.test(r.stdout)) throw new Error(`codex exec failed (${r.code}): ${r.stderr.slice(-400)}`);
          execThread = m[1]!;
          first.exec.push(r.ms);
          total.exec.push(r.ms);
          ready.exec.push(Number.NaN);
          execAnswer.push(r.answerMs ?? Number.NaN);
        },
      };
      const followOne: Record<Peer, () => Promise<void>> = {
        fusion: async () => {
          follow.fusion.push((await fusion!.consult(FOLLOW_UP, { tool: "reply" })).ms);
        },
        appserver: async () => {
          follow.appserver.push((await app!.turn(REPLY_PROMPT)).ms);
        },
        exec: async () => {
          const r = await runOnce([native, "exec", "resume", "--json", "-c", 'sandbox_mode="read-only"', "--skip-git-repo-check", execThread!, REPLY_PROMPT], {
            cwd: ws.exec,
            env: execEnv,
            timeoutMs: 60_000,
            answerWhen: answered,
          });
          if (r.code !== 0 || !/VERDICT:/.test(r.stdout)) throw new Error(`codex exec resume failed (${r.code}): ${r.stderr.slice(-400)}`);
          follow.exec.push(r.ms);
        },
      };
      for (const p of order) await startOne[p]();
      for (let f = 0; f < followUps; f++) for (const p of order) await followOne[p]();
      log(`[3] cycle ${c + 1}/${cycles}: first fusion ${ms(first.fusion.at(-1)!)} / app-server ${ms(first.appserver.at(-1)!)} / exec ${ms(first.exec.at(-1)!)} ms`);
    } finally {
      await closeAll(fusion, app);
    }
  }
  const peersList: Peer[] = ["fusion", "appserver", "exec"];
  const md = [
    hasMcpServer
      ? "Note: this codex has `codex mcp-server`, but this runner measures the app-server and exec peers."
      : `**\`codex mcp-server\` does not exist in ${help.stdout ? "this codex" : "codex"} (${fx.native ? "0.166" : "?"}): \`codex mcp-server\` is parsed as an interactive prompt ("stdin is not a terminal"), and the binary has no \`codex-reply\` tool. ` +
        "The closest OpenAI peers are measured instead: the native `codex app-server` that codex-acp wraps (long-lived, JSON-RPC: thread/start + turn/start, follow-up = another turn/start), and `codex exec` / `codex exec resume <thread>` (a process per call, how CLI-based bridges consult Codex).**",
    "",
    `${cycles} cycles; in each, every contender starts fresh (order rotates), answers a first call, then ${followUps} follow-ups, interleaved across contenders. Same fake model, separate CODEX_HOMEs, CODEX_PATH set for codex-acp.`,
    "First call: from the request on an initialized server (MCP tools/call; app-server thread/start + turn/start) or the process spawn (exec), to the answer. Fusion's first call includes starting codex-acp (lazy).",
    "",
    table(
      ["contender", "spawn → ready (median ms)", "first call median ms", "first call p90", "spawn → first answer median ms", "follow-up n", "follow-up median ms", "follow-up p90"],
      peersList.map((p) => {
        const f = summarize(first[p]);
        const fu = summarize(follow[p]);
        return [names[p], ms(median(ready[p])), ms(f.median), ms(f.p90), ms(median(total[p])), fu.n, ms(fu.median), ms(fu.p90)];
      }),
    ),
    "",
    `Follow-up ratio Fusion / app-server direct: **${ratio(median(follow.fusion), median(follow.appserver))}** (${ms(median(follow.fusion) - median(follow.appserver))} ms); Fusion / exec resume: **${ratio(median(follow.fusion), median(follow.exec))}**. ` +
      `\`codex exec\` printed its answer ${ms(median(execAnswer))} ms after spawn (median) and exited at ${ms(median(first.exec))} ms.`,
  ].join("\n");
  return {
    id,
    title,
    md,
    targets: [],
    data: { hasMcpServer, first, total, ready, follow, execAnswer },
    notes: budget.truncated ? ["stopped early (time budget)"] : [],
  };
}

// =================================================================================================
// 4. warm comparison with the instant fake agent: the server's own overhead

export async function warmInstant(ctx: Ctx): Promise<SectionResult> {
  const id = 4;
  const title = "Warm consult with the instant fake agent: the server's own overhead";
  const { fx, log } = ctx;
  const n = ctx.quick ? 10 : 300;
  const warmups = ctx.quick ? 5 : 50;
  const budget = new Budget(ctx.quick ? 30 : 30);
  const wsA = fx.workspace("s4a");
  const wsB = fx.workspace("s4b");
  const server = new FusionClient(target.serverJs, { cwd: wsA, env: fusionEnv(ctx, wsA, fx.fakeAgentArgv(), instantEnv()) });
  const direct = new AcpClient("fake agent (direct)", fx.fakeAgentArgv(), { cwd: wsB, env: fx.baseEnv(instantEnv()) });
  try {
    await server.initialize();
    await direct.initialize();
    await direct.openSession(wsB);
    for (let i = 0; i < warmups; i++) {
      await server.consult(QUESTION);
      await server.consult(QUESTION, { progress: true });
      await direct.prompt(CONSULT_PROMPT);
      await server.status();
    }
    log(`[4] warmed up (${warmups} rounds); ${n} interleaved rounds`);
    const a: number[] = [];
    const aInternal: number[] = [];
    const ap: number[] = [];
    const apProgress: number[] = [];
    const b: number[] = [];
    const st: number[] = [];
    let resultBytes = 0;
    for (let i = 0; i < n && !budget.expired; i++) {
      const steps: Array<() => Promise<void>> = [
        async () => {
          const r: Timed<ToolAnswer> = await server.consult(QUESTION);
          a.push(r.ms);
          aInternal.push(r.value.internalMs ?? Number.NaN);
          resultBytes = r.value.bytes;
        },
        async () => {
          const r = await server.consult(QUESTION, { progress: true });
          ap.push(r.ms);
          apProgress.push(r.value.progressCount);
        },
        async () => {
          b.push((await direct.prompt(CONSULT_PROMPT)).ms);
        },
        async () => {
          st.push((await server.call("status", {})).ms);
        },
      ];
      for (let k = 0; k < steps.length; k++) await steps[(k + i) % steps.length]!();
      if ((i + 1) % 100 === 0) log(`[4] ${i + 1}/${n}: median server ${ms(median(a))} ms, direct ${ms(median(b))} ms`);
    }
    const sa = summarize(a);
    const sp = summarize(ap);
    const sb = summarize(b);
    const d = summarize(pairedDiffs(a, b));
    const dp = summarize(pairedDiffs(ap, b));
    const overhead = sa.median - sb.median;
    const md = [
      `${sa.n} interleaved rounds after ${warmups} warm-up rounds; each round runs the four calls below in rotating order. Agent: \`out/fake-agent.js\` with FAKE_AGENT_INSTANT=1 (one chunk, no delays).`,
      "",
      table(
        ["path", ...STAT_HEADER],
        [
          ["A: MCP `consult` → server → fake agent", ...summaryCells(sa)],
          ["A′: same with a progressToken (progress notifications on)", ...summaryCells(sp)],
          ["B: ACP `session/prompt` → fake agent (same prompt)", ...summaryCells(sb)],
          ["A − B paired", ...summaryCells(d)],
          ["A′ − B paired", ...summaryCells(dp)],
          ["A: server-internal turn time (`durationMs`, integer ms)", ...summaryCells(summarize(aInternal))],
          ["MCP `status` tool (no agent involved): MCP floor", ...summaryCells(summarize(st))],
        ],
      ),
      "",
      `**Server overhead (median A − median B): ${ms(overhead)} ms** (paired median ${ms(d.median)} ms; ratio ${ratio(sa.median, sb.median)}); with progress on: ${ms(sp.median - sb.median)} ms (${ms(median(apProgress))} progress notifications per call, median). ` +
        `A consult result is ${(resultBytes / 1024).toFixed(1)} KB of JSON on the wire (text + structuredContent).`,
    ].join("\n");
    return {
      id,
      title,
      md,
      targets: [check("warm overhead vs direct ACP (instant fake agent)", "≤ 2 ms median", `${ms(overhead)} ms`, overhead <= 2)],
      data: { a, aInternal, ap, apProgress, b, status: st, resultBytes },
      notes: budget.truncated ? [`stopped after ${sa.n} rounds (time budget)`] : [],
    };
  } finally {
    await closeAll(server, direct);
  }
}

// =================================================================================================
// 5. readiness: spawn → initialize answered

const NODE_FLOOR = `process.stdin.setEncoding("utf8");let b="";process.stdin.on("data",c=>{b+=c;const i=b.indexOf("\\n");if(i<0)return;const m=JSON.parse(b.slice(0,i));process.stdout.write(JSON.stringify({jsonrpc:"2.0",id:m.id,result:{protocolVersion:m.params.protocolVersion,capabilities:{},serverInfo:{name:"floor",version:"0"}}})+"\\n")});`;

export async function readiness(ctx: Ctx): Promise<SectionResult> {
  const id = 5;
  const title = "Server readiness: spawn → MCP initialize answered";
  const { fx, log } = ctx;
  const n = ctx.quick ? 3 : 30;
  const budget = new Budget(ctx.quick ? 20 : 30);
  const ws = fx.workspace("s5");
  const env = fusionEnv(ctx, ws, fx.fakeAgentArgv(), instantEnv());
  const server: number[] = [];
  const toolsList: number[] = [];
  const floor: number[] = [];
  const runServer = async () => {
    const t0 = performance.now();
    const c = new FusionClient(target.serverJs, { cwd: ws, env });
    try {
      await c.initialize();
      server.push(performance.now() - t0);
      const t1 = performance.now();
      await c.peer.request("tools/list", {});
      toolsList.push(performance.now() - t1);
    } finally {
      await c.close(1000);
    }
  };
  const runFloor = async () => {
    const t0 = performance.now();
    const peer = new RpcPeer("bare node", [process.execPath, "-e", NODE_FLOOR], { cwd: ws, env: fx.baseEnv() });
    try {
      await peer.request("initialize", { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "b", version: "0" } }, 10_000);
      floor.push(performance.now() - t0);
    } finally {
      await peer.close(500);
    }
  };
  await runServer(); // untimed: page cache
  server.length = toolsList.length = 0;
  for (let i = 0; i < n && !budget.expired; i++) {
    if (i % 2 === 0) {
      await runServer();
      await runFloor();
    } else {
      await runFloor();
      await runServer();
    }
  }
  const s = summarize(server);
  const f = summarize(floor);
  log(`[5] readiness median ${ms(s.median)} ms (bare node ${ms(f.median)} ms)`);
  const md = [
    `${s.n} spawns each, interleaved with a bare-Node floor (\`node -e\` answering initialize by hand), after one untimed spawn.`,
    "",
    table(
      ["process", ...STAT_HEADER],
      [
        ["`node dist/server.js`: spawn → initialize answered", ...summaryCells(s)],
        ["bare `node -e` answering initialize (floor)", ...summaryCells(f)],
        ["server: then `tools/list` (9 tools, JSON Schemas)", ...summaryCells(summarize(toolsList))],
      ],
    ),
    "",
    `The server adds **${ms(s.median - f.median)} ms** over bare Node start-up (loading the bundle, building zod schemas, MCP SDK set-up).`,
  ].join("\n");
  return {
    id,
    title,
    md,
    targets: [check("readiness (spawn → initialize), median", "≤ 150 ms", `${ms(s.median)} ms`, s.median <= 150)],
    data: { server, floor, toolsList },
    notes: budget.truncated ? ["stopped early (time budget)"] : [],
  };
}

// =================================================================================================
// 6. RSS: idle, after the agent started, and over 1000 turns

export async function memory(ctx: Ctx): Promise<SectionResult> {
  const id = 6;
  const title = "Server memory (VmRSS): idle, agent started, 1000 turns";
  const { fx, log } = ctx;
  const turns = ctx.quick ? 50 : 1000;
  const every = ctx.quick ? 10 : 100;
  const budget = new Budget(ctx.quick ? 30 : 50);
  const wsA = fx.workspace("s6a");
  const wsB = fx.workspace("s6b");
  const server = new FusionClient(target.serverJs, { cwd: wsA, env: fusionEnv(ctx, wsA, fx.fakeAgentArgv(), instantEnv()) });
  // A second, instrumented server (forced GC + heap figures on SIGUSR2) tells a leak from uncollected garbage.
  const probed = new FusionClient(target.serverJs, {
    cwd: wsB,
    env: fusionEnv(ctx, wsB, fx.fakeAgentArgv(), instantEnv()),
    name: "instrumented server",
    nodeArgs: ["--expose-gc", "-r", path.join(__dirname, "memprobe.cjs")],
  });
  const heapAfterGc = async (): Promise<{ heapUsed: number; heapTotal: number } | null> => {
    const before = probed.peer.stderr(1_000_000).length;
    try {
      process.kill(probed.pid!, "SIGUSR2");
    } catch {
      return null;
    }
    for (let i = 0; i < 40; i++) {
      await sleep(25);
      const m = /MEMPROBE (\{.*\})/.exec(probed.peer.stderr(1_000_000).slice(before));
      if (m) return JSON.parse(m[1]!);
    }
    return null;
  };
  try {
    const pid = server.pid!;
    await Promise.all([server.initialize(), probed.initialize()]);
    const atInit = memStatus(pid);
    await sleep(500);
    const idle = memStatus(pid);
    const idleHeap = await heapAfterGc();
    const first = await server.consult(QUESTION);
    await probed.consult(QUESTION);
    await sleep(200);
    const afterAgent = memStatus(pid);
    const tree = treeRss(pid);
    const agentKb = tree.kb - (afterAgent?.rss ?? 0);
    const firstHeap = await heapAfterGc();
    const samples: { turn: number; mem: ReturnType<typeof memStatus>; heap: { heapUsed: number } | null; medianMs: number }[] = [
      { turn: 1, mem: afterAgent, heap: firstHeap, medianMs: first.ms },
    ];
    let window: number[] = [];
    let done = 1;
    for (let t = 2; t <= turns && !budget.expired; t++) {
      window.push((await server.consult(QUESTION)).ms);
      await probed.consult(QUESTION);
      done = t;
      if (t % every === 0) {
        samples.push({ turn: t, mem: memStatus(pid), heap: await heapAfterGc(), medianMs: median(window) });
        window = [];
        if (t % (every * 2) === 0 || t === turns) log(`[6] ${t}/${turns} turns: RSS ${mb(samples.at(-1)!.mem?.rss)}`);
      }
    }
    await sleep(200);
    const final = memStatus(pid);
    const base = afterAgent?.rss ?? Number.NaN;
    const growth = (((final?.rss ?? Number.NaN) - base) / base) * 100;
    const hundred = samples.find((s) => s.turn === every);
    const lateGrowth = hundred?.mem ? (((final?.rss ?? Number.NaN) - hundred.mem.rss) / hundred.mem.rss) * 100 : Number.NaN;
    const h1 = samples[0]?.heap?.heapUsed ?? Number.NaN;
    const hN = samples.at(-1)?.heap?.heapUsed ?? Number.NaN;
    const heapSlope = (hN - (hundred?.heap?.heapUsed ?? h1)) / Math.max(1, done - (hundred ? every : 1)) / 1024;
    const idleOk = (idle?.rss ?? Infinity) <= 60 * 1024 && (afterAgent?.rss ?? Infinity) <= 60 * 1024;
    const memCells = (m: ReturnType<typeof memStatus>) => [mb(m?.rss), mb(m?.anon), mb(m?.file), mb(m?.pss)];
    const md = [
      `One server with the instant fake agent, ${done} \`consult\` turns; VmRSS of the server process only (from /proc/<pid>/status), split into RssAnon (private: V8 heap, code, buffers) and RssFile (file-backed, mostly pages of the \`node\` binary, shared with every other Node process); PSS (from smaps_rollup) charges shared pages pro rata. ` +
        `A second, instrumented server (\`--expose-gc -r test/bench/memprobe.cjs\`) runs the same turns, interleaved, and reports its live heap after a forced full GC.`,
      "",
      table(
        ["moment", "VmRSS", "RssAnon", "RssFile", "PSS"],
        [
          ["right after initialize", ...memCells(atInit)],
          ["idle, 500 ms after initialize (agent not started)", ...memCells(idle)],
          ["after the first consult (agent started)", ...memCells(afterAgent)],
          [`after ${done} turns`, ...memCells(final)],
          ["(the fake agent process, for reference)", mb(agentKb), "", "", ""],
        ],
      ),
      "",
      table(
        ["after turn", "VmRSS", "RssAnon", "RssFile", "PSS", "live heap after GC (instrumented server)", "median turn ms since the previous row"],
        samples.map((s) => [s.turn, ...memCells(s.mem), s.heap ? mb(s.heap.heapUsed / 1024) : "—", ms(s.medianMs)]),
      ),
      "",
      `Growth from "agent started" to turn ${done}: **${pct(growth)}** (from turn ${every}: ${pct(lateGrowth)}). ` +
        `Live heap after a full GC: ${idleHeap ? mb(idleHeap.heapUsed / 1024) : "—"} idle, ${mb(h1 / 1024)} after turn 1, ${mb(hN / 1024)} after turn ${done} (${heapSlope.toFixed(2)} KB per turn after turn ${hundred ? every : 1}).`,
    ].join("\n");
    return {
      id,
      title,
      md,
      targets: [
        check("RSS idle (after initialize / after the agent started)", "≤ 60 MB", `${mb(idle?.rss)} / ${mb(afterAgent?.rss)}`, idleOk),
        check(`RSS growth over ${done} turns`, "≤ 10 %", pct(growth), growth <= 10),
      ],
      data: { atInit, idle, afterAgent, final, agentKb, samples, turns: done, idleHeap, heapSlopeKbPerTurn: heapSlope },
      notes: budget.truncated ? [`stopped after ${done} turns (time budget)`] : [],
    };
  } finally {
    await closeAll(server, probed);
  }
}

// =================================================================================================
// 7. 10 workspaces × 20 turns in parallel

export async function parallel(ctx: Ctx): Promise<SectionResult> {
  const id = 7;
  const title = "Parallel workspaces: 10 servers × 20 turns";
  const { fx, log } = ctx;
  const workspaces = ctx.quick ? 2 : 10;
  const turns = ctx.quick ? 3 : 20;
  const reps = ctx.quick ? 1 : 3;
  const budget = new Budget(ctx.quick ? 30 : 30);
  const variants: { label: string; env: Record<string, string> }[] = [
    { label: "instant fake agent", env: instantEnv() },
    { label: "default fake agent (3 chunks, 5 ms apart)", env: { INITIAL_AGENT_MODE: "read-only" } },
  ];
  const rows: (string | number)[][] = [];
  const data: Record<string, unknown> = {};
  const targets: TargetCheck[] = [];
  for (const variant of variants) {
    const servers: FusionClient[] = [];
    try {
      for (let w = 0; w < workspaces; w++) {
        const ws = fx.workspace(`s7-${w}`);
        servers.push(new FusionClient(target.serverJs, { cwd: ws, env: fusionEnv(ctx, ws, fx.fakeAgentArgv(), variant.env), name: `server ${w}` }));
      }
      await Promise.all(servers.map((s) => s.initialize()));
      await Promise.all(servers.map((s) => s.consult(QUESTION))); // agents started
      const single: { wall: number; lat: number[] }[] = [];
      const par: { wall: number; lat: number[]; answered: number }[] = [];
      for (let r = 0; r < reps && !budget.expired; r++) {
        const runSingle = async () => {
          const lat: number[] = [];
          const t0 = performance.now();
          for (let t = 0; t < turns; t++) lat.push((await servers[0]!.consult(QUESTION)).ms);
          single.push({ wall: performance.now() - t0, lat });
        };
        const runParallel = async () => {
          const lat: number[] = [];
          let answered = 0;
          const t0 = performance.now();
          await Promise.all(
            servers.map(async (s) => {
              for (let t = 0; t < turns; t++) {
                try {
                  lat.push((await s.consult(QUESTION)).ms);
                  answered += 1;
                } catch {
                  /* counted as unanswered */
                }
              }
            }),
          );
          par.push({ wall: performance.now() - t0, lat, answered });
        };
        if (r % 2 === 0) {
          await runSingle();
          await runParallel();
        } else {
          await runParallel();
          await runSingle();
        }
      }
      const singleTput = median(single.map((s) => (turns / s.wall) * 1000));
      const parTput = median(par.map((p) => (workspaces * turns / p.wall) * 1000));
      const answered = Math.min(...par.map((p) => p.answered));
      const sl = summarize(single.flatMap((s) => s.lat));
      const pl = summarize(par.flatMap((p) => p.lat));
      rows.push([
        variant.label,
        `1 × ${turns}`,
        `${turns}/${turns}`,
        ms(median(single.map((s) => s.wall))),
        singleTput.toFixed(0),
        ms(sl.median),
        ms(sl.p90),
        "1.00×",
      ]);
      rows.push([
        variant.label,
        `${workspaces} × ${turns}`,
        `${answered}/${workspaces * turns}`,
        ms(median(par.map((p) => p.wall))),
        parTput.toFixed(0),
        ms(pl.median),
        ms(pl.p90),
        `${(parTput / singleTput).toFixed(2)}×`,
      ]);
      log(`[7] ${variant.label}: single ${singleTput.toFixed(0)} turns/s, ${workspaces} parallel ${parTput.toFixed(0)} turns/s, answered ${answered}/${workspaces * turns}`);
      data[variant.label] = { single, par };
      targets.push(check(`parallel, ${variant.label}: all answered`, `${workspaces * turns}/${workspaces * turns}`, `${answered}/${workspaces * turns}`, answered === workspaces * turns));
    } finally {
      await Promise.all(servers.map((s) => s.close().catch(() => undefined)));
    }
  }
  const md = [
    `${workspaces} server processes, each with its own workspace and its own fake agent (${workspaces * 2} Node processes on ${availableParallelism()} cores). Agents are started before timing. ` +
      `Each run: every server answers ${turns} consults one after another, all servers at once; compared with one server doing ${turns}. ${reps} repetitions (alternating order), medians.`,
    "",
    table(["agent", "workspaces × turns", "answered", "wall ms", "turns/s", "turn median ms", "turn p90 ms", "throughput vs 1"], rows),
  ].join("\n");
  return { id, title, md, targets, data, notes: budget.truncated ? ["stopped early (time budget)"] : [] };
}

// =================================================================================================
// 8. codex-acp's own start, with and without CODEX_PATH

export async function agentStart(ctx: Ctx): Promise<SectionResult> {
  const id = 8;
  const title = "codex-acp start-up: with and without CODEX_PATH";
  const skip = needCodex(ctx, id, title);
  if (skip) return skip;
  const { fx, log } = ctx;
  const n = ctx.quick ? 1 : 6;
  const budget = new Budget(ctx.quick ? 30 : 40);
  const ws = fx.workspace("s8");
  const homes = { with: await fx.codexHome(), without: await fx.codexHome({ codexPath: false }) };
  type V = "with" | "without";
  const res: Record<V, { init: number[]; session: number[]; prompt: number[]; rssInit: number[]; rssTurn: number[]; procs: string[] }> = {
    with: { init: [], session: [], prompt: [], rssInit: [], rssTurn: [], procs: [] },
    without: { init: [], session: [], prompt: [], rssInit: [], rssTurn: [], procs: [] },
  };
  const one = async (v: V) => {
    const t0 = performance.now();
    const c = new AcpClient(`codex-acp (${v} CODEX_PATH)`, fx.codexAcpArgv(), { cwd: ws, env: fx.baseEnv(homes[v]) });
    try {
      await c.initialize();
      res[v].init.push(performance.now() - t0);
      await sleep(100);
      res[v].rssInit.push(treeRss(c.pid!).kb);
      const s = await c.openSession(ws);
      res[v].session.push(s.newMs);
      res[v].prompt.push((await c.prompt(CONSULT_PROMPT)).ms);
      await sleep(100);
      const tree = treeRss(c.pid!);
      res[v].rssTurn.push(tree.kb);
      const groups = new Map<string, { n: number; kb: number }>();
      for (const p of tree.procs) {
        const g = groups.get(p.comm) ?? { n: 0, kb: 0 };
        g.n += 1;
        g.kb += p.kb;
        groups.set(p.comm, g);
      }
      res[v].procs = [...groups].map(([comm, g]) => `${g.n} × ${comm} ${mb(g.kb)}`);
    } finally {
      await c.close(300);
    }
  };
  await one("with"); // untimed warm-up of the page cache
  await one("without");
  for (const v of ["with", "without"] as V[]) for (const k of ["init", "session", "prompt", "rssInit", "rssTurn"] as const) res[v][k].length = 0;
  for (let i = 0; i < n && !budget.expired; i++) {
    const order: V[] = i % 2 === 0 ? ["with", "without"] : ["without", "with"];
    for (const v of order) await one(v);
    log(`[8] ${i + 1}/${n}: init with ${ms(res.with.init.at(-1)!)} ms, without ${ms(res.without.init.at(-1)!)} ms`);
  }
  const w = summarize(res.with.init);
  const wo = summarize(res.without.init);
  const md = [
    `${w.n} starts each, interleaved, after one untimed start of each. RSS = sum of VmRSS over codex-acp's process tree (its children stay in its tree), 100 ms after the step.`,
    "",
    table(
      ["", "spawn → initialize median ms", "p90", "session/new median ms", "first prompt median ms", "tree RSS after initialize", "tree RSS after 1 turn", "processes after 1 turn"],
      (["with", "without"] as V[]).map((v) => {
        const s = summarize(res[v].init);
        return [
          v === "with" ? "CODEX_PATH = native codex" : "no CODEX_PATH (node codex.js → native)",
          ms(s.median),
          ms(s.p90),
          ms(median(res[v].session)),
          ms(median(res[v].prompt)),
          mb(median(res[v].rssInit)),
          mb(median(res[v].rssTurn)),
          res[v].procs.join(", "),
        ];
      }),
    ),
    "",
    `CODEX_PATH saves **${ms(wo.median - w.median)} ms** at start (median) and **${mb(median(res.without.rssTurn) - median(res.with.rssTurn))}** of RSS.`,
  ].join("\n");
  return { id, title, md, targets: [], data: res, notes: budget.truncated ? ["stopped early (time budget)"] : [] };
}

export const SECTIONS: Array<{ id: number; name: string; run: (ctx: Ctx) => Promise<SectionResult> }> = [
  { id: 1, name: "warm codex-acp", run: warmCodex },
  { id: 2, name: "cold codex-acp", run: coldCodex },
  { id: 3, name: "OpenAI peers", run: peers },
  { id: 4, name: "warm instant fake agent", run: warmInstant },
  { id: 5, name: "readiness", run: readiness },
  { id: 6, name: "memory", run: memory },
  { id: 7, name: "parallel", run: parallel },
  { id: 8, name: "codex-acp start", run: agentStart },
  { id: 9, name: "extension", run: (ctx) => extensionCosts(ctx) },
  { id: 10, name: "client view", run: clientViewSection },
  { id: 11, name: "parallel asks", run: parallelTurnSection },
  { id: 12, name: "50k chunks", run: longStreamSection },
  { id: 14, name: "delegate copy", run: copySection },
];

