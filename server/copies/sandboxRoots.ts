// Where codex-acp's workspace-write sandbox lets every command write besides the session's folder: /tmp and $TMPDIR
// (its mode sends `excludeSlashTmp: false, excludeTmpdirEnvVar: false` with every turn; config cannot change that).
// A workspace under one of them would be writable by a delegate without a question, so a delegate refuses it; the
// delegates' agent gets a TMPDIR of its own so the person's TMPDIR is never one of them.
import { realpathSync } from "node:fs";
import * as path from "node:path";

/** The real paths of the temp roots the sandbox leaves writable (those that exist). */
export function sandboxTempRoots(tmpdirOfAgent: string | undefined): string[] {
  const roots: string[] = [];
  for (const candidate of ["/tmp", tmpdirOfAgent]) {
    if (!candidate) continue;
    try {
      roots.push(realpathSync(candidate));
    } catch {
      // Not there: nothing to write into.
    }
  }
  return roots;
}

/** The writable temp root that holds `repoRoot` or lies inside it, or null. Pure. */
export function tempRootHolding(repoRoot: string, roots: readonly string[]): string | null {
  return roots.find((root) => within(repoRoot, root) || within(root, repoRoot)) ?? null;
}

function within(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}
