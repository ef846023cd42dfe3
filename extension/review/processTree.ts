// The command lines of a process and its descendants (Linux: /proc; macOS and other Unixes: `ps`), to find a Claude
// Code process inside a terminal. Windows has neither: the terminal tracking in claudeTerminals.ts does without.
import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";

interface Proc {
  pid: number;
  ppid: number;
  argv: string[];
}

async function fromProc(): Promise<Proc[]> {
  const out: Proc[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const argv = (await readFile(`/proc/${name}/cmdline`, "utf8")).split("\0").filter(Boolean);
      out.push({ pid: Number(name), ppid, argv });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

function fromPs(): Promise<Proc[]> {
  return new Promise((resolve) => {
    execFile("ps", ["-A", "-o", "pid=,ppid=,command="], { timeout: 5000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout) => {
      if (error) return resolve([]);
      const procs = stdout
        .split("\n")
        .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), argv: m[3]!.trim().split(/\s+/) }));
      resolve(procs);
    });
  });
}

/** argv of `root` and every process below it; empty where processes cannot be listed. */
export async function treeCommandLines(root: number): Promise<string[][]> {
  if (process.platform === "win32") return [];
  const procs = process.platform === "linux" ? await fromProc().catch(() => []) : await fromPs();
  const children = new Map<number, Proc[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: string[][] = [];
  const self = procs.find((p) => p.pid === root);
  if (self) out.push(self.argv);
  const queue = [root];
  while (queue.length > 0 && out.length < 500) {
    for (const child of children.get(queue.shift()!) ?? []) {
      out.push(child.argv);
      queue.push(child.pid);
    }
  }
  return out;
}
