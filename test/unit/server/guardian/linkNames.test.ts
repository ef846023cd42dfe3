// The names a path has through the workspace's links are not enumerated (two links to the root make them infinite);
// linkNames computes what decides — per link, whether a name of its location is protected and the last two segments
// its names can end in — as a fixpoint. Checked here against brute-force enumeration of names on random link sets:
// whatever a bounded enumeration finds protected, the fixpoint finds protected, and the other way round.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import nodePath from "node:path";
import { linkNames, type NamedLink } from "../../../../server/guardian/linkNames";
import { protectedArea } from "../../../../server/guardian/protectedPaths";
import { hooksPathOf, includesOf } from "../../../../server/guardian/gitLinks";

const ROOT = "/w";
const folding = { caseInsensitive: false, unicodeInsensitive: false };
const NAMES = ["a", "b", ".git", "hooks", "workflows", ".github", "bin", ".local", "x"];

/** A small deterministic generator (tests must be reproducible). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const below = (inner: string, outer: string): string | null => (inner === outer ? "" : inner.startsWith(`${outer}/`) ? inner.slice(outer.length + 1) : null);

/** Every name of `real` through the links, by substituting a link's location for its target, up to `depth` hops. */
function bruteForce(real: string, links: NamedLink[], depth: number): string | null {
  let names = new Set([below(real, ROOT)!]);
  const seen = new Set(names);
  for (let hop = 0; hop <= depth; hop++) {
    for (const name of names) {
      const area = protectedArea(name);
      if (area !== null) return area;
    }
    const next = new Set<string>();
    for (const name of names) {
      const absolute = nodePath.posix.join(ROOT, name);
      for (const link of links) {
        const rest = below(absolute, link.target);
        if (rest === null) continue;
        const renamed = rest === "" ? link.at : `${link.at}/${rest}`;
        if (!seen.has(renamed) && seen.size < 200_000) {
          seen.add(renamed);
          next.add(renamed);
        }
      }
    }
    names = next;
  }
  return null;
}

describe("linkNames against brute force", () => {
  test("300 random link sets: the fixpoint and a deep enumeration agree on what is protected", () => {
    const rand = random(22);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    const segs = (min: number, max: number) => Array.from({ length: min + Math.floor(rand() * (max - min + 1)) }, () => pick(NAMES)).join("/");
    let protectedSeen = 0;
    for (let round = 0; round < 300; round++) {
      // As a walk finds them: a link's location is a real path (never below another link) and its target a real
      // path (never through a link's location).
      const links: NamedLink[] = [];
      const through = (p: string) => links.some((l) => below(p, nodePath.posix.join(ROOT, l.at)) !== null);
      for (let tries = 0; links.length < 1 + Math.floor(rand() * 4) && tries < 50; tries++) {
        const at = segs(1, 2);
        const location = nodePath.posix.join(ROOT, at);
        if (through(location) || links.some((l) => below(nodePath.posix.join(ROOT, l.at), location) !== null)) continue;
        const target = rand() < 0.2 ? ROOT : nodePath.posix.join(ROOT, segs(1, 2));
        if (through(target) || below(target, location) !== null) continue;
        if (links.some((l) => below(l.target, location) !== null)) continue;
        links.push({ at, target });
      }
      const names = linkNames(links, ROOT, folding);
      assert.equal(names.complete, true);
      for (let q = 0; q < 10; q++) {
        const real = nodePath.posix.join(ROOT, segs(1, 3));
        if (protectedArea(below(real, ROOT)!) !== null) continue; // protected by its own name: not the links' business
        const fixpoint = names.protectedThrough(real);
        const enumerated = bruteForce(real, links, 8);
        assert.equal(fixpoint !== null, enumerated !== null, `${real} with ${JSON.stringify(links)}: fixpoint ${fixpoint}, enumeration ${enumerated}`);
        if (fixpoint !== null) protectedSeen++;
      }
    }
    assert.ok(protectedSeen > 20, `the generator reaches protected names through links (${protectedSeen})`);
  });

  test("two links to the root: decided at once, and a protected link name still protects", () => {
    const links = [
      { at: "self", target: ROOT },
      { at: "again", target: ROOT },
      { at: "src/editor", target: "/w/cfg" },
      { at: ".vscode", target: "/w/tools" },
    ];
    const names = linkNames(links, ROOT, folding);
    assert.equal(names.complete, true);
    assert.equal(names.protectedThrough("/w/src/a.ts"), null);
    assert.equal(names.protectedThrough("/w/tools/tasks.json"), ".vscode/");
    assert.equal(names.protectedThrough("/w/cfg/x"), null);
  });
});

describe("git config", () => {
  test("core.hooksPath: the last one wins, sections and keys are case-insensitive, quotes and comments dropped", () => {
    assert.equal(hooksPathOf("[core]\n\thooksPath = a\n[Core]\n\tHOOKSPATH = \"b c\" ; note\n"), "b c");
    assert.equal(hooksPathOf("[alias]\n\thooksPath = a\n"), null);
  });
  test("includes: [include] and [includeIf] paths", () => {
    assert.deepEqual(includesOf('[include]\n\tpath = one\n[includeIf "gitdir:~/w/"]\n\tpath = two\n'), ["one", "two"]);
  });
});
