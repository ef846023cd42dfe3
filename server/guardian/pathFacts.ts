// The I/O half of the guardian: turns the paths a permission request names into facts (where each one
// really leads, whether that is inside the workspace, whether it is protected), before the pure policy
// runs. Resolution follows the filesystem the way a write would: symlinks are followed component by
// component (so `link/../x` goes where the OS goes, not where string folding goes), dangling symlinks
// are followed to their target, and a not-yet-existing tail is appended to the real path of its
// longest existing prefix. Anything we cannot resolve is reported as outside.
//
// Names are compared the way the file system compares them: exactly on Linux (ext4 and most file
// systems keep `café` and `cafe\u0301` apart), Unicode-normalised only on macOS (APFS and HFS+ treat
// canonically equal names as one), case-folded on macOS and Windows. The real spelling is kept for
// showing; only protection matching folds more, because folding there only ever protects more.
import { promises as fs } from "node:fs";
import nodePath from "node:path";
import { fileURLToPath } from "node:url";
import type { PathFact } from "./policy";
import { linkNames } from "./linkNames";
import { protectedArea } from "./protectedPaths";

/** A symlink inside the workspace: where it is (workspace-relative) and the real path it leads to. */
export interface WorkspaceLink {
  at: string;
  target: string;
}

export interface ResolveOptions {
  workspace: string;
  homeDir: string;
  cwd?: string;
  caseInsensitive?: boolean /* default: process.platform darwin|win32 */;
  unicodeInsensitive?: boolean /* default: process.platform darwin */;
  /** The workspace's symlinks (workspaceLinks.ts): a path reached through one is protected by the link's name too. */
  links?: readonly WorkspaceLink[];
}

/** How the file system compares names. */
export interface NameFolding {
  caseInsensitive: boolean;
  unicodeInsensitive: boolean;
}

export function platformFolding(opts: Partial<NameFolding> = {}): NameFolding {
  return {
    caseInsensitive: opts.caseInsensitive ?? (process.platform === "darwin" || process.platform === "win32"),
    unicodeInsensitive: opts.unicodeInsensitive ?? process.platform === "darwin",
  };
}

const MAX_LINK_HOPS = 40; // as the kernel's ELOOP limit

/**
 * What the file system knows of an existing path: its object (device and inode: one file whatever it is called) and,
 * for a file that is not a directory, how many names it has (a hard link elsewhere is another name of the same file).
 */
export async function identity(resolved: string): Promise<{ object?: string; hardLinks?: number }> {
  try {
    const stat = await fs.lstat(resolved, { bigint: true });
    return { object: `${stat.dev}:${stat.ino}`, ...(stat.isDirectory() ? {} : { hardLinks: Number(stat.nlink) }) };
  } catch {
    return {};
  }
}

/**
 * The device of the deepest existing folder holding a path (itself when it is a folder): the file system a write to it
 * lands on. Folders only: overlayfs may report a lower layer's device for a plain file.
 */
async function deviceOf(resolved: string): Promise<bigint | null> {
  for (let p = resolved; ; p = nodePath.dirname(p)) {
    try {
      const stat = await fs.stat(p, { bigint: true });
      if (stat.isDirectory()) return stat.dev;
    } catch {
      // missing: its parent decides
    }
    if (nodePath.dirname(p) === p) return null;
  }
}

class Unresolvable extends Error {}

/** The real path of the workspace (symlinks resolved). Rejects when it does not exist. */
export async function workspaceRoot(workspace: string): Promise<string> {
  return fs.realpath(nodePath.resolve(workspace));
}

/** One fact per input path, in order. Never throws: an unresolvable path is reported outside. */
export async function resolvePathFacts(paths: string[], opts: ResolveOptions): Promise<PathFact[]> {
  const folding = platformFolding(opts);
  let root: string | null = null;
  try {
    root = await workspaceRoot(opts.workspace);
  } catch {
    root = null; // no workspace on disk: nothing can be inside it
  }
  const lexicalWorkspace = safe(() => nodePath.resolve(opts.workspace));
  const names = root !== null && opts.links?.length ? linkNames(opts.links, root, folding) : null;
  const rootDevice = root !== null ? await deviceOf(root) : null;
  let base: string | null = root;
  if (opts.cwd !== undefined && opts.cwd !== "") {
    const cwd = toAbsolute(opts.cwd, root ?? lexicalWorkspace ?? "/", opts.homeDir);
    base = cwd === null ? null : await physical(cwd).catch(() => null);
  }

  return Promise.all(
    (Array.isArray(paths) ? paths : []).map(async (raw): Promise<PathFact> => {
      const unresolved: PathFact = { raw: String(raw), resolved: "", inside: false, protectedPath: null };
      try {
        if (typeof raw !== "string" || base === null) return unresolved;
        const absolute = toAbsolute(raw, base, opts.homeDir);
        if (absolute === null) return unresolved;
        const resolved = await physical(absolute);
        if (root === null) return { raw, resolved, inside: false, protectedPath: null };
        const inside = within(resolved, root, folding);
        // Protected if the real path, the path as written, or the path through a symlink of the
        // workspace lies in a protected area: an editor reads `.vscode/tasks.json` through the name
        // even when `.vscode` is a symlink, and `.devcontainer -> dc-conf` makes dc-conf/ protected.
        const real = inside ? protectedArea(below(resolved, root, folding)) : null;
        const lexical = nodePath.resolve(absolute);
        let asWritten: string | null = null;
        for (const ws of [root, lexicalWorkspace]) {
          if (asWritten === null && ws && within(lexical, ws, folding)) asWritten = protectedArea(below(lexical, ws, folding));
        }
        const through = inside && names ? names.protectedThrough(resolved) : null;
        // Inside by name, but on another file system (a bind or other mount inside the workspace): it leads elsewhere.
        const mounted = inside && rootDevice !== null && (await deviceOf(resolved)) !== rootDevice;
        return { raw, resolved, inside, protectedPath: real ?? asWritten ?? through, ...(await identity(resolved)), ...(mounted ? { mounted } : {}) };
      } catch {
        return unresolved;
      }
    }),
  );
}

