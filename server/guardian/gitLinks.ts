// Git's own redirections, followed like symlinks: a `.git` FILE (`gitdir: <path>`, as in worktrees and submodules)
// makes <path> the repository git runs hooks and reads config from, and `core.hooksPath` makes another folder the
// hooks, and `[include] path` makes another file the config. Without them, `.git` → an ordinary folder made
// `<folder>/hooks/pre-commit` look like an ordinary file.
import { promises as fs } from "node:fs";
import nodePath from "node:path";
import type { NamedLink } from "./linkNames";

/** The most of a `.git` file or a git config read: both are small; a bigger one is read in part. */
const MAX_READ = 64 * 1024;

async function head(file: string): Promise<string | null> {
  let handle: fs.FileHandle | null = null;
  try {
    handle = await fs.open(file, "r");
    const buffer = Buffer.alloc(MAX_READ);
    const { bytesRead } = await handle.read(buffer, 0, MAX_READ, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } catch {
    return null;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** `core.hooksPath` from a git config's text (the last one wins, as in git), or null. */
export function hooksPathOf(config: string): string | null {
  return configValues(config, "core", "hookspath").at(-1) ?? null;
}

/** The files a git config includes (`[include] path`, `[includeIf "…"] path`): they are the config too. */
export function includesOf(config: string): string[] {
  return [...configValues(config, "include", "path"), ...configValues(config, "includeif", "path")];
}

function configValues(config: string, wantedSection: string, wantedKey: string): string[] {
  let section = "";
  const found: string[] = [];
  for (const line of config.split(/\r?\n/)) {
    const header = /^\s*\[\s*([^\]\s"]+)(?:\s+"[^"]*")?\s*\]/.exec(line);
    if (header) {
      section = header[1]!.toLowerCase();
      continue;
    }
    const entry = /^\s*([A-Za-z][\w-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (section === wantedSection && entry && entry[1]!.toLowerCase() === wantedKey) {
      let value = entry[2]!.replace(/\s+[#;].*$/, "");
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
      found.push(value);
    }
  }
  return found;
}

/**
 * The links git makes for a `.git` entry at `at` (workspace-relative) in `root`: the gitdir a `.git` file names (as a
 * link at `at`), and `core.hooksPath` of the repository's config (as a link at `at/hooks`). `real` turns a path into
 * its real path (or null). Targets may lie anywhere; the caller keeps those inside the workspace.
 */
export async function gitLinks(root: string, at: string, isFile: boolean, real: (p: string) => Promise<string | null>): Promise<NamedLink[]> {
  const links: NamedLink[] = [];
  const worktree = nodePath.dirname(nodePath.join(root, at));
  let gitdir: string | null = nodePath.join(root, at);
  if (isFile) {
    const text = await head(gitdir);
    const named = text ? /^gitdir:\s*(.+?)\s*$/m.exec(text)?.[1] : undefined;
    gitdir = named ? await real(nodePath.resolve(worktree, named)) : null;
    if (gitdir !== null) links.push({ at, target: gitdir });
  }
  if (gitdir === null) return links;
  // A linked worktree's gitdir names the repository it shares hooks and config with (`commondir`).
  const common = (await head(nodePath.join(gitdir, "commondir")))?.trim();
  const commonDir = common ? await real(nodePath.resolve(gitdir, common)) : null;
  if (commonDir !== null) links.push({ at, target: commonDir });
  const home = (p: string) => p.replace(/^~(?=\/|$)/, process.env["HOME"] ?? "~");
  for (const dir of commonDir !== null ? [gitdir, commonDir] : [gitdir]) {
    const config = await head(nodePath.join(dir, "config"));
    if (config === null) continue;
    const hooks = hooksPathOf(config);
    if (hooks) {
      const target = await real(nodePath.resolve(worktree, home(hooks)));
      if (target !== null) links.push({ at: `${at}/hooks`, target });
    }
    // An included file is read as the config (it can set hooksPath, fsmonitor, aliases): named `.git/config` too.
    for (const include of includesOf(config)) {
      const target = await real(nodePath.resolve(dir, home(include)));
      if (target !== null) links.push({ at: `${at}/config`, target });
    }
  }
  return links;
}
