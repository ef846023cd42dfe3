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
//   (also through a symlink), and, for `edit`/`move`, every location is confirmed by a diff/changes
//   entry or a path argument: codex-acp lists only the source path of a move in `locations`; the
//   target is only in the diff.
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
}

/**
 * unknownPaths: the request touches paths we could not enumerate. symlinksChecked: every symlink in
 * the workspace was looked at for a protected name (false when not looked for, or too many entries).
 */
export interface PermissionFacts {
  paths: PathFact[];
  unknownPaths: boolean;
  symlinksChecked?: boolean;
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
    const key = f.resolved || f.raw;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (facts.length === 0) return "";
  const more = facts.length > 1 ? ` and ${facts.length - 1} more` : "";
  return `${show(facts[0]!)}${more}`;
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

  const verdict = evaluate(request, toolCall, category, what, facts, flags, context, decision);
  // An automatic allow is once: with no one-time option that ends with the request, a person decides.
  const once = options.some((o) => isRecord(o) && o["kind"] === "allow_once" && typeof o["optionId"] === "string" && !isPermanentOption(o as { optionId: string; kind: "allow_once" }));
  if (verdict.action === "allow" && !once) {
    return decision("ask", `${verdict.reason}, but only a lasting allow is offered`);
  }
  return verdict;
}

function evaluate(
  request: Record<string, unknown>,
  toolCall: Record<string, unknown>,
  category: PermissionCategory,
  what: string | null,
  facts: PermissionFacts,
  flags: GuardianFlags,
  context: DecideContext,
  decision: (action: PolicyAction, reason: string) => PolicyDecision,
): PolicyDecision {
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
      return judgePaths(request, kind, facts, flags, context?.diffPaths, decision);
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

function judgePaths(
  request: Record<string, unknown>,
  kind: "read" | "search" | "edit" | "delete" | "move",
  facts: PermissionFacts,
  flags: GuardianFlags,
  diffPaths: string[] | undefined,
  decision: (action: PolicyAction, reason: string) => PolicyDecision,
): PolicyDecision {
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

  if (kind === "read" || kind === "search") {
    if (unresolved.length > 0) return decision("ask", `${kind} of a path that cannot be resolved: ${list(unresolved)}`);
    // A request whose paths cannot all be known (a malformed location, a non-string path) is asked,
    // whatever the flags: the unseen path could be anything.
    if (collected.malformed || (unknown && collected.paths.length > 0)) return decision("ask", unreadable(kind, known));
    if (flags.allowExternalReads) {
      // A plain read may name nothing; a search with no path could search anything (even the web).
      if (known.length > 0 || (kind === "read" && collected.paths.length === 0)) {
        if (outside.length > 0) return decision("allow", `${kind} outside the workspace (external reads allowed): ${list(outside)}`);
        return known.length > 0 ? decision("allow", `${kind} inside the workspace`) : decision("allow", `${kind} of an unnamed path (external reads allowed)`);
      }
      return decision("ask", `${kind} with no known path`);
    }
    if (outside.length > 0) return decision("ask", `${kind} outside the workspace: ${list(outside)}`);
    if (unknown || known.length === 0) return decision("ask", `${kind} with no known path`);
    return decision("allow", `${kind} inside the workspace`);
  }

  // edit / delete / move. Most alarming reason first.
  const protectedFacts = known.filter((f) => typeof f.protectedPath === "string" && f.protectedPath !== "");
  if (protectedFacts.length > 0) {
    const first = protectedFacts[0]!;
    const more = protectedFacts.length > 1 ? ` and ${protectedFacts.length - 1} more` : "";
    return decision("ask", `${kind} of a protected path (${first.protectedPath}, ${protectedCategory(first.protectedPath!)}): ${show(first)}${more}`);
  }
  if (outside.length > 0) return decision("ask", `${kind} outside the workspace: ${list(outside)}`);
  if (unresolved.length > 0) return decision("ask", `${kind} of a path that cannot be resolved: ${list(unresolved)}`);
  if (collected.malformed || (unknown && known.length > 0)) return decision("ask", unreadable(kind, known));
  if (unknown || known.length === 0) return decision("ask", `${kind} with no known path`);
  if (!flags.allowWrites) return decision("ask", `${kind} inside the workspace: ${list(known)}`);
  if (facts.symlinksChecked !== true) {
    return decision("ask", `${kind} inside the workspace, but its symlinks could not all be checked for protected names: ${list(known)}`);
  }

  if (kind !== "delete") {
    // A location must be confirmed by something that names the real target (a diff, a changes entry,
    // a path argument): codex-acp's locations hold a move's source only, and a diff too large to send
    // is dropped, so an unconfirmed location may hide a target elsewhere.
    const confirmed = new Set<string>();
    for (const path of collected.paths) {
      if ([...path.sources].some((s) => s !== "location")) {
        const fact = factByRaw.get(path.raw);
        if (fact) confirmed.add(fact.resolved);
        confirmed.add(path.raw);
      }
    }
    const unconfirmed = collected.paths
      .filter((p) => p.sources.size === 1 && p.sources.has("location"))
      .map((p) => factByRaw.get(p.raw)!)
      .filter((f) => !confirmed.has(f.raw) && !confirmed.has(f.resolved));
    if (unconfirmed.length > 0 && !movesExplained(collected.paths, factByRaw)) {
      return decision("ask", `${kind} whose target was not confirmed by a diff: ${list(unconfirmed)}`);
    }
  }
  return decision("allow", `${kind} inside the workspace (writes allowed): ${list(known)}`);
}

/**
 * codex-acp's file change: one location per change (its source path, unique) and one diff path per change
 * whose diff was small enough to send (its target: the move target for a move). As many distinct diff
 * paths as locations means no diff was dropped, so every target is among the (already checked) diff
 * paths and the unconfirmed locations are the sources of moves.
 */
function movesExplained(paths: ReturnType<typeof collect>["paths"], factByRaw: Map<string, PathFact>): boolean {
  if (!paths.every((p) => [...p.sources].every((s) => s === "location" || s === "diff"))) return false;
  const distinct = (source: "location" | "diff") => new Set(paths.filter((p) => p.sources.has(source)).map((p) => factByRaw.get(p.raw)?.resolved ?? p.raw)).size;
  return distinct("diff") === distinct("location");
}
