// Every path a permission request names, wherever the agent put it (locations, diffs, `changes`, path-like
// arguments), with where each came from. Pure: the paths are resolved on disk afterwards (pathFacts.ts).

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
}

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

const FILE_KINDS = new Set(["read", "search", "edit", "delete", "move"]);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The paths with their sources (policy.ts needs the sources to tell confirmed edit targets from bare locations). */
export function collect(request: unknown, recentDiffPaths?: string[]): Collected {
  const byRaw = new Map<string, CollectedPath>();
  let malformed = false;
  const add = (value: unknown, source: PathSource): void => {
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
  if (!isRecord(toolCall)) return { paths: [], unknownPaths: true, malformed: true };

  const locations = toolCall["locations"];
  if (Array.isArray(locations)) {
    for (const location of locations) add(isRecord(location) ? location["path"] : undefined, "location");
  } else if (locations !== undefined && locations !== null) {
    malformed = true;
  }

  const content = toolCall["content"];
  if (Array.isArray(content)) {
    for (const item of content) {
      if (isRecord(item) && item["type"] === "diff") add(item["path"], "diff");
      else if (!isRecord(item)) malformed = true;
    }
  }

  if (recentDiffPaths !== undefined) {
    if (Array.isArray(recentDiffPaths)) for (const p of recentDiffPaths) add(p, "diff");
    else malformed = true;
  }

  let cwd: string | undefined;
  const rawInput = toolCall["rawInput"];
  if (isRecord(rawInput)) {
    for (const [key, value] of Object.entries(rawInput)) {
      if (!isPathKey(key) || value === null || value === undefined) continue;
      if (Array.isArray(value)) for (const p of value) add(p, "argument");
      else add(value, "argument");
    }
    if ("changes" in rawInput) {
      if (!collectChanges(rawInput["changes"], add)) malformed = true;
    }
    if (typeof rawInput["cwd"] === "string" && rawInput["cwd"] !== "") cwd = rawInput["cwd"];
  }

  const kind = typeof toolCall["kind"] === "string" ? toolCall["kind"] : undefined;
  // A command may touch anything; a file tool that names no path touches something we cannot see.
  let unknown = malformed || kind === "execute";
  if (kind !== undefined && FILE_KINDS.has(kind) && byRaw.size === 0) unknown = true;

  return { paths: [...byRaw.values()], ...(cwd !== undefined ? { cwd } : {}), unknownPaths: unknown, malformed };
}

/**
 * Codex's `changes`: a map path → change (old agent: `{update: {move_path}}` or `{type, move_path}`),
 * or app-server's list `[{path, kind: {type, move_path}}]`. A move's target is a touched path too.
 * Returns false when the shape is not understood.
 */
function collectChanges(changes: unknown, add: (value: unknown, source: PathSource) => void): boolean {
  let understood = true;
  const addMoveTarget = (change: unknown): void => {
    if (!isRecord(change)) return;
    const candidates = [change, change["update"], change["kind"]];
    for (const candidate of candidates) {
      if (!isRecord(candidate)) continue;
      for (const key of ["move_path", "movePath"]) {
        const target = candidate[key];
        if (target !== undefined && target !== null) add(target, "changes");
      }
    }
  };
  if (Array.isArray(changes)) {
    for (const change of changes) {
      if (!isRecord(change) || typeof change["path"] !== "string") {
        understood = false;
        continue;
      }
      add(change["path"], "changes");
      addMoveTarget(change);
    }
  } else if (isRecord(changes)) {
    for (const [path, change] of Object.entries(changes)) {
      add(path, "changes");
      addMoveTarget(change);
    }
  } else if (changes !== null && changes !== undefined) {
    understood = false;
  }
  return understood;
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
): { paths: string[]; cwd?: string; unknownPaths: boolean } {
  const collected = collect(request, recentDiffPaths);
  return {
    paths: collected.paths.map((p) => p.raw),
    ...(collected.cwd !== undefined ? { cwd: collected.cwd } : {}),
    unknownPaths: collected.unknownPaths,
  };
}
