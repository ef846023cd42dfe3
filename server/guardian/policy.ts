// The guardian's policy: one pure function from (permission request, resolved path facts, flags) to
// allow / ask / deny. The promise it keeps: "Codex may read inside the workspace; commands, writes,
// network and reads outside come back for a decision." No I/O here: paths are resolved beforehand by
// pathFacts.ts, so this file can be table-tested exhaustively.
//
// Decisions worth knowing (see also the comments at each rule):
// - Shell text is never parsed. `cat README.md` is a command like any other (allowlists were escaped
//   by `rg --pre=sh`, `git diff --output=F`, `./git`, ... in the original server).
// - "deny" is reserved for requests that cannot be answered with an allow at all: no tool call, no
//   options, or no allow option. Everything else the policy does not allow is asked.
// - "allow" needs an `allow_once` option: `allow_always` outlives the request (session-scoped at best,
//   permanent at worst), so a policy never picks it on its own; without `allow_once` it asks.
// - Network of every protocol (http/https URLs, codex-acp's socks5Tcp/socks5Udp approvals that carry
//   only a title and a text line), MCP tool calls (into other MCP servers) and sandbox widenings
//   (extra permissions on a command, permission profiles, grant roots) are always asked: no flag
//   covers them, although codex-acp sends most of them as kind `execute` (subject.ts).
// - A request from another session than ours (codex-acp gives subagents their own) is always asked (the session
//   declines those before judging: no turn of ours waits on them).
// - `allowCommands` allows commands whose text the request shows, including ones codex-acp wants to
//   run outside its sandbox: a command can write anywhere, so the protected list cannot be enforced
//   for commands and the policy does not pretend to. An `execute` request that shows no command is
//   not known to be a command, and is asked.
// - Writes are auto-allowed (with `allowWrites`) only when every path is known, inside, unprotected
//   (also through a symlink), and so is what the write changes (effect.ts: all below a folder it deletes or
//   moves, all a move creates), no changed file has other names (hard links) or lies on another mount, and,
//   for `edit`/`move`, every change is covered by a diff of its own: codex-acp lists only the source path
//   of a move in `locations`; the target is only in the diff.
import type { GuardianFlags, PermissionCategory } from "../protocol/results";
import { clip } from "../protocol/text";
import { protectedCategory } from "./protectedPaths";
import { isPermanentOption } from "./options";
import { collect, isRecord } from "./requestPaths";
import { MAX_SHOWN, subjectOf, titleOf, visibleCommand, type AnnouncedToolCall } from "./subject";

export type { GuardianFlags };

/**
 * One path a request names, resolved by pathFacts.ts. `resolved` is "" when the path could not be
 * resolved (a non-file URL, `~user`, a symlink loop, ...); `inside` is then false. `resolved` is the
 * real path as the file system spells it. `protectedPath` is the PROTECTED_PATTERNS entry the path
 * falls under (by its real path, as written, or through a symlink in the workspace), or null.
 */
export interface PathFact {
  raw: string;
  resolved: string;
  inside: boolean;
  protectedPath: string | null;
  /** The file-system object (device:inode) of an existing path: two spellings of one file share it. */
  object?: string;
  /** How many names an existing non-directory has; more than one means names the request does not show. */
  hardLinks?: number;
  /** Inside by name but on another file system than the workspace (a mount inside it): where it leads is not known. */
  mounted?: boolean;
}

/**
 * unknownPaths: the request touches paths we could not enumerate. symlinksChecked: every symlink in
 * the workspace was looked at for a protected name (false when not looked for, or too many entries).
 */
export interface PermissionFacts {
  paths: PathFact[];
  unknownPaths: boolean;
  symlinksChecked?: boolean;
  /**
   * What a write changes beyond the names it lists (effect.ts): the objects below a folder it deletes or moves, what
   * a move creates at its destination — only those that decide (protected, outside, with other names). `complete`
   * false (or no effect at all) means it was not looked at to the end, and a write is then not allowed.
   */
  effect?: { facts: PathFact[]; complete: boolean };
}

export type PolicyAction = "allow" | "ask" | "deny";

export interface PolicyDecision {
  action: PolicyAction;
  reason: string;
  category: PermissionCategory;
  /** For network, MCP and sandbox requests: what exactly, in a short phrase ("socks5/TCP to example.com"). */
  what: string | null;
}

