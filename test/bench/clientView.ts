// What a client sees: the MCP SDK's own Client over stdio (as Claude Code and VS Code use it) → an MCP server → the
// instant fake agent, against the ACP SDK's own client → the same fake agent. Both sides pay their SDK's costs
// (the MCP client validates structuredContent against the tool's outputSchema; the ACP client validates each
// update), so the difference is what the server adds to a consult as a person's client experiences it.
//
// Runs as a bench section (§10) and standalone, where it can also measure another MCP server by its command line
// (e.g. a peer server, side by side in the same run):
//   node --import tsx test/bench/clientView.ts [--rounds 3] [--per-round 40] [--peer '<command…>' --peer-label L]…
// (--peer and --peer-label may be repeated; a peer gets CODEX_FUSION_ACP_COMMAND as one space-separated line.)
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { hermeticEnv, isolatedHome } from "../fixtures/home";
import { memStatus, noteTree, sleep } from "./procs";
import { mb, median, ms } from "./stats";
import { FAKE_AGENT_JS, ROOT } from "./setup";
import { buildPrompt } from "../../server/prompts";
import { bareAcpClient } from "./bareAcpClient";

export const CLIENT_VIEW_QUESTION = "Should the config loader cache the parsed file in memory, or re-read it on every call? Answer briefly.";

export interface Contender {
  label: string;
  /** What one consult costs end to end, as the client measures it. */
  consult(): Promise<number>;
  /** The server process (for its RSS), if any. */
  pid(): number | undefined;
  close(): Promise<void>;
}