function safe<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

/**
 * An absolute path, `..` segments kept (they are folded against the real filesystem later), or null
 * when the input names no local file: a non-file URL, `~user`, a NUL byte.
 */
function toAbsolute(raw: string, base: string, homeDir: string): string | null {
  if (raw === "" || raw.includes("\0")) return null;
  let p = raw;
  if (/^file:/i.test(p)) {
    try {
      p = fileURLToPath(p);
    } catch {
      return null; // e.g. file://otherhost/x
    }
  } else if (/^[a-z][a-z0-9+.-]+:\/\//i.test(p)) {
    return null; // http://, ssh://, ...: not a path
  }
  const tilde = p === "~" || p.startsWith("~/") || (nodePath.sep === "\\" && p.startsWith("~\\"));
  if (tilde && !nodePath.isAbsolute(homeDir)) return null; // no usable home: never fall back to the workspace
  if (p === "~") p = homeDir;
  else if (p.startsWith("~/") || (nodePath.sep === "\\" && p.startsWith("~\\"))) p = joinRaw(homeDir, p.slice(2));
  else if (p.startsWith("~")) return null; // ~user: whose home, we do not guess
  if (!nodePath.isAbsolute(p)) p = joinRaw(base, p);
  if (!nodePath.isAbsolute(p)) return null; // a relative home or workspace
  return p;
}

// Joins without folding `..` (nodePath.join would fold `link/..` lexically).
function joinRaw(a: string, b: string): string {
  return a.endsWith("/") || a.endsWith(nodePath.sep) ? a + b : a + nodePath.sep + b;
}

/** Walks the path component by component against the filesystem, as open(2) would. */
export async function physical(absolute: string, hops = { count: 0 }): Promise<string> {
  const { root } = nodePath.parse(absolute);
  const parts = absolute.slice(root.length).split(nodePath.sep === "\\" ? /[\\/]+/ : /\/+/);
  let current = root;
  for (const part of parts) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      // `current` is already real (or a non-existing tail, which cannot be a link): its parent is real.
      current = nodePath.dirname(current);
      continue;
    }
    const next = nodePath.join(current, part);
    try {
      current = await fs.realpath(next);
      continue;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw new Unresolvable(code ?? "realpath failed");
    }
    // Missing. A dangling symlink still redirects a write to its target, so follow it.
    let link: string | null = null;
    try {
      const stat = await fs.lstat(next);
      if (stat.isSymbolicLink()) link = await fs.readlink(next);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw new Unresolvable(code ?? "lstat failed");
    }
    if (link !== null) {
      if (++hops.count > MAX_LINK_HOPS) throw new Unresolvable("ELOOP");
      current = await physical(nodePath.isAbsolute(link) ? link : joinRaw(current, link), hops);
    } else {
      current = next;
    }
  }
  return current;
}

function fold(path: string, folding: NameFolding): string {
  let t = folding.unicodeInsensitive ? path.normalize("NFC") : path;
  if (folding.caseInsensitive) t = t.toLowerCase();
  // Trailing separators do not change the place ("/ws/" is "/ws"), except for the filesystem root.
  while (t.length > 1 && (t.endsWith("/") || (nodePath.sep === "\\" && t.endsWith("\\")))) {
    if (nodePath.parse(t).root === t) break;
    t = t.slice(0, -1);
  }
  return t;
}

/** `candidate` equals `root` or lies below it, compared on whole segments as the file system compares names. */
export function within(candidate: string, root: string, folding: NameFolding): boolean {
  const c = fold(candidate, folding);
  const r = fold(root, folding);
  if (c === r) return true;
  const prefix = r.endsWith(nodePath.sep) || r.endsWith("/") ? r : r + nodePath.sep;
  return c.startsWith(prefix);
}

// The part of `inner` below `root`, given within(inner, root), from the folded spellings (whose lengths
// can differ from the real ones): only used to match protected names, which fold anyway.
export function below(inner: string, root: string, folding: NameFolding): string {
  const i = fold(inner, folding);
  const r = fold(root, folding);
  return i.length > r.length ? i.slice(r.length) : "";
}
