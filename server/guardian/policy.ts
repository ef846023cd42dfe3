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
// - "allow" needs an `allow_once` option: the only other allow kind, `allow_always`, persists beyond
//   this request (codex-acp's `accept_execpolicy_amendment` writes a permanent rule), so a policy must
//   never pick it on its own; without `allow_once` the request is asked instead.
// - Network (kind `fetch`, or a structured `rawInput.url` / network permission on any kind, which is how
//   codex-acp asks for network from a command) is always asked: no flag covers it.
// - `allowCommands` allows every command, including ones codex-acp wants to run outside its sandbox:
//   a command can write anywhere, so the protected list cannot be enforced for commands and the
//   policy does not pretend to.
// - Writes are auto-allowed (with `allowWrites`) only when every path is known, inside, unprotected
//   and, for `edit`/`move`, every location is confirmed by a diff/changes entry or a path argument:
//   codex-acp lists only the source path of a move in `locations`; the target is only in the diff.
import type { RequestPermissionRequest } from "@agentclientprotocol/sdk";
import type { GuardianFlags, PermissionCategory } from "../protocol/results";
import { collect, isRecord } from "./requestPaths";

export type { GuardianFlags };

/**
 * One path a request names, resolved by pathFacts.ts. `resolved` is "" when the path could not be
 * resolved (a non-file URL, `~user`, a symlink loop, ...); `inside` is then false.
 * `protectedPath` is the PROTECTED_PATTERNS entry the path falls under, or null.
 */
export interface PathFact {
  raw: string;
  resolved: string;
  inside: boolean;
  protectedPath: string | null;
}

/** unknownPaths: the request touches paths we could not enumerate. */
export interface PermissionFacts {
  paths: PathFact[];
  unknownPaths: boolean;
}

export type PolicyAction = "allow" | "ask" | "deny";

export interface PolicyDecision {
  action: PolicyAction;
  reason: string;
  category: PermissionCategory;
}

// ---------------------------------------------------------------------------------------------------
// Deciding

const MAX_SHOWN = 120;

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_SHOWN ? `${flat.slice(0, MAX_SHOWN - 1)}…` : flat;
}

function commandText(toolCall: Record<string, unknown>): string {
  const rawInput = toolCall["rawInput"];
  if (isRecord(rawInput)) {
    const command = rawInput["command"] ?? rawInput["cmd"];
    if (typeof command === "string" && command.trim() !== "") return shorten(command);
    if (Array.isArray(command) && command.length > 0 && command.every((a) => typeof a === "string")) {
      const argv = command as string[];
      // The old agent sends ["bash", "-lc", "<script>"]: show the script.
      if (argv.length === 3 && /(^|[\\/])(ba|z|da|k)?sh$/.test(argv[0]!) && /^-\w*c$/.test(argv[1]!)) {
        return shorten(argv[2]!);
      }
      return shorten(argv.join(" "));
    }
  }
  const title = toolCall["title"];
  return typeof title === "string" && title.trim() !== "" ? shorten(title) : "(command not shown)";
}

function titleOf(toolCall: Record<string, unknown>): string {
  const title = toolCall["title"];
  return typeof title === "string" && title.trim() !== "" ? shorten(title) : "untitled";
}

/** A structured sign of network access: never read from shell text. */
function networkTarget(toolCall: Record<string, unknown>): string | null {
  const rawInput = toolCall["rawInput"];
  if (!isRecord(rawInput)) return null;
  if (typeof rawInput["url"] === "string" && rawInput["url"] !== "") return shorten(rawInput["url"]);
  const extra = rawInput["additionalPermissions"] ?? rawInput["permissions"];
  if (isRecord(extra) && isRecord(extra["network"]) && extra["network"]["enabled"] === true) {
    return "extra sandbox network permission";
  }
  return null;
}

