// Every name a path has through the workspace's links, without enumerating the names. Two links to the workspace's
// own root give every file infinitely many names (`a/b/a/b/…/f`), and enumerating them doubled the work at every
// hop (issue 22). A protected pattern is at most three segments long and matches anywhere, so what decides is, for
// each link, whether some name of its location is already protected, and the last two segments its names can end
// in. Those are computed once per workspace as a fixpoint over the links (finite sets, capped), and then any path
// below a link's target is judged from them in time linear in the links.
import nodePath from "node:path";
import { within, type NameFolding } from "./pathFacts";
import { protectedArea } from "./protectedPaths";

/** A link inside the workspace: its workspace-relative location and the real path it leads to. */
export interface NamedLink {
  at: string;
  target: string;
}

export interface LinkNames {
  /** False when the names were too many to follow (then nothing reached through a link may be judged unprotected). */
  complete: boolean;
  /** The protected area a real path inside `root` falls under when named through the links, or null. */
  protectedThrough(resolved: string): string | null;
}

/** How many (link, tail) facts the fixpoint may hold, and how many steps it may take, before it gives up: far above
 * real repositories (a few dozen links), and small enough that this synchronous work never holds the event loop long. */
const MAX_FACTS = 20_000;
const MAX_STEPS = 1_000_000;

const segmentsOf = (relative: string): string[] => relative.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
const tailOf = (segments: string[]): string => segments.slice(-2).join("/");

/** The relative segments of `inner` below `outer`, given within(inner, outer) (spelling as in `inner`). */
function rest(inner: string, outer: string): string[] {
  const trimmed = outer.replace(/[\\/]+$/, "");
  return segmentsOf(inner.slice(Math.min(trimmed.length, inner.length)));
}

const cache = new WeakMap<readonly NamedLink[], LinkNames>();

// protectedArea is pure and the same joined names recur in every decision: remembered, up to a bound.
const areas = new Map<string, string | null>();
const MAX_REMEMBERED = 50_000;
export function area(relative: string): string | null {
  let found = areas.get(relative);
  if (found === undefined) {
    found = protectedArea(relative);
    if (areas.size >= MAX_REMEMBERED) areas.clear();
    areas.set(relative, found);
  }
  return found;
}

/** The names index for a set of links (memoised per links array: the scan builds it once, each lookup reuses it). */
export function linkNames(links: readonly NamedLink[], root: string, folding: NameFolding, deadline = Number.POSITIVE_INFINITY): LinkNames {
  const cached = cache.get(links);
  if (cached) return cached;
  const built = build(links, root, folding, deadline);
  cache.set(links, built);
  return built;
}

function build(links: readonly NamedLink[], root: string, folding: NameFolding, deadline: number): LinkNames {
  const n = links.length;
  const guarded: Array<string | null> = links.map((link) => area(link.at));
  const tails: string[][] = links.map((link) => [tailOf(segmentsOf(link.at))]);
  const tailSets: Array<Set<string>> = tails.map((t) => new Set(t));
  // Edges from → i: a name of `from`'s location, then `below`, names i's location (i lies below from's target).
  const edges: Array<Array<{ to: number; below: string[]; done: number }>> = links.map(() => []);
  let complete = n * n <= MAX_STEPS;
  if (complete) {
    for (let i = 0; i < n; i++) {
      const location = nodePath.join(root, links[i]!.at);
      for (let from = 0; from < n; from++) {
        if (within(location, links[from]!.target, folding)) edges[from]!.push({ to: i, below: rest(location, links[from]!.target), done: 0 });
      }
    }
  }
  // Semi-naive fixpoint: each (edge, tail) is looked at once; a link whose facts grew is looked at again.
  let facts = n;
  let steps = 0;
  const pending = new Set<number>(complete ? links.keys() : []);
  while (pending.size > 0 && complete) {
    const from = pending.values().next().value as number;
    pending.delete(from);
    for (const edge of edges[from]!) {
      const i = edge.to;
      if (guarded[i] === null && guarded[from] !== null) {
        guarded[i] = guarded[from]!;
        pending.add(i);
      }
      for (; edge.done < tails[from]!.length; edge.done++) {
        if (++steps > MAX_STEPS || (steps % 1024 === 0 && Date.now() > deadline) || facts > MAX_FACTS) {
          complete = false;
          break;
        }
        const joined = [...segmentsOf(tails[from]![edge.done]!), ...edge.below];
        if (guarded[i] === null) {
          const found = area(joined.join("/"));
          if (found !== null) {
            guarded[i] = found;
            pending.add(i);
          }
        }
        const next = tailOf(joined);
        if (!tailSets[i]!.has(next)) {
          tailSets[i]!.add(next);
          tails[i]!.push(next);
          facts++;
          pending.add(i);
        }
      }
      if (!complete) break;
    }
  }
  return {
    complete,
    protectedThrough(resolved: string): string | null {
      for (let j = 0; j < n; j++) {
        const link = links[j]!;
        if (!within(resolved, link.target, folding)) continue;
        if (guarded[j] !== null) return guarded[j]!;
        const below = rest(resolved, link.target);
        for (const tail of tails[j]!) {
          const found = area([...segmentsOf(tail), ...below].join("/"));
          if (found !== null) return found;
        }
      }
      return null;
    },
  };
}
