// The symlinks inside the workspace, so that a write reaching a protected name through one is protected
// too: with `.devcontainer -> dc-conf`, writing `dc-conf/devcontainer.json` writes the dev container's
// config. Found by walking the workspace (links are not followed); only links whose real target is
// inside the workspace matter, because writes outside are asked anyway.
import { promises as fs, type Dirent } from "node:fs";
import nodePath from "node:path";
import { physical, platformFolding, within, type NameFolding, type WorkspaceLink } from "./pathFacts";

export interface LinkScan {
  links: WorkspaceLink[];
  /** False when the walk stopped at `maxEntries` (or a directory could not be read): some links may be missing. */
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

/** Walks the workspace (its real path) breadth-first; never throws. */
export async function scanWorkspaceLinks(root: string, options: { maxEntries?: number; folding?: NameFolding } = {}): Promise<LinkScan> {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const folding = options.folding ?? platformFolding();
  const links: WorkspaceLink[] = [];
  let entries = 0;
  let complete = true;
  const queue: string[] = [""];
  while (queue.length > 0) {
    const relative = queue.shift()!;
    let dirents: Dirent[];
    try {
      dirents = await fs.readdir(nodePath.join(root, relative), { withFileTypes: true });
    } catch {
      if (relative === "") return { links, complete: false, entries };
      complete = false; // unreadable directory: a link could hide there
      continue;
    }
    for (const dirent of dirents) {
      if (++entries > maxEntries) return { links, complete: false, entries };
      const at = relative === "" ? dirent.name : `${relative}/${dirent.name}`;
      if (dirent.isSymbolicLink()) {
        const target = await physical(nodePath.join(root, at)).catch(() => null);
        if (target !== null && within(target, root, folding)) links.push({ at, target });
      } else if (dirent.isDirectory() && !skipped(relative, dirent.name)) {
        queue.push(at);
      }
    }
  }
  return { links, complete, entries };
}
