// The processes in a terminal's foreground (Linux: /proc; macOS and other Unixes: `ps`), to find a Claude Code process
// that reads what is typed there. A Claude suspended with Ctrl+Z or sent to the background does not: the shell
// reads the keys then, so it must not count. Windows has neither: the terminal tracking in claudeTerminals.ts does
// without.
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";

export interface Proc {
  pid: number;
  ppid: number;
  /** Its process group, and the foreground process group of its terminal (0 or -1: no terminal). */
  pgrp: number;
  tpgid: number;
  argv: string[];
}

/** One /proc/<pid>/stat line's ppid, pgrp and tpgid; the command name in parentheses may hold spaces and ")". */
export function parseProcStat(stat: string): Pick<Proc, "ppid" | "pgrp" | "tpgid"> | null {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const [ppid, pgrp, tpgid] = [fields[1], fields[2], fields[5]].map(Number);
  return Number.isInteger(ppid) && Number.isInteger(pgrp) && Number.isInteger(tpgid) ? { ppid: ppid!, pgrp: pgrp!, tpgid: tpgid! } : null;
}

async function fromProc(): Promise<Proc[]> {
  const out: Proc[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = parseProcStat(await readFile(`/proc/${name}/stat`, "utf8"));
      if (!stat) continue;
      const argv = (await readFile(`/proc/${name}/cmdline`, "utf8")).split("\0").filter(Boolean);
      out.push({ pid: Number(name), ...stat, argv });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

function fromPs(): Promise<Proc[]> {
  return new Promise((resolve) => {
    execFile("ps", ["-A", "-o", "pid=,ppid=,pgid=,tpgid=,command="], { timeout: 5000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => {
      if (error) return resolve([]);
      const procs = stdout
        .split("\n")
        .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(-?\d+)\s+(.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), pgrp: Number(m[3]), tpgid: Number(m[4]), argv: m[5]!.trim().split(/\s+/) }));
      resolve(procs);
    });
  });
}

/** Every process of this machine that can be listed; none on Windows or where listing fails. */
export async function processTable(): Promise<Proc[]> {
  if (process.platform === "win32") return [];
  return process.platform === "linux" ? fromProc().catch(() => []) : fromPs();
}

/** argv of `root` and the processes below it that are in their terminal's foreground process group. Pure. */
export function foregroundCommandLines(procs: readonly Proc[], root: number): string[][] {
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: string[][] = [];
  const visit = (p: Proc) => {
    if (p.tpgid > 0 && p.pgrp === p.tpgid) out.push(p.argv);
  };
  const self = procs.find((p) => p.pid === root);
  if (self) visit(self);
  const queue = [root];
  for (let seen = 0; queue.length > 0 && seen < 500; seen++) {
    for (const child of children.get(queue.shift()!) ?? []) {
      visit(child);
      queue.push(child.pid);
    }
  }
  return out;
}
