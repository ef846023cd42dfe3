// What a permission request is, in words read at a glance: "run `npm test` in ./pkg", "edit 3 files in src/",
// "read ~/.ssh/config". Pure. The server puts it in tool results (PermissionView.summary); the editor's notification,
// tree and details page use it with the window's folders.
import * as path from "node:path";
import type { PermissionSource, PermissionView } from "./results";
import { clip } from "./text";

/** Where paths are shown from: the workspace roots (relative inside them) and the home directory (`~`). */
export interface PathContext {
  roots: readonly string[];
  home: string | null;
  /** Defaults to node:path of this platform; tests pass path.posix / path.win32. */
  pathApi?: path.PlatformPath;
}

const MAX_COMMAND = 100;

/** The one-line sentence after "Codex wants to …". */
export function describePermission(view: PermissionView, ctx: PathContext): string {
  const files = filesPhrase(view.paths, ctx);
  const title = clip(view.title || view.kind || "a tool call", 80);
  // These come as commands from codex-acp, but what they ask for is not the command: name it first.
  const forCommand = view.command ? ` for \`${clip(view.command, MAX_COMMAND)}\`` : "";
  switch (view.category) {
    case "network":
      return `use the network (${title})${forCommand}`;
    case "mcp":
      return `${/^a question/.test(title) ? "relay" : "call"} ${title}`;
    case "sandbox":
      return `widen its sandbox (${title}${files ? ` — ${files}` : ""})${forCommand}`;
  }
  if (view.command) return `run \`${clip(view.command, MAX_COMMAND)}\`${cwdPhrase(view.cwd, ctx)}`;
  switch (view.category) {
    case "edit":
      return files ? `edit ${files}` : `edit files (${title})`;
    case "read":
      return files ? `read ${files}` : `read files (${title})`;
    case "command":
      return `run a command (${title})${cwdPhrase(view.cwd, ctx)}`;
    default:
      return files ? `use “${title}” on ${files}` : `use “${title}”`;
  }
}

/** Shows a path relative to the workspace when inside it, with `~` for the home directory, else absolute. */
export function displayPath(target: string, ctx: PathContext): string {
  const p = ctx.pathApi ?? path;
  const rel = relativeToRoots(target, ctx);
  if (rel !== null) return rel === "" ? "." : toSlashes(rel, p);
  if (ctx.home) {
    const fromHome = relativeInside(ctx.home, target, p);
    if (fromHome !== null) return fromHome === "" ? "~" : `~/${toSlashes(fromHome, p)}`;
  }
  return target;
}

/** " in ./pkg", " in the workspace", " in ~/other", "" when unknown. */
export function cwdPhrase(cwd: string | null, ctx: PathContext): string {
  if (!cwd) return "";
  const p = ctx.pathApi ?? path;
  const rel = relativeToRoots(cwd, ctx);
  if (rel === "") return " in the workspace";
  if (rel !== null) return ` in ./${toSlashes(rel, p)}`;
  return ` in ${displayPath(cwd, ctx)}`;
}

/** "src/a.ts", "3 files in src/", "2 files: a.ts, ~/b", or null when there are none. */
export function filesPhrase(paths: readonly string[], ctx: PathContext): string | null {
  if (paths.length === 0) return null;
  const shown = paths.map((target) => displayPath(target, ctx));
  if (shown.length === 1) return shown[0]!;
  const dir = commonDirectory(shown);
  if (dir) return `${shown.length} files in ${dir}/`;
  const listed = shown.slice(0, 3).join(", ");
  return `${shown.length} files: ${listed}${shown.length > 3 ? ", …" : ""}`;
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────

function relativeToRoots(target: string, ctx: PathContext): string | null {
  const p = ctx.pathApi ?? path;
  let best: string | null = null;
  for (const root of ctx.roots) {
    const rel = relativeInside(root, target, p);
    if (rel !== null && (best === null || rel.length < best.length)) best = rel;
  }
  return best;
}

/** For display only: target relative to dir when it is dir or inside it, else null (the guardian decides containment itself). */
/** `target` relative to `dir` when it is inside it ("" for `dir` itself), else null; `..` segments resolved first. */
export function relativeInside(dir: string, target: string, p: path.PlatformPath): string | null {
  if (!p.isAbsolute(target)) return null;
  const rel = p.relative(p.resolve(dir), p.resolve(target));
  if (rel === "") return "";
  if (rel === ".." || rel.startsWith(`..${p.sep}`) || p.isAbsolute(rel)) return null;
  return rel;
}

export function toSlashes(rel: string, p: path.PlatformPath): string {
  return p.sep === "\\" ? rel.split("\\").join("/") : rel;
}

/** The longest directory every shown path is in ("src", "~/.config"), or null when there is none. */
function commonDirectory(shown: readonly string[]): string | null {
  const dirs = shown.map((item) => item.split("/").slice(0, -1));
  const first = dirs[0]!;
  let length = first.length;
  for (const dir of dirs.slice(1)) {
    let i = 0;
    while (i < length && i < dir.length && dir[i] === first[i]) i++;
    length = i;
  }
  const common = first.slice(0, length);
  if (common.length === 0 || (common.length === 1 && common[0] === "")) return null;
  return common.join("/");
}

/** Who decided a permission, as a sentence's subject. */
export function describeSource(source: PermissionSource): string {
  switch (source) {
    case "claude":
      return "the MCP client (permit)";
    case "editor":
      return "the person in the editor";
    case "policy":
      return "the guardian policy";
    case "timeout":
      return "the permission timeout";
    case "withdrawn":
      return "Codex (withdrawn)";
  }
}