/** An MCP server driven by the MCP SDK's Client over stdio: `tools/list` once (clients do), then `consult` calls. */
export async function mcpContender(label: string, argv: string[], options: { cwd: string; env: Record<string, string> }): Promise<Contender> {
  const transport = new StdioClientTransport({ command: argv[0]!, args: argv.slice(1), cwd: options.cwd, env: options.env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const client = new Client({ name: "codex-fusion-bench", version: "1.0.0" });
  await client.connect(transport);
  noteTree(transport.pid ?? undefined);
  await client.listTools();
  return {
    label,
    async consult() {
      const t0 = performance.now();
      const result = await client.callTool({ name: "consult", arguments: { question: CLIENT_VIEW_QUESTION } }, undefined, { timeout: 60_000 });
      const took = performance.now() - t0;
      const text = (result.content as { type: string; text?: string }[]).map((c) => c.text ?? "").join("\n");
      if (result.isError || !/VERDICT:/.test(text)) throw new Error(`${label}: consult did not answer: ${text.slice(0, 300)} | stderr: ${stderr.slice(-600)}`);
      return took;
    },
    pid: () => transport.pid ?? undefined,
    async close() {
      await client.close().catch(() => undefined);
    },
  };
}

/** The fake agent driven by the ACP SDK's client: the same set-up the server does, then `session/prompt`. */
export async function acpContender(label: string, options: { cwd: string; env: Record<string, string> }): Promise<Contender> {
  const child: ChildProcess = spawn(process.execPath, [FAKE_AGENT_JS], { cwd: options.cwd, env: options.env, stdio: ["pipe", "pipe", "ignore"] });
  noteTree(child.pid);
  const acpClient = bareAcpClient(child, "codex-fusion-bench");
  const sessionId = await acpClient.openSession(options.cwd, { readOnly: true });
  const text = buildPrompt("consult", { question: CLIENT_VIEW_QUESTION });
  return {
    label,
    async consult() {
      const t0 = performance.now();
      const { stopReason, answer } = await acpClient.prompt(sessionId, text);
      const took = performance.now() - t0;
      if (stopReason !== "end_turn" || !/VERDICT:/.test(answer)) throw new Error(`${label}: prompt ended ${stopReason}: ${answer.slice(0, 200)}`);
      return took;
    },
    pid: () => child.pid,
    async close() {
      acpClient.close();
      child.kill("SIGTERM");
    },
  };
}

export interface ClientViewResult {
  rounds: { medians: Record<string, number> }[];
  /** Per contender other than the baseline: the median over rounds of (round median − baseline's round median). */
  added: Record<string, number>;
  rssKb: Record<string, number | null>;
  perRound: number;
}

/** `rounds` rounds of `perRound` warm consults, contenders interleaved in rotating order; the first is the baseline. */
export async function measureClientView(contenders: Contender[], options: { rounds: number; perRound: number; warmup: number; log?: (m: string) => void }): Promise<ClientViewResult> {
  for (let i = 0; i < options.warmup; i++) for (const c of contenders) await c.consult();
  const rounds: ClientViewResult["rounds"] = [];
  for (let r = 0; r < options.rounds; r++) {
    const samples = new Map<string, number[]>(contenders.map((c) => [c.label, []]));
    for (let i = 0; i < options.perRound; i++) {
      for (let k = 0; k < contenders.length; k++) {
        const c = contenders[(k + i + r) % contenders.length]!;
        samples.get(c.label)!.push(await c.consult());
      }
    }
    const medians = Object.fromEntries([...samples].map(([label, xs]) => [label, median(xs)]));
    rounds.push({ medians });
    options.log?.(`[client view] round ${r + 1}/${options.rounds}: ${Object.entries(medians).map(([l, m]) => `${l} ${ms(m)} ms`).join(", ")}`);
  }
  await sleep(200);
  const base = contenders[0]!.label;
  const added: Record<string, number> = {};
  for (const c of contenders.slice(1)) added[c.label] = median(rounds.map((round) => round.medians[c.label]! - round.medians[base]!));
  const rssKb = Object.fromEntries(contenders.map((c) => [c.label, c.pid() ? (memStatus(c.pid()!)?.rss ?? null) : null]));
  return { rounds, added, rssKb, perRound: options.perRound };
}

export function instantAgentEnv(home: ReturnType<typeof isolatedHome>, workspace: string, extra: Record<string, string> = {}): Record<string, string> {
  return hermeticEnv(home, { FAKE_AGENT_INSTANT: "1", INITIAL_AGENT_MODE: "read-only", CODEX_FUSION_WORKSPACE: workspace, ...extra });
}

// ── standalone ───────────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string" },
      "per-round": { type: "string" },
      warmup: { type: "string" },
      server: { type: "string" },
      peer: { type: "string", multiple: true },
      "peer-label": { type: "string", multiple: true },
      "peer-agent-command": { type: "string" },
    },
  });
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-clientview-"));
  const home = isolatedHome(scratch);
  const ws = mkdtempSync(path.join(os.tmpdir(), "bench-clientview-ws-"));
  const agentArgv = [process.execPath, FAKE_AGENT_JS];
  const env = instantAgentEnv(home, ws, { CODEX_FUSION_STATE_DIR: path.join(scratch, "state") });
  const contenders: Contender[] = [];
  try {
    contenders.push(await acpContender("direct ACP", { cwd: ws, env }));
    const serverJs = path.resolve(values.server ?? path.join(ROOT, "dist/server.js"));
    contenders.push(await mcpContender("this server", [process.execPath, serverJs], { cwd: ws, env: { ...env, CODEX_FUSION_ACP_COMMAND: JSON.stringify(agentArgv) } }));
    for (const [i, peer] of (values.peer ?? []).entries()) {
      // A peer that splits its agent command on spaces gets it that way (a JSON argv is read as one too).
      const peerAgent = values["peer-agent-command"] ?? (peer.startsWith(process.execPath) ? JSON.stringify(agentArgv) : agentArgv.join(" "));
      contenders.push(await mcpContender(values["peer-label"]?.[i] ?? `peer ${i + 1}`, peer.split(/\s+/), { cwd: ws, env: { ...env, CODEX_FUSION_ACP_COMMAND: peerAgent } }));
    }
    const result = await measureClientView(contenders, {
      rounds: Number(values.rounds ?? 3),
      perRound: Number(values["per-round"] ?? 40),
      warmup: Number(values.warmup ?? 10),
      log: (m) => process.stderr.write(`${m}\n`),
    });
    process.stdout.write(`\n${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model} · Node ${process.version}\n\n| contender | round medians (ms) | added over direct ACP (median of rounds) | server VmRSS after the run |\n|---|---|---:|---:|\n`);
    for (const c of contenders) {
      const medians = result.rounds.map((r) => ms(r.medians[c.label]!)).join(" / ");
      process.stdout.write(`| ${c.label} | ${medians} | ${c.label in result.added ? `${ms(result.added[c.label]!)} ms` : "—"} | ${c === contenders[0] ? "(agent only)" : mb(result.rssKb[c.label] ?? undefined)} |\n`);
    }
  } finally {
    for (const c of contenders) await c.close().catch(() => undefined);
    await sleep(300);
    rmSync(scratch, { recursive: true, force: true });
    rmSync(ws, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    () => setTimeout(() => process.exit(0), 100).unref(),
    (error) => {
      process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    },
  );
}