function show(fact: PathFact): string {
  if (fact.resolved === "") return shorten(fact.raw);
  // Show where a symlink or `..` really leads when that differs from what was asked.
  if (!fact.inside && fact.raw !== fact.resolved) return shorten(`${fact.raw} (→ ${fact.resolved})`);
  return shorten(fact.resolved);
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

function decision(action: PolicyAction, category: PermissionCategory, reason: string): PolicyDecision {
  return { action, category, reason };
}

function categoryOf(kind: string | undefined, network: boolean): PermissionCategory {
  if (network || kind === "fetch") return "network";
  if (kind === "read" || kind === "search") return "read";
  if (kind === "edit" || kind === "delete" || kind === "move") return "edit";
  if (kind === "execute") return "command";
  return "other";
}

/**
 * The policy. `facts` must come from resolvePathFacts() over collectRequestPaths(request, diffPaths);
 * a collected path without a fact is treated as unknown, so a caller that forgets a path gets an
 * "ask", never an "allow". `diffPaths` are the diff paths of the preceding tool_call update.
 */
export function decide(
  request: RequestPermissionRequest,
  facts: PermissionFacts,
  flags: GuardianFlags,
  diffPaths?: string[],
): PolicyDecision {
  const toolCall: unknown = (request as { toolCall?: unknown } | null | undefined)?.toolCall;
  if (!isRecord(toolCall)) return decision("deny", "other", "malformed permission request: no tool call");

  const kind = typeof toolCall["kind"] === "string" ? toolCall["kind"] : undefined;
  const network = networkTarget(toolCall);
  const category = categoryOf(kind, network !== null);

  // Nothing to allow with: these can never be answered "yes", so asking a person is pointless.
  const options: unknown = (request as { options?: unknown }).options;
  if (!Array.isArray(options) || options.length === 0) {
    return decision("deny", category, "the request offers no options to answer with");
  }
  const optionKinds = options.map((o) => (isRecord(o) ? o["kind"] : undefined));
  if (!optionKinds.some((k) => k === "allow_once" || k === "allow_always")) {
    return decision("deny", category, "the request offers no option to allow it");
  }

  const verdict = evaluate(request, toolCall, kind, network, category, facts, flags, diffPaths);
  if (verdict.action === "allow" && !optionKinds.includes("allow_once")) {
    return decision("ask", category, `${verdict.reason}, but only a lasting allow is offered`);
  }
  return verdict;
}

function evaluate(
  request: RequestPermissionRequest,
  toolCall: Record<string, unknown>,
  kind: string | undefined,
  network: string | null,
  category: PermissionCategory,
  facts: PermissionFacts,
  flags: GuardianFlags,
  diffPaths: string[] | undefined,
): PolicyDecision {
  if (network !== null) return decision("ask", category, `network access: ${network}`);

  switch (kind) {
    case "fetch":
      return decision("ask", category, `network fetch: ${titleOf(toolCall)}`);
    case "execute": {
      // Never parse the command: anything that looks like a read can still run code.
      const command = commandText(toolCall);
      return flags.allowCommands
        ? decision("allow", category, `command (commands allowed): \`${command}\``)
        : decision("ask", category, `command: \`${command}\``);
    }
    case "read":
    case "search":
    case "edit":
    case "delete":
    case "move":
      break;
    case "think":
      return decision("ask", category, `thinking step asks for permission: ${titleOf(toolCall)}`);
    case "switch_mode":
      return decision("ask", category, `mode switch: ${titleOf(toolCall)}`);
    case "other":
      return decision("ask", category, `other request: ${titleOf(toolCall)}`);
    case undefined:
      return decision("ask", category, `request with no tool kind: ${titleOf(toolCall)}`);
    default:
      return decision("ask", category, `unknown tool kind "${shorten(kind)}": ${titleOf(toolCall)}`);
  }

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

  if (kind === "read" || kind === "search") {
    if (unresolved.length > 0) return decision("ask", category, `${kind} of a path that cannot be resolved: ${list(unresolved)}`);
    if (flags.allowExternalReads) {
      // A plain read may name nothing; a search with no path could search anything (even the web).
      if (known.length > 0 || (kind === "read" && collected.paths.length === 0)) {
        const outside = known.filter((f) => f.inside !== true);
        if (outside.length > 0) {
          return decision("allow", category, `${kind} outside the workspace (external reads allowed): ${list(outside)}`);
        }
        return known.length > 0
          ? decision("allow", category, `${kind} inside the workspace`)
          : decision("allow", category, `${kind} of an unnamed path (external reads allowed)`);
      }
      return decision("ask", category, `${kind} with no known path`);
    }
    const outside = known.filter((f) => f.inside !== true);
    if (outside.length > 0) return decision("ask", category, `${kind} outside the workspace: ${list(outside)}`);
    if (unknown || known.length === 0) return decision("ask", category, `${kind} with no known path`);
    return decision("allow", category, `${kind} inside the workspace`);
  }

  // edit / delete / move. Most alarming reason first.
  const protectedFacts = known.filter((f) => typeof f.protectedPath === "string" && f.protectedPath !== "");
  if (protectedFacts.length > 0) {
    const first = protectedFacts[0]!;
    const more = protectedFacts.length > 1 ? ` and ${protectedFacts.length - 1} more` : "";
    return decision("ask", category, `${kind} of a protected path (${first.protectedPath}): ${show(first)}${more}`);
  }
  const outside = known.filter((f) => f.inside !== true);
  if (outside.length > 0) return decision("ask", category, `${kind} outside the workspace: ${list(outside)}`);
  if (unresolved.length > 0) return decision("ask", category, `${kind} of a path that cannot be resolved: ${list(unresolved)}`);
  if (unknown || known.length === 0) return decision("ask", category, `${kind} with no known path`);
  if (!flags.allowWrites) return decision("ask", category, `${kind} inside the workspace: ${list(known)}`);

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
    if (unconfirmed.length > 0) {
      return decision("ask", category, `${kind} whose target was not confirmed by a diff: ${list(unconfirmed)}`);
    }
  }
  return decision("allow", category, `${kind} inside the workspace (writes allowed): ${list(known)}`);
}
