// Where a finding goes in the editor: a file of the workspace (an inline thread and a Problems entry), a path outside
// the workspace or one that does not exist (listed in the panel, never opened), or no file at all. Pure (the file
// system comes in as `exists`).
import * as path from "node:path";
import type { Finding } from "../../server/protocol/results";

export type Placement =
  | { kind: "file"; path: string }
  | { kind: "outside"; path: string }
  | { kind: "missing"; path: string }
  | { kind: "none" };

export interface PlaceOptions {
  /** Where relative paths may be from, most likely first (the repository root, then the workspace folders). */
  roots: readonly string[];
  /** Whether a path exists; without it the first root is assumed. */
  exists?: (file: string) => boolean;
  pathApi?: path.PlatformPath;
}

/**
 * The absolute path a finding's file names: absolute as given, else the first root where it exists (also trying it
 * without a diff's `a/` / `b/` prefix), else under the first root. Null when it cannot be placed at all.
 */
export function resolveFindingPath(file: string, options: PlaceOptions): string | null {
  const p = options.pathApi ?? path;
  const cleaned = file.trim().replace(/^file:\/\//, "").replace(/^`|`$/g, "");
  if (!cleaned) return null;
  if (p.isAbsolute(cleaned)) return p.normalize(cleaned);
  const variants = [cleaned.replace(/^\.[\\/]/, "")];
  if (/^[ab]\//.test(cleaned)) variants.push(cleaned.slice(2));
  if (options.exists) {
    for (const root of options.roots) {
      for (const variant of variants) {
        const candidate = p.resolve(root, variant);
        if (options.exists(candidate)) return candidate;
      }
    }
  }
  const first = options.roots[0];
  return first === undefined ? null : p.resolve(first, variants[0]!);
}

function inside(file: string, root: string, p: path.PlatformPath): boolean {
  const rel = p.relative(root, file);
  return rel === "" || (!rel.startsWith("..") && !p.isAbsolute(rel));
}

export function placeFinding(finding: Pick<Finding, "file">, options: PlaceOptions): Placement {
  const p = options.pathApi ?? path;
  if (!finding.file) return { kind: "none" };
  const resolved = resolveFindingPath(finding.file, options);
  if (!resolved) return { kind: "none" };
  if (!options.roots.some((root) => inside(resolved, root, p))) return { kind: "outside", path: resolved };
  if (options.exists && !options.exists(resolved)) return { kind: "missing", path: resolved };
  return { kind: "file", path: resolved };
}
