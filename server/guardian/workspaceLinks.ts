// The symlinks inside the workspace, so that a write reaching a protected name through one is protected
// too: with `.devcontainer -> dc-conf`, writing `dc-conf/devcontainer.json` writes the dev container's
// config. Found by walking the workspace (links are not followed, so the walk is linear in the tree however the
// links loop); only links whose real target is inside the workspace matter, because writes outside are asked anyway.
// Git's redirections (a `.git` file's `gitdir:`, `core.hooksPath`) count as links too (gitLinks.ts). The walk has
// an entry cap and a deadline: a walk that does not finish is incomplete, and an incomplete walk makes writes asked.
import { promises as fs } from "node:fs";
import nodePath from "node:path";
import { gitLinks } from "./gitLinks";
import { linkNames } from "./linkNames";
import { physical, platformFolding, within, type NameFolding, type WorkspaceLink } from "./pathFacts";

export interface LinkScan {
  links: WorkspaceLink[];
  /** False when the walk stopped at `maxEntries` or the deadline (or a directory could not be read): some links may be missing. */
  complete: boolean;
  entries: number;
}

/**
 * Directory contents never walked: package stores, whose (many, pnpm-made) links no tool reads a protected
 * name through, and git's object store (only object files). A link elsewhere that points into them is
 * still found.
 */
function skipped(relativeParent: string, name: string): boolean {
  return name === "node_modules" || (name === "objects" && nodePath.basename(relativeParent) === ".git");
}

export const DEFAULT_MAX_ENTRIES = 100_000;
/** How many folders are read at once. */
const READ_AHEAD = 16;

export interface ScanOptions {
  maxEntries?: number;
  folding?: NameFolding;
  /** Date.now() after which the walk gives up (incomplete). */
  deadline?: number;
}

/** Walks the workspace (its real path) breadth-first; never throws. */
export async function scanWorkspaceLinks(root: string, options: ScanOptions = {}): Promise<LinkScan> {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const folding = options.folding ?? platformFolding();
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  const links: WorkspaceLink[] = [];
  const real = (p: string) => physical(p).catch(() => null);
  const keep = (link: WorkspaceLink) => {
    if (within(link.target, root, folding)) links.push(link);
  };
  let entries = 0;
  const done = (complete: boolean): LinkScan => {
    // The names through the links are part of the scan: too many to follow makes it incomplete.
    const names = linkNames(links, root, folding, deadline);
    return { links, complete: complete && names.complete && Date.now() <= deadline, entries };
  };
  let complete = true;
  // Folders are read level by level, READ_AHEAD at a time: the walk waits on the disk, not on the CPU.
  let level: string[] = [""];
  while (level.length > 0) {
    const nextLevel: string[] = [];
    for (let i = 0; i < level.length; i += READ_AHEAD) {
      if (Date.now() > deadline) return done(false);
      const batch = level.slice(i, i + READ_AHEAD);
      const read = await Promise.all(batch.map((relative) => fs.readdir(nodePath.join(root, relative), { withFileTypes: true }).catch(() => null)));
      for (const [k, dirents] of read.entries()) {
        const relative = batch[k]!;
        if (dirents === null) {
          if (relative === "") return { links, complete: false, entries };
          complete = false; // unreadable directory: a link could hide there
          continue;
        }
        for (const dirent of dirents) {
          if (++entries > maxEntries) return done(false);
          if (dirent.isFile() && dirent.name.length !== 4) continue; // most entries: a plain file, not `.git`
          const at = relative === "" ? dirent.name : `${relative}/${dirent.name}`;
          if (dirent.isSymbolicLink()) {
            const target = await real(nodePath.join(root, at));
            if (target !== null) keep({ at, target });
          } else if (dirent.isDirectory() && !skipped(relative, dirent.name)) {
            nextLevel.push(at);
          }
          if (dirent.name.toLowerCase() === ".git" && (dirent.isFile() || dirent.isDirectory() || dirent.isSymbolicLink())) {
            for (const link of await gitLinks(root, at, dirent.isFile(), real)) keep(link);
          }
        }
      }
    }
    level = nextLevel;
  }
  return done(complete);
}
