// Which ignored folders a copy links to instead of copying: the dependency folders a project's tests need offline
// (installed packages, virtualenvs), never build outputs or caches. A link is read-only in practice — Codex's OS
// sandbox writes only under the copy's real path, and the guardian resolves the link to the real workspace, which is
// outside — so a build that writes its output or cache there would fail; those are rebuilt in the copy instead.
// Pure.

/** Folder names (any depth, as `git ls-files --others --ignored --directory` reports them) linked into a copy. */
export const DEPENDENCY_FOLDERS: readonly string[] = Object.freeze([
  "node_modules",
  "bower_components",
  "jspm_packages",
  ".venv",
  "venv",
  ".virtualenv",
  "vendor",
  ".bundle",
  "Pods",
  "elm-stuff",
  ".pnpm-store",
]);

const NAMES = new Set(DEPENDENCY_FOLDERS);

/**
 * The ignored directories (entries ending in "/", repository-relative) whose last segment is a dependency folder,
 * without the trailing slash. Anything with `..` or an absolute path is refused (git never reports one).
 */
export function foldersToLink(ignored: readonly string[]): string[] {
  const folders: string[] = [];
  for (const entry of ignored) {
    if (!entry.endsWith("/")) continue;
    const folder = entry.slice(0, -1);
    const segments = folder.split("/");
    if (folder.startsWith("/") || segments.some((segment) => segment === "" || segment === "." || segment === "..")) continue;
    if (NAMES.has(segments.at(-1)!)) folders.push(folder);
  }
  return folders;
}

/** Pathspecs that keep the linked folders out of a copy's trees (a link is a file to git: `node_modules/` would not ignore it). */
export function excludeLinks(links: readonly string[]): string[] {
  return links.map((link) => `:(exclude,literal)${link}`);
}
