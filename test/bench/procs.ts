// Process bookkeeping for the benchmark: spawn detached (own process group), read RSS from /proc, find
// descendants, and kill every process the run started — including grandchildren in other process groups
// (the server starts its agent detached; Codex runs commands under setsid).
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  comm: string;
  state: string;
  /** Start time in clock ticks since boot: with the pid, identifies a process despite pid reuse. */
  start: number;
}

function readStat(pid: number): ProcStat | null {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // comm may contain spaces and parentheses: split after the LAST ')'.
  const close = raw.lastIndexOf(")");
  const comm = raw.slice(raw.indexOf("(") + 1, close);
  const rest = raw.slice(close + 2).split(" ");
  // rest[0] = state, rest[1] = ppid, rest[2] = pgrp, rest[19] = starttime
  return { pid, ppid: Number(rest[1]), pgrp: Number(rest[2]), comm, state: rest[0] ?? "?", start: Number(rest[19]) };
}

function allStats(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (st) out.push(st);
  }
  return out;
}

/** The pid and all its descendants (by parent links, at this moment). */
export function processTree(root: number): number[] {
  const stats = allStats();
  const children = new Map<number, number[]>();
  for (const st of stats) {
    const list = children.get(st.ppid);
    if (list) list.push(st.pid);
    else children.set(st.ppid, [st.pid]);
  }
  if (!stats.some((s) => s.pid === root)) return [];
  const seen: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (seen.includes(pid)) continue;
    seen.push(pid);
    for (const c of children.get(pid) ?? []) stack.push(c);
  }
  return seen;
}

/** VmRSS of one process in kB, or null when it is gone. */
export function rssKb(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** VmRSS split into anonymous (private heap etc.) and file-backed (mostly the shared node binary) pages, kB. */
export function memStatus(pid: number): { rss: number; anon: number; file: number; pss: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (src: string, name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, "m").exec(src)?.[1] ?? Number.NaN);
    let pss = Number.NaN;
    try {
      pss = field(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"), "Pss");
    } catch {
      /* older kernels */
    }
    return { rss: field(text, "VmRSS"), anon: field(text, "RssAnon"), file: field(text, "RssFile"), pss };
  } catch {
    return null;
  }
}

/** Sum of VmRSS over a process and its descendants (kB) and the processes counted. */
export function treeRss(root: number): { kb: number; procs: { pid: number; comm: string; kb: number }[] } {
  const procs: { pid: number; comm: string; kb: number }[] = [];
  for (const pid of processTree(root)) {
    const kb = rssKb(pid);
    if (kb !== null) procs.push({ pid, comm: readStat(pid)?.comm ?? "?", kb });
  }
  return { kb: procs.reduce((a, p) => a + p.kb, 0), procs };
}

export function alive(pid: number): boolean {
  const st = readStat(pid);
  return st !== null && st.state !== "Z";
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------------------------------------
// The registry: every process the benchmark starts, and every descendant seen since. pid_max may be small
// (32768 here) and other tests run alongside, so a process is identified by pid AND start time: a reused
// pid is never signalled.

const known = new Map<number, number>(); // pid → start time
const ownPgrp = readStat(process.pid)?.pgrp ?? -1;

function remember(pid: number): void {
  const st = readStat(pid);
  if (st && !known.has(pid)) known.set(pid, st.start);
}

/** Still the same process we saw (not a reused pid), and not a zombie. */
function sameLive(pid: number, start: number | undefined): boolean {
  const st = readStat(pid);
  return st !== null && st.state !== "Z" && (start === undefined || st.start === start);
}

let refusing = false;

/** After this, spawnTracked throws: the run is being torn down (SIGINT, time limit). */
export function refuseNewProcesses(): void {
  refusing = true;
}

/** Spawns detached (its own process group) and registers it for the final sweep. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
  if (refusing) throw new Error("the benchmark is shutting down: no new processes");
  const child = spawn(command, args, { ...options, detached: process.platform !== "win32" });
  if (child.pid !== undefined) remember(child.pid);
  return child;
}

/** Remembers a process tree (call while the parent links still exist, e.g. after the agent started). */
export function noteTree(root: number | undefined): void {
  if (root === undefined) return;
  for (const pid of processTree(root)) remember(pid);
}

/** Signals verified processes and their own process groups (never ours). */
function signalAll(targets: Map<number, number | undefined>, signal: NodeJS.Signals): void {
  const groups = new Set<number>();
  for (const [pid, start] of targets) {
    const st = readStat(pid);
    if (!st || (start !== undefined && st.start !== start)) continue;
    // Only a group led by a process we started (pgid == its pid) is signalled as a group.
    if (st.pgrp === pid && st.pgrp !== ownPgrp) groups.add(st.pgrp);
    try {
      process.kill(pid, signal);
    } catch {
      /* gone */
    }
  }
  for (const g of groups) {
    try {
      process.kill(-g, signal);
    } catch {
      /* gone */
    }
  }
}

function snapshot(roots: Iterable<[number, number | undefined]>): Map<number, number | undefined> {
  const out = new Map<number, number | undefined>();
  for (const [pid, start] of roots) {
    if (!sameLive(pid, start)) continue;
    for (const p of processTree(pid)) {
      const st = readStat(p);
      if (st && !out.has(p)) out.set(p, st.start);
    }
  }
  out.delete(process.pid);
  return out;
}

async function terminate(targets: Map<number, number | undefined>, graceMs: number): Promise<number> {
  const live = () => [...targets].filter(([pid, start]) => sameLive(pid, start));
  const count = live().length;
  if (count === 0) return 0;
  signalAll(targets, "SIGTERM");
  const end = Date.now() + graceMs;
  while (Date.now() < end && live().length > 0) await sleep(20);
  const left = new Map(live());
  if (left.size > 0) signalAll(left, "SIGKILL");
  return count;
}

/**
 * Ends a process tree: SIGTERM to every process in it (and the groups they lead), then SIGKILL to whatever
 * is left after `graceMs`. The tree is snapshotted first, so processes orphaned on the way are still found.
 */
export async function killTree(root: number, graceMs = 1500, also?: TreeSnapshot): Promise<void> {
  const targets = snapshot([[root, known.get(root)]]);
  for (const [pid, start] of also ?? []) if (!targets.has(pid)) targets.set(pid, start);
  for (const [pid, start] of targets) if (start !== undefined && !known.has(pid)) known.set(pid, start);
  await terminate(targets, graceMs);
}

export type TreeSnapshot = Map<number, number | undefined>;

/** The tree as it is now (pid → start time), to end later even if its members get orphaned. */
export function captureTree(root: number | undefined): TreeSnapshot {
  if (root === undefined) return new Map();
  const targets = snapshot([[root, known.get(root)]]);
  for (const [pid, start] of targets) if (start !== undefined && !known.has(pid)) known.set(pid, start);
  return targets;
}

/** Final sweep: everything registered or seen, and their current descendants. Returns how many were alive. */
export async function killEverything(): Promise<number> {
  return terminate(snapshot(known), 1500);
}

/** Synchronous last resort (process 'exit' handler). */
export function killEverythingNow(): void {
  signalAll(snapshot(known), "SIGKILL");
}
