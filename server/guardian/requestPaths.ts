// Every path a permission request names, wherever the agent put it (locations, diffs, `changes`, path-like
// arguments), with where each came from. Pure: the paths are resolved on disk afterwards (pathFacts.ts).
// Read strictly: a part of the request in a shape the reader does not know makes its paths unknown, never absent.
import { isPathKey, rawInputPaths } from "./rawInputPaths";

export { isPathKey };

/** Where a collected path came from; locations alone do not confirm an edit's targets. */
export type PathSource = "location" | "diff" | "changes" | "argument";

export interface CollectedPath {
  raw: string;
  sources: Set<PathSource>;
}

export interface Collected {
  paths: CollectedPath[];
  cwd?: string;
  /** Some touched path is not known: the request names none, or names one we cannot read. */
  unknownPaths: boolean;
  /** The request names a path we cannot read (a non-string location path, a `changes` of unknown shape). */
  malformed: boolean;
  /** The request may move something: a move kind, a move target, a location whose diff names another path. */
  moves: boolean;
}

const FILE_KINDS = new Set(["read", "search", "edit", "delete", "move"]);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The paths with their sources (policy.ts needs the sources to tell confirmed edit targets from bare locations). */
export function collect(request: unknown, recentDiffPaths?: string[]): Collected {
  const byRaw = new Map<string, CollectedPath>();
  let malformed = false;
  let moves = false;
  const add = (value: unknown, source: PathSource, move = false): void => {
    if (move) moves = true;
    if (typeof value !== "string" || value === "") {
      malformed = true;
      return;
    }
    let entry = byRaw.get(value);
    if (!entry) {
      entry = { raw: value, sources: new Set() };
      byRaw.set(value, entry);
    }
    entry.sources.add(source);
  };

  const toolCall: unknown = isRecord(request) ? request["toolCall"] : undefined;
  if (!isRecord(toolCall)) return { paths: [], unknownPaths: true, malformed: true, moves: false };

  // ACP's shapes, and nothing else: a location is {path, line?}; content items are content, diff or terminal.
  const locations = toolCall["locations"];
  if (Array.isArray(locations)) {
    for (const location of locations) {
      add(isRecord(location) ? location["path"] : undefined, "location");
      if (isRecord(location) && Object.keys(location).some((k) => !LOCATION_KEYS.has(k))) malformed = true;
    }
  } else if (locations !== undefined && locations !== null) {
    malformed = true;
  }

  const content = toolCall["content"];
  if (Array.isArray(content)) {
    for (const item of content) {
      if (isRecord(item) && item["type"] === "diff") {
        add(item["path"], "diff");
        // A diff's _meta may name its old path (codex-acp's git patch for a rename): a changed path too.
        if (isRecord(item["_meta"])) metaPaths(item["_meta"], (p) => add(p, "diff"));
      } else if (!isRecord(item) || (item["type"] !== "content" && item["type"] !== "terminal")) malformed = true;
    }
  } else if (content !== undefined && content !== null) {
    malformed = true;
  }

  if (recentDiffPaths !== undefined) {
    if (Array.isArray(recentDiffPaths)) for (const p of recentDiffPaths) add(p, "diff");
    else malformed = true;
  }

  const kind = typeof toolCall["kind"] === "string" ? toolCall["kind"] : undefined;
  const fileKind = kind !== undefined && FILE_KINDS.has(kind);
  const input = rawInputPaths(toolCall["rawInput"], kind === "edit" || kind === "delete" || kind === "move", add);
  // For a file tool, what its input holds that we cannot read is unknown; a command's paths are only shown.
  if (fileKind && input.unknown) malformed = true;
  const cwd = input.cwd;

  // A command may touch anything; a file tool that names no path touches something we cannot see.
  let unknown = malformed || kind === "execute";
  if (kind !== undefined && FILE_KINDS.has(kind) && byRaw.size === 0) unknown = true;

  // codex-acp names a move's source in locations and its target only in the diff: a location no diff names in the
  // same spelling may be the source of a move.
  const paths = [...byRaw.values()];
  if (kind === "move" || paths.some((p) => p.sources.size === 1 && p.sources.has("location"))) moves = true;
  return { paths, ...(cwd !== undefined ? { cwd } : {}), unknownPaths: unknown, malformed, moves };
}

const LOCATION_KEYS = new Set(["path", "line", "_meta"]);

/** Strings under path keys anywhere in a diff's _meta (bounded depth). */
function metaPaths(meta: Record<string, unknown>, add: (p: unknown) => void, depth = 0): void {
  if (depth > 4) return;
  for (const [key, value] of Object.entries(meta)) {
    if (isPathKey(key) && typeof value === "string") add(value);
    else if (isRecord(value)) metaPaths(value, add, depth + 1);
  }
}

/**
 * Every path a permission request names: `toolCall.locations[].path`, `content[]` diffs' `path`,
 * `rawInput.changes` keys (and move targets), `rawInput.path` / `file_path` / `paths` and similar
 * keys, plus `recentDiffPaths` (the diff paths of the tool_call update sent just before, tracked by the
 * caller; codex-acp puts an edit's diff there, not in the request). Deduplicated, in order.
 * `cwd` is `rawInput.cwd`, to resolve relative paths against. Pure.
 */
export function collectRequestPaths(
  request: unknown,
  recentDiffPaths?: string[],
): { paths: string[]; cwd?: string; unknownPaths: boolean; moves: boolean } {
  const collected = collect(request, recentDiffPaths);
  return {
    paths: collected.paths.map((p) => p.raw),
    ...(collected.cwd !== undefined ? { cwd: collected.cwd } : {}),
    unknownPaths: collected.unknownPaths,
    moves: collected.moves,
  };
}
