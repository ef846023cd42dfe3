// What a write request changes, beyond the names it lists (issue 22): a delete or move of a folder changes everything
// below it, and a move creates, at its destination, everything below its source. This computes those objects as
// extra path facts so that the policy applies its rules (inside, protected — also through links —, one name per
// file) to the effect, not to the names. Bounded: an entry cap and a deadline; an unfinished walk is incomplete,
// and an incomplete effect makes the write asked.
import { promises as fs, type Dirent } from "node:fs";
import nodePath from "node:path";
import type { PathFact } from "./policy";
import { below, identity, platformFolding, within, type NameFolding, type WorkspaceLink } from "./pathFacts";
import { area as protectedArea, linkNames } from "./linkNames";

export interface Effect {
  /** Objects the request changes that it does not name, when they decide: protected, outside, or with other names. */
  facts: PathFact[];
  /** False when a folder could not be walked to the end (too many entries, the deadline, an unreadable folder). */
  complete: boolean;
  /** How many entries below named folders were looked at. */
  entries: number;
}

export interface EffectOptions {
  root: string;
  links: readonly WorkspaceLink[];
  deadline: number;
  maxEntries?: number;
  folding?: NameFolding;
}

export const MAX_EFFECT_ENTRIES = 100_000;

/** The entries below a real folder, breadth-first, links not followed; null when the walk did not finish. */
async function walk(folder: string, budget: { left: number; deadline: number }, visit: (relative: string, dirent: Dirent) => Promise<void>): Promise<boolean> {
  const queue = [""];
  for (let next = 0; next < queue.length; next++) {
    if (Date.now() > budget.deadline) return false;
    const relative = queue[next]!;
    let dirents: Dirent[];
    try {
      dirents = await fs.readdir(nodePath.join(folder, relative), { withFileTypes: true });
    } catch {
      return false;
    }
    for (const dirent of dirents) {
      if (--budget.left < 0) return false;
      const at = relative === "" ? dirent.name : `${relative}/${dirent.name}`;
      await visit(at, dirent);
      if (dirent.isDirectory()) queue.push(at);
    }
  }
  return true;
}

/**
 * The effect of a write naming `facts` (resolved by resolvePathFacts). `move` says the request may move one named
 * path to another (a move kind, a move target in its changes, a source/destination argument): then every named path
 * is also a possible destination of every other, as `dest/rest` and, as `mv` does into a folder, `dest/<name>/rest`.
 */
export async function effectOf(facts: readonly PathFact[], move: boolean, opts: EffectOptions): Promise<Effect> {
  const folding = opts.folding ?? platformFolding();
  const names = linkNames(opts.links, opts.root, folding);
  const fold = (p: string) => nodePath.resolve(folding.caseInsensitive ? p.toLowerCase() : p);
  const budget = { left: opts.maxEntries ?? MAX_EFFECT_ENTRIES, deadline: opts.deadline };
  const known = facts.filter((f) => f.resolved !== "");
  const rootDevice = (await fs.stat(opts.root, { bigint: true }).catch(() => null))?.dev ?? null;
  const found: PathFact[] = [];
  let complete = true;
  let entries = 0;
  const protectedAt = (resolved: string, written: string | null): string | null => {
    if (!within(resolved, opts.root, folding)) return null;
    return protectedArea(below(resolved, opts.root, folding)) ?? (written !== null ? protectedArea(written) : null) ?? names.protectedThrough(resolved);
  };
  // The destination as the request spells it, relative to the workspace when it is written inside it.
  const asWritten = (raw: string, relative: string): string | null => {
    const lexical = nodePath.resolve(opts.root, raw, relative);
    return within(lexical, opts.root, folding) ? below(lexical, opts.root, folding) : null;
  };
  // What a destination would hold: judged by its name (inside? protected as written, really, or through a link?).
  // A destination outside is asked by its own name already.
  const created = (dest: PathFact, relative: string, from: string): void => {
    if (!dest.inside) return;
    const resolved = nodePath.join(dest.resolved, relative);
    const area = protectedAt(resolved, asWritten(dest.raw, relative));
    if (area !== null) found.push({ raw: `${dest.raw}/${relative} (moved from ${from})`, resolved, inside: true, protectedPath: area });
  };
  for (const source of known) {
    // Deleting, moving or replacing the workspace folder itself changes the folder that holds it.
    if (fold(source.resolved) === fold(opts.root)) {
      found.push({ raw: `${source.raw} (the workspace folder itself)`, resolved: nodePath.dirname(opts.root), inside: false, protectedPath: null });
      continue;
    }
    const destinations = move ? known.filter((d) => d !== source && d.resolved !== source.resolved) : [];
    for (const dest of destinations) created(dest, nodePath.basename(source.resolved), source.raw);
    let isFolder = false;
    try {
      isFolder = source.inside && (await fs.lstat(source.resolved)).isDirectory();
    } catch {
      isFolder = false;
    }
    if (!isFolder) continue;
    const finished = await walk(source.resolved, budget, async (relative, dirent) => {
      entries++;
      const resolved = nodePath.join(source.resolved, relative);
      const area = protectedAt(resolved, null);
      const id = dirent.isDirectory() ? {} : await identity(resolved);
      // A folder below on another file system (a mount): removing or moving its contents changes that file system.
      const mounted = dirent.isDirectory() && rootDevice !== null && (await fs.lstat(resolved, { bigint: true }).catch(() => null))?.dev !== rootDevice;
      if (area !== null || (id.hardLinks ?? 1) > 1 || mounted) found.push({ raw: `${source.raw}/${relative}`, resolved, inside: true, protectedPath: area, ...id, ...(mounted ? { mounted } : {}) });
      for (const dest of destinations) {
        created(dest, relative, source.raw);
        created(dest, `${nodePath.basename(source.resolved)}/${relative}`, source.raw);
      }
    });
    if (!finished) complete = false;
    if (found.length > 1000) break; // enough to decide; the rest adds nothing
  }
  return { facts: found, complete: complete && Date.now() <= opts.deadline, entries };
}
