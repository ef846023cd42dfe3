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
const MAX_ROUNDS = 64;

const segmentsOf = (relative: string): string[] => relative.split(/[\\/]+/).filter((s) => s !== "" && s !== ".");
const tailOf = (segments: string[]): string => segments.slice(-2).join("/");

/** The relative segments of `inner` below `outer`, given within(inner, outer) (spelling as in `inner`). */
function rest(inner: string, outer: string): string[] {
  const trimmed = outer.replace(/[\\/]+$/, "");
  return segmentsOf(inner.slice(Math.min(trimmed.length, inner.length)));
}

const cache = new WeakMap<readonly NamedLink[], LinkNames>();

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
  const locations = links.map((link) => nodePath.join(root, link.at));
  const guarded: Array<string | null> = links.map((link) => protectedArea(link.at));
  const tails: Array<Set<string>> = links.map((link) => new Set([tailOf(segmentsOf(link.at))]));
  // Which links' targets hold which links' locations (a name of j's location, then the rest, names i's location).
  const feeds: Array<Array<{ from: number; rest: string[] }>> = n * n > MAX_STEPS ? [] : locations.map((location) =>
    links.flatMap((other, from) => (within(location, other.target, folding) ? [{ from, rest: rest(location, other.target) }] : [])),
  );
  let facts = n;
  let steps = 0;
  let complete = n * n <= MAX_STEPS;
  for (let round = 0, changed = complete; changed; round++) {
    if (round >= MAX_ROUNDS) {
      complete = false;
      break;
    }
    changed = false;
    for (let i = 0; i < n && complete; i++) {
      for (const { from, rest: below } of feeds[i]!) {
        if (!complete) break;
        if (guarded[i] === null && guarded[from] !== null) {
          guarded[i] = guarded[from]!;
          changed = true;
        }
        for (const tail of [...tails[from]!]) {
          if (++steps > MAX_STEPS || (steps % 1024 === 0 && Date.now() > deadline)) {
            complete = false;
            break;
          }
          const joined = [...segmentsOf(tail), ...below];
          if (guarded[i] === null) {
            const area = protectedArea(joined.join("/"));
            if (area !== null) {
              guarded[i] = area;
              changed = true;
            }
          }
          const next = tailOf(joined);
          if (!tails[i]!.has(next)) {
            tails[i]!.add(next);
            changed = true;
            if (++facts > MAX_FACTS) complete = false;
          }
        }
      }
    }
    if (!complete) break;
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
          const area = protectedArea([...segmentsOf(tail), ...below].join("/"));
          if (area !== null) return area;
        }
      }
      return null;
    },
  };
}
