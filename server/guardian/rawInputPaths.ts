// The paths in a file tool's `rawInput`, read strictly: what the reader does not recognise is not "absent" but
// unknown (issue 22). A move target under a key we do not know, a path nested in an object, a `changes` entry of an
// unknown shape, a `cwd` that is not a string: each makes the request's paths unknown, and the request asked.
// Codex's shapes read here: `changes` as a map path → change (core protocol `{type: add|delete|update, content,
// unified_diff, move_path}`, the older `{add: {content}}`, `{delete: {}}`, `{update: {unified_diff, move_path}}`) or
// app-server's list `[{path, kind: {type, move_path | movePath}, diff}]`; apply_patch text (`*** Update File:`,
// `*** Move to:`) and unified diffs (`--- a/x`, `+++ b/y`, `rename to`) under `patch`/`diff`/`input`.
import { isRecord } from "./requestPaths";

/** Adds a path; `move` when it is where something is moved to (then what the move creates is judged too). */
export type Add = (value: unknown, source: "changes" | "argument", move?: boolean) => void;

// rawInput keys that hold one path or a list of paths: these names, and any key that ends in one of the
// path words below (`absolute_path`, `dir_path`, `targetFile`, `search_paths`, ...). Collecting too much
// only makes decisions more cautious (an extra path can only add an "outside" or a "protected").
const PATH_KEYS = new Set(["source", "destination", "grant_root", "grantRoot", "move_path", "movePath"]);
const PATH_WORDS = /(path|paths|pathname|file|files|filename|filenames|dir|dirs|directory|directories|folder|folders|root|roots|target|targets|uri|uris)$/;

/** Whether a rawInput key names paths. `cwd` is the base for relative paths, `url` is network, a `*profile` a name. */
export function isPathKey(key: string): boolean {
  if (PATH_KEYS.has(key)) return true;
  const flat = key.replace(/[-_]/g, "").toLowerCase();
  return flat !== "cwd" && !flat.endsWith("profile") && PATH_WORDS.test(flat);
}

/** Keys of a file tool's input that hold text or a setting, never a path (other ACP agents' edit and search tools). */
const TEXT_KEYS = new Set(
  [
    "content", "contents", "text", "oldstring", "newstring", "oldtext", "newtext", "replaceall", "expectedreplacements",
    "edits", "description", "explanation", "reason", "justification", "title", "instruction", "instructions", "callid",
    "turnid", "itemid", "id", "autoapproved", "pattern", "query", "glob", "globs", "include", "exclude", "regex", "limit",
    "offset", "line", "lines", "encoding", "mode", "overwrite", "recursive", "force", "casesensitive", "ignorecase",
    "multiline", "outputmode", "headlimit", "type",
  ],
);
const flat = (key: string) => key.replace(/[-_]/g, "").toLowerCase();
/** Path keys that name where something goes (flattened): a move, a rename, a copy. */
const MOVE_KEY = /^(destination|dest|target|to|new|move|rename|copy)/;
/** Keys whose text is a patch or a diff: the paths it names are read from its headers. */
const PATCH_KEYS = new Set(["patch", "diff", "unifieddiff", "input"]);

/** A string that could be a path (a separator, a home or dot start, a URL): under an unknown key, it is unknown. */
function pathLike(value: string): boolean {
  return /[\\/]/.test(value) || /^[~.]/.test(value) || /^[a-z][a-z0-9+.-]*:/i.test(value);
}

/** Whether a nested value (under a key that is not a path key) holds anything path-like: then its paths are unknown. */
function holdsPaths(value: unknown, depth = 0): boolean {
  if (depth > 8) return true;
  if (typeof value === "string") return pathLike(value);
  if (Array.isArray(value)) return value.some((v) => holdsPaths(v, depth + 1));
  if (isRecord(value)) return Object.entries(value).some(([k, v]) => isPathKey(k) || (!TEXT_KEYS.has(flat(k)) && holdsPaths(v, depth + 1)));
  return false;
}

/**
 * The paths of a patch or unified diff's headers. Returns false when a header is not understood (then the text may
 * change a file we cannot name).
 */
