// A finding's path against the workspace's tracked files (handed in as data; the caller lists them): a path that is a
// file stays; `a/` and `b/` diff prefixes go; a bare name or a tail of a path that ends exactly one tracked file
// becomes that file. Without a file list, paths stay as written. Pure.

export interface FileIndex {
  has(path: string): boolean;
  /** The one tracked file ending in "/" + tail (or equal to it), else null (none, or more than one). */
  bySuffix(tail: string): string | null;
}

export function fileIndex(files: readonly string[]): FileIndex {
  const all = new Set(files);
  // Every tail of every path ("a/b/c.ts" → "c.ts", "b/c.ts", "a/b/c.ts"), and whether it is unique.
  const tails = new Map<string, string | null>();
  for (const file of all) {
    let at = file.length;
    for (;;) {
      const tail = file.slice(at === file.length ? file.lastIndexOf("/") + 1 : at + 1);
      tails.set(tail, tails.has(tail) && tails.get(tail) !== file ? null : file);
      if (at <= 0) break;
      at = file.lastIndexOf("/", at - 1);
      if (at < 0) {
        tails.set(file, file);
        break;
      }
    }
  }
  return { has: (path) => all.has(path), bySuffix: (tail) => tails.get(tail) ?? null };
}

/** The tracked file a (workspace-relative or bare) path names, or null when it names none or several. */
export function resolvePath(path: string, index: FileIndex): string | null {
  const p = path.replace(/\\/g, "/").replace(/^\.\//, "");
  if (index.has(p)) return p;
  const unprefixed = /^[ab]\//.test(p) ? p.slice(2) : null;
  if (unprefixed !== null && index.has(unprefixed)) return unprefixed;
  if (p.startsWith("/") || /^[A-Za-z]:\//.test(p)) return null;
  return index.bySuffix(p) ?? (unprefixed !== null ? index.bySuffix(unprefixed) : null);
}