/** What the caller knows beyond the request itself. */
export interface DecideContext {
  /** The diff paths of the preceding tool_call update (codex-acp sends an edit's diff there). */
  diffPaths?: string[];
  /** The session this server opened; a request from any other (a codex-acp subagent) is asked. */
  sessionId: string | null;
  /** How the tool call was announced before the request (names an MCP call's server and tool). */
  announced?: AnnouncedToolCall;
}


function show(fact: PathFact): string {
  if (fact.resolved === "") return clip(fact.raw, MAX_SHOWN);
  // Show where a symlink or `..` really leads when that differs from what was asked.
  if (!fact.inside && fact.raw !== fact.resolved) return clip(`${fact.raw} (→ ${fact.resolved})`, MAX_SHOWN);
  return clip(fact.resolved, MAX_SHOWN);
}

function list(all: PathFact[]): string {
  // The same file named twice (relative argument, absolute location) is one file.
  const seen = new Set<string>();
  const facts = all.filter((f) => {
    const key = f.object ?? (f.resolved || f.raw);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (facts.length === 0) return "";
  const more = facts.length > 1 ? ` and ${facts.length - 1} more` : "";
  return `${show(facts[0]!)}${more}`;
}

/** Why a path inside by name may lead elsewhere. */
function elsewhere(fact: PathFact): string {
  return fact.mounted === true ? "a path on another file system mounted inside the workspace" : `a file with ${fact.hardLinks} hard links`;
}

function unreadable(kind: string, known: PathFact[]): string {
  return `${kind} naming a path that cannot be read from the request${known.length > 0 ? `, besides ${list(known)}` : ""}`;
}

/**
 * The policy. `request` is best the raw request as the agent sent it (the SDK's parsed view drops
 * malformed locations). `facts` must come from resolvePathFacts() over collectRequestPaths(request,
 * diffPaths); a collected path without a fact is treated as unknown, so a caller that forgets a path
 * gets an "ask", never an "allow".
 */
export function decide(request: unknown, facts: PermissionFacts, flags: GuardianFlags, context: DecideContext): PolicyDecision {
  const toolCall: unknown = isRecord(request) ? request["toolCall"] : undefined;
  if (!isRecord(request) || !isRecord(toolCall)) return { action: "deny", category: "other", what: null, reason: "malformed permission request: no tool call" };

  const { category, what } = subjectOf(request, toolCall, context?.announced);
  const decision = (action: PolicyAction, reason: string): PolicyDecision => ({ action, category, what, reason });

  // Nothing to allow with: these can never be answered "yes", so asking a person is pointless.
  const options = request["options"];
  if (!Array.isArray(options) || options.length === 0) return decision("deny", "the request offers no options to answer with");
  const optionKinds = options.map((o) => (isRecord(o) ? o["kind"] : undefined));
  if (!optionKinds.some((k) => k === "allow_once" || k === "allow_always")) return decision("deny", "the request offers no option to allow it");

  const verdict = evaluate({ request, toolCall, category, what, facts, flags, context, decision });
  // An automatic allow is once: with no one-time option that ends with the request, a person decides.
  const once = options.some((o) => isRecord(o) && o["kind"] === "allow_once" && typeof o["optionId"] === "string" && !isPermanentOption(o as { optionId: string; kind: "allow_once" }));
  if (verdict.action === "allow" && !once) {
    return decision("ask", `${verdict.reason}, but only a lasting allow is offered`);
  }
  return verdict;
}

/** What one decision is made from: the request, how it was classified, the facts about its paths and the flags. */
interface Judging {
  request: Record<string, unknown>;
  toolCall: Record<string, unknown>;
  category: PermissionCategory;
  what: string | null;
  facts: PermissionFacts;
  flags: GuardianFlags;
  context: DecideContext;
  decision: (action: PolicyAction, reason: string) => PolicyDecision;
}

function evaluate(judging: Judging): PolicyDecision {
  const { request, toolCall, category, what, flags, context, decision } = judging;
  const kind = typeof toolCall["kind"] === "string" ? toolCall["kind"] : undefined;
  const sessionId = typeof request["sessionId"] === "string" ? request["sessionId"] : null;
  if (sessionId === null || sessionId !== context?.sessionId) {
    return decision("ask", `request from another Codex session (${clip(String(sessionId), MAX_SHOWN)}, e.g. a subagent): ${what ?? titleOf(toolCall)}`);
  }

  // No flag covers these, whatever kind codex-acp sends them as.
  if (category === "network") return decision("ask", `network access: ${what}`);
  if (category === "mcp") return decision("ask", `${what}: a call into another MCP server`);
  if (category === "sandbox") return decision("ask", `sandbox widening: ${what}`);

  switch (kind) {
    case "execute": {
      // Never parse the command: anything that looks like a read can still run code.
      const command = visibleCommand(toolCall);
      if (command === null) return decision("ask", `command that the request does not show: ${titleOf(toolCall)}`);
      return flags.allowCommands ? decision("allow", `command (commands allowed): \`${command}\``) : decision("ask", `command: \`${command}\``);
    }
    case "read":
    case "search":
    case "edit":
    case "delete":
    case "move":
      return judgePaths(kind, judging);
    case "think":
      return decision("ask", `thinking step asks for permission: ${titleOf(toolCall)}`);
    case "switch_mode":
      return decision("ask", `mode switch: ${titleOf(toolCall)}`);
    case "other":
      return decision("ask", `other request: ${titleOf(toolCall)}`);
    case undefined:
      return decision("ask", `request with no tool kind: ${titleOf(toolCall)}`);
    default:
      return decision("ask", `unknown tool kind "${clip(kind, MAX_SHOWN)}": ${titleOf(toolCall)}`);
  }
}

function judgePaths(kind: "read" | "search" | "edit" | "delete" | "move", judging: Judging): PolicyDecision {
  const { request, facts, flags, decision } = judging;
  const diffPaths = judging.context?.diffPaths;
  // Line the collected paths up with their facts; a path without a fact counts as unknown.
  const collected = collect(request, diffPaths);
  const factByRaw = new Map<string, PathFact>();
  const given: unknown = facts?.paths;
  for (const fact of Array.isArray(given) ? (given as PathFact[]) : []) {
    if (isRecord(fact) && typeof fact.raw === "string") factByRaw.set(fact.raw, fact);
  }
  const known: PathFact[] = [];
  const unresolved: PathFact[] = [];
  let unknown = facts?.unknownPaths !== false || collected.unknownPaths; // missing facts: unknown
  for (const path of collected.paths) {
    const fact = factByRaw.get(path.raw);
    if (!fact) unknown = true;
    else if (typeof fact.resolved !== "string" || fact.resolved === "") unresolved.push(fact);
    else known.push(fact);
  }
  const outside = known.filter((f) => f.inside !== true);
  // A file with more than one name is one object: its other names (anywhere) are not shown, so it counts as elsewhere.
  const otherNames = known.filter((f) => (f.hardLinks ?? 1) > 1 || f.mounted === true);

  if (kind === "read" || kind === "search") {
    if (unresolved.length > 0) return decision("ask", `${kind} of a path that cannot be resolved: ${list(unresolved)}`);
    // A request whose paths cannot all be known (a malformed location, a non-string path) is asked,
    // whatever the flags: the unseen path could be anything.
    if (collected.malformed || (unknown && collected.paths.length > 0)) return decision("ask", unreadable(kind, known));
    if (flags.allowExternalReads) {
      // A plain read may name nothing; a search with no path could search anything (even the web).
      if (known.length > 0 || (kind === "read" && collected.paths.length === 0)) {
        if (outside.length > 0) return decision("allow", `${kind} outside the workspace (external reads allowed): ${list(outside)}`);
        if (otherNames.length > 0) return decision("allow", `${kind} of ${elsewhere(otherNames[0]!)} (external reads allowed): ${list(otherNames)}`);
        return known.length > 0 ? decision("allow", `${kind} inside the workspace`) : decision("allow", `${kind} of an unnamed path (external reads allowed)`);
      }
      return decision("ask", `${kind} with no known path`);
    }
    if (outside.length > 0) return decision("ask", `${kind} outside the workspace: ${list(outside)}`);
    if (otherNames.length > 0) return decision("ask", `${kind} of ${elsewhere(otherNames[0]!)}, which may lead outside: ${list(otherNames)}`);
    if (unknown || known.length === 0) return decision("ask", `${kind} with no known path`);
    return decision("allow", `${kind} inside the workspace`);
  }

  // edit / delete / move. Most alarming reason first; what the write changes below the names it lists counts too.
  const effect = facts?.effect;
  const changed = [...known, ...(Array.isArray(effect?.facts) ? effect.facts : [])];
  const protectedFacts = changed.filter((f) => typeof f.protectedPath === "string" && f.protectedPath !== "");
  if (protectedFacts.length > 0) {
    const first = protectedFacts[0]!;
    const more = protectedFacts.length > 1 ? ` and ${protectedFacts.length - 1} more` : "";
    return decision("ask", `${kind} of a protected path (${first.protectedPath}, ${protectedCategory(first.protectedPath!)}): ${show(first)}${more}`);
  }
  const changedOutside = changed.filter((f) => f.inside !== true);
  if (changedOutside.length > 0) return decision("ask", `${kind} outside the workspace: ${list(changedOutside)}`);
  if (unresolved.length > 0) return decision("ask", `${kind} of a path that cannot be resolved: ${list(unresolved)}`);
  if (collected.malformed || (unknown && known.length > 0)) return decision("ask", unreadable(kind, known));
  if (unknown || known.length === 0) return decision("ask", `${kind} with no known path`);
  if (!flags.allowWrites) return decision("ask", `${kind} inside the workspace: ${list(known)}`);
  const changedOtherNames = changed.filter((f) => (f.hardLinks ?? 1) > 1 || f.mounted === true);
  if (changedOtherNames.length > 0) {
    return decision("ask", `${kind} of ${elsewhere(changedOtherNames[0]!)}, whose other names are not known: ${list(changedOtherNames)}`);
  }
  if (kind !== "delete") {
    const uncovered = uncoveredLocations(collected.paths, factByRaw);
    if (uncovered.length > 0) return decision("ask", `${kind} whose change was not confirmed by a diff of its own: ${list(uncovered)}`);
  }
  if (facts.symlinksChecked !== true) {
    return decision("ask", `${kind} inside the workspace, but its symlinks could not all be checked for protected names: ${list(known)}`);
  }
  if (effect?.complete !== true) {
    return decision("ask", `${kind} inside the workspace, but what it changes below the paths it names could not all be looked at: ${list(known)}`);
  }

  return decision("allow", `${kind} inside the workspace (writes allowed): ${list(known)}`);
}

/**
 * Every change must be covered by its own diff. codex-acp names each change once in `locations` (its source path,
 * spelled as Codex keys its changes: one spelling per change) and sends one diff path per change whose diff was small
 * enough to send (its target: the move target for a move, else the same spelling as the location). A location is
 * covered in place when a diff, a `changes` entry or a path argument names it in the same spelling; the others must be
 * sources of moves, each with its own target among the diff paths that name no location — counted as objects, so one
 * file under two spellings is one target. A second spelling of a covered file is a change of its own, and is not
 * covered by the first one's diff. Returns the uncovered locations.
 */
function uncoveredLocations(paths: ReturnType<typeof collect>["paths"], factByRaw: Map<string, PathFact>): PathFact[] {
  const confirming = paths.filter((p) => [...p.sources].some((s) => s !== "location"));
  // Only codex-acp's shape (locations and diffs, nothing else) can drop a change's diff; a `changes` map or a path
  // argument lists every change itself, so there a location is covered by any entry that resolves to the same place.
  const explicit = !paths.every((p) => [...p.sources].every((s) => s === "location" || s === "diff"));
  const raws = new Set(confirming.map((p) => p.raw));
  const places = new Set(explicit ? confirming.map((p) => factByRaw.get(p.raw)?.resolved).filter((r) => r !== undefined && r !== "") : []);
  const uncovered = paths.filter((p) => p.sources.has("location") && !raws.has(p.raw) && !places.has(factByRaw.get(p.raw)?.resolved));
  if (uncovered.length === 0) return [];
  const facts = uncovered.map((p) => factByRaw.get(p.raw)!);
  if (explicit) return facts;
  const objectOf = (raw: string) => {
    const fact = factByRaw.get(raw);
    return fact?.object ?? fact?.resolved ?? raw;
  };
  const locationObjects = new Set(paths.filter((p) => p.sources.has("location")).map((p) => objectOf(p.raw)));
  const targets = new Set(paths.filter((p) => p.sources.has("diff") && !p.sources.has("location")).map((p) => objectOf(p.raw)).filter((o) => !locationObjects.has(o)));
  return targets.size >= uncovered.length ? [] : facts;
}