export function patchPaths(text: string, add: Add): boolean {
  let understood = true;
  for (const line of text.split(/\r?\n/)) {
    const marker = /^\*\*\* (Add File|Delete File|Update File|Move to|Begin Patch|End Patch|End of File)(?::\s*(.*))?$/.exec(line);
    if (marker) {
      if (marker[2] !== undefined && marker[2] !== "") add(marker[2].trim(), "changes", marker[1] === "Move to");
      continue;
    }
    if (/^\*\*\* \S/.test(line)) understood = false; // an apply_patch marker we do not know
    const header = /^(--- |\+\+\+ |rename from |rename to |copy from |copy to )(.+?)(?:\t.*)?$/.exec(line);
    if (header && !/^-{3} \S+ -{3,}$/.test(line)) {
      const path = header[2]!;
      if (path === "/dev/null") continue;
      const move = header[1] === "rename to " || header[1] === "copy to ";
      add(path, "changes", move);
      const prefixed = /^[ab]\/(.+)$/.exec(path);
      if (prefixed) add(prefixed[1]!, "changes", move);
    }
    const git = /^diff --git (\S+) (\S+)$/.exec(line);
    if (git) for (const p of [git[1]!, git[2]!]) add(p.replace(/^[ab]\//, ""), "changes");
  }
  return understood;
}

/** A move target in a change: only the keys Codex's shapes use; another key that could hold a path is unknown. */
function changeKind(change: unknown, add: Add): boolean {
  if (!isRecord(change)) return false;
  let understood = true;
  for (const [key, value] of Object.entries(change)) {
    if (key === "move_path" || key === "movePath") {
      if (value !== null && value !== undefined) add(value, "changes", true);
    } else if (key === "type") {
      if (value !== "add" && value !== "delete" && value !== "update") understood = false;
    } else if (key === "unified_diff" || key === "unifiedDiff" || key === "diff") {
      if (typeof value !== "string" || !patchPaths(value, add)) understood = false;
    } else if (key === "content") {
      if (typeof value !== "string") understood = false;
    } else if (key === "add" || key === "delete" || key === "update") {
      if (!changeKind(value, add)) understood = false;
    } else if (key === "kind") {
      if (!changeKind(value, add)) understood = false;
    } else understood = false;
  }
  return understood;
}

/** Codex's `changes`, map or list; false when its shape is not understood. */
export function changesPaths(changes: unknown, add: Add): boolean {
  if (changes === null || changes === undefined) return true;
  let understood = true;
  if (Array.isArray(changes)) {
    for (const change of changes) {
      if (!isRecord(change) || typeof change["path"] !== "string") {
        understood = false;
        continue;
      }
      add(change["path"], "changes");
      const { path: _path, ...rest } = change;
      if (!changeKind(rest, add)) understood = false;
    }
  } else if (isRecord(changes)) {
    for (const [path, change] of Object.entries(changes)) {
      add(path, "changes");
      if (!changeKind(change, add)) understood = false;
    }
  } else understood = false;
  return understood;
}

export interface RawInputRead {
  /** The base for relative paths, when the input gives one. */
  cwd?: string;
  /** Something in the input could name a path we cannot read. */
  unknown: boolean;
}

/** Reads a file tool's rawInput (kind read/search/edit/delete/move); `write` for the kinds that change files. */
export function rawInputPaths(rawInput: unknown, write: boolean, add: Add): RawInputRead {
  if (rawInput === undefined || rawInput === null) return { unknown: false };
  if (!isRecord(rawInput)) return { unknown: typeof rawInput === "string" ? pathLike(rawInput) || write : Array.isArray(rawInput) };
  let unknown = false;
  let cwd: string | undefined;
  for (const [key, value] of Object.entries(rawInput)) {
    if (value === undefined) continue;
    const name = flat(key);
    if (name === "cwd") {
      if (typeof value === "string" && value !== "") cwd = value;
      else if (value !== null) unknown = true; // a base we cannot read: every relative path is unknown
    } else if (key === "changes") {
      if (!changesPaths(value, add)) unknown = true;
    } else if (isPathKey(key)) {
      if (value === null) continue;
      const move = MOVE_KEY.test(name);
      if (Array.isArray(value)) for (const p of value) add(p, "argument", move);
      else add(value, "argument", move);
    } else if (PATCH_KEYS.has(name) && typeof value === "string") {
      if (!patchPaths(value, add)) unknown = true;
    } else if (TEXT_KEYS.has(name)) {
      // Text or a setting; a list of edits may still name a path inside.
      if (typeof value === "object" && value !== null && holdsPathKeys(value)) unknown = true;
    } else if (typeof value === "string") {
      // An unknown key: for a write anything could be where it goes; for a read, a path-like string.
      if (write || pathLike(value)) unknown = true;
    } else if (typeof value === "object" && value !== null) {
      if (write || holdsPaths(value)) unknown = true;
    }
  }
  return { ...(cwd !== undefined ? { cwd } : {}), unknown };
}

function holdsPathKeys(value: unknown, depth = 0): boolean {
  if (depth > 8) return true;
  if (Array.isArray(value)) return value.some((v) => holdsPathKeys(v, depth + 1));
  if (isRecord(value)) return Object.entries(value).some(([k, v]) => isPathKey(k) || holdsPathKeys(v, depth + 1));
  return false;
}
