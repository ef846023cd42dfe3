// Table tests of the guardian policy, run through the real pipeline the server uses:
// collectRequestPaths → resolvePathFacts (on a real temp workspace) → decide.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { RequestPermissionRequest } from "@agentclientprotocol/sdk";
import { decide, type GuardianFlags, type PermissionFacts, type PolicyAction } from "../../../../server/guardian/policy";
import { PROTECTED_PATTERNS, protectedArea } from "../../../../server/guardian/protectedPaths";
import { collectRequestPaths } from "../../../../server/guardian/requestPaths";
import { resolvePathFacts } from "../../../../server/guardian/pathFacts";
import { scanWorkspaceLinks } from "../../../../server/guardian/workspaceLinks";
import { effectOf } from "../../../../server/guardian/effect";

const NONE: GuardianFlags = { allowExternalReads: false, allowWrites: false, allowCommands: false };
const READS: GuardianFlags = { ...NONE, allowExternalReads: true };
const WRITES: GuardianFlags = { ...NONE, allowWrites: true };
const COMMANDS: GuardianFlags = { ...NONE, allowCommands: true };
const ALL: GuardianFlags = { allowExternalReads: true, allowWrites: true, allowCommands: true };

// codex-acp 2.6 options (docs/codex-acp.md).
const EXEC_OPTIONS = [
  { optionId: "allow_once", kind: "allow_once", name: "Yes, proceed" },
  { optionId: "accept_execpolicy_amendment", kind: "allow_always", name: "Yes, and don't ask again" },
  { optionId: "cancel", kind: "reject_once", name: "No, and tell Codex what to do differently" },
];
const EDIT_OPTIONS = [
  { optionId: "allow_once", kind: "allow_once", name: "Yes" },
  { optionId: "allow_for_session", kind: "allow_always", name: "Yes, for this session" },
  { optionId: "cancel", kind: "reject_once", name: "No" },
];
// The old Rust agent's option ids.
const OLD_OPTIONS = [
  { optionId: "approved", kind: "allow_once", name: "Approve" },
  { optionId: "approved-execpolicy-amendment", kind: "allow_always", name: "Always" },
  { optionId: "abort", kind: "reject_once", name: "Abort" },
];

// The workspace name has an "é" (NFC) so look-alikes can be tested; "$WS" / "$HOME" / "$OUT" in the
// table are replaced by the real temp paths.
let tmp = "";
let WS = "";
let HOME = "";
let OUT = "";

before(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "guardian-policy-")));
  HOME = path.join(tmp, "home");
  WS = path.join(tmp, "proj-\u00e9");
  OUT = path.join(tmp, "outside");
  await fs.mkdir(path.join(HOME), { recursive: true });
  await fs.writeFile(path.join(HOME, ".bashrc"), "# rc\n");
  await fs.mkdir(path.join(WS, "src"), { recursive: true });
  await fs.mkdir(path.join(WS, ".git", "hooks"), { recursive: true });
  await fs.mkdir(path.join(WS, "sub", ".git", "hooks"), { recursive: true });
  await fs.writeFile(path.join(WS, "README.md"), "# readme\n");
  await fs.writeFile(path.join(WS, "src", "a.ts"), "export {};\n");
  await fs.mkdir(OUT, { recursive: true });
  await fs.writeFile(path.join(OUT, "secret.txt"), "secret\n");
  await fs.mkdir(`${WS}-other`, { recursive: true });
  await fs.symlink(OUT, path.join(WS, "link-out"));
  await fs.symlink(path.join(WS, "src"), path.join(WS, "link-in"));
  await fs.symlink(path.join(WS, ".git"), path.join(WS, "git-alias"));
});

after(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

function substitute<T>(value: T): T {
  const json = JSON.stringify(value ?? null)
    .replaceAll("$WS", WS)
    .replaceAll("$HOME", HOME)
    .replaceAll("$OUT", OUT);
  return JSON.parse(json) as T;
}

async function factsFor(request: RequestPermissionRequest, diffPaths?: string[]): Promise<PermissionFacts> {
  const collected = collectRequestPaths(request, diffPaths);
  const folding = { caseInsensitive: false, unicodeInsensitive: false };
  const scan = await scanWorkspaceLinks(WS, { folding });
  const paths = await resolvePathFacts(collected.paths, {
    workspace: WS,
    homeDir: HOME,
    ...(collected.cwd !== undefined ? { cwd: collected.cwd } : {}),
    ...folding,
    links: scan.links,
  });
  const effect = await effectOf(paths, collected.moves, { root: WS, links: scan.links, deadline: Date.now() + 60_000, folding });
  return { paths, unknownPaths: collected.unknownPaths, symlinksChecked: scan.complete, effect };
}

interface ToolCallShape {
  toolCallId?: string;
  kind?: string | null;
  title?: string;
  status?: string;
  rawInput?: unknown;
  locations?: unknown;
  content?: unknown;
}

function req(toolCall: ToolCallShape, options: unknown[] = EXEC_OPTIONS): RequestPermissionRequest {
  return { sessionId: "s1", toolCall: { toolCallId: "call_1", ...toolCall }, options } as RequestPermissionRequest;
}
const read = (p: string, extra: ToolCallShape = {}) => req({ kind: "read", title: "Read", rawInput: { path: p }, ...extra });
const editAt = (p: string, extra: ToolCallShape = {}) =>
  req({ kind: "edit", status: "pending", title: "Edit files", locations: [{ path: p }], ...extra }, EDIT_OPTIONS);
const exec = (command: unknown, extra: ToolCallShape = {}) =>
  req({ kind: "execute", status: "pending", title: String(command), rawInput: { command, cwd: "$WS" }, ...extra });

interface Case {
  name: string;
  request: RequestPermissionRequest | null;
  flags: GuardianFlags;
  diffPaths?: string[];
  expect: PolicyAction;
  reason?: RegExp;
  category?: string;
  /** Replace the computed facts (to test a caller that forgets paths). */
  facts?: PermissionFacts;
}

const cases: Case[] = [
  // ---- reads and searches
  { name: "read inside (absolute)", request: read("$WS/README.md"), flags: NONE, expect: "allow", reason: /^read inside the workspace$/, category: "read" },
  { name: "read inside (relative to the workspace)", request: read("src/a.ts"), flags: NONE, expect: "allow" },
  { name: "read of the workspace root itself", request: read("$WS"), flags: NONE, expect: "allow" },
  { name: "read of the workspace root with a trailing slash", request: read("$WS/"), flags: NONE, expect: "allow" },
  { name: "read of a not-yet-existing file inside", request: read("$WS/src/new/deep.ts"), flags: NONE, expect: "allow" },
  { name: "read outside: /etc/passwd", request: read("/etc/passwd"), flags: NONE, expect: "ask", reason: /^read outside the workspace: \/etc\/passwd$/ },
  { name: "read outside with allowExternalReads", request: read("/etc/passwd"), flags: READS, expect: "allow", reason: /external reads allowed/ },
  { name: "read escaping with ..", request: read("$WS/../outside/secret.txt"), flags: NONE, expect: "ask", reason: /outside the workspace/ },
  { name: "read with .. that comes back inside", request: read("../proj-\u00e9/README.md"), flags: NONE, expect: "allow" },
  { name: "read of ~/.bashrc", request: read("~/.bashrc"), flags: NONE, expect: "ask", reason: /outside the workspace/ },
  { name: "read of ~/.bashrc with allowExternalReads", request: read("~/.bashrc"), flags: READS, expect: "allow" },
  { name: "read of ~ itself", request: read("~"), flags: NONE, expect: "ask" },
  { name: "read of ~user is unresolvable", request: read("~root/.ssh/id_rsa"), flags: READS, expect: "ask", reason: /cannot be resolved/ },
  { name: "read through a symlink pointing outside", request: read("$WS/link-out/secret.txt"), flags: NONE, expect: "ask", reason: /link-out\/secret\.txt \(→ .*outside\/secret\.txt\)/ },
  { name: "read through a symlink pointing inside", request: read("link-in/a.ts"), flags: NONE, expect: "allow" },
  { name: "read by file:// URI inside", request: read("file://$WS/README.md"), flags: NONE, expect: "allow" },
  { name: "read by file:// URI outside", request: read("file:///etc/hosts"), flags: NONE, expect: "ask" },
  { name: "read of an https URL is never a local read", request: read("https://example.com/x"), flags: READS, expect: "ask", reason: /cannot be resolved/ },
  { name: "read naming no path", request: req({ kind: "read", title: "Read" }), flags: NONE, expect: "ask", reason: /^read with no known path$/ },
  { name: "plain read naming no path with allowExternalReads", request: req({ kind: "read", title: "Read" }), flags: READS, expect: "allow", reason: /^read of an unnamed path \(external reads allowed\)$/ },
  { name: "search naming no path with allowExternalReads", request: req({ kind: "search", title: "Search" }), flags: READS, expect: "ask", reason: /^search with no known path$/ },
  { name: "search inside", request: req({ kind: "search", rawInput: { path: "$WS/src", pattern: "x" } }), flags: NONE, expect: "allow", reason: /^search inside the workspace$/ },
  { name: "search outside", request: req({ kind: "search", rawInput: { path: "/usr", pattern: "x" } }), flags: NONE, expect: "ask" },
  { name: "search with relative path against an outside cwd", request: req({ kind: "search", rawInput: { path: "src", cwd: "$OUT" } }), flags: NONE, expect: "ask" },
  { name: "read of a sibling that shares the prefix (/ws-other)", request: read("$WS-other/x"), flags: NONE, expect: "ask" },
  { name: "read of a Cyrillic look-alike of the workspace", request: read("LOOKALIKE/README.md"), flags: NONE, expect: "ask" },
  { name: "read of the NFD twin of the workspace (another folder on Linux)", request: read("NFD/README.md"), flags: NONE, expect: "ask", reason: /outside the workspace/ },
  { name: "read with a location inside but a path argument outside", request: read("/etc/shadow", { locations: [{ path: "$WS/README.md" }] }), flags: NONE, expect: "ask" },
  { name: "read with a malformed location", request: req({ kind: "read", locations: [{ line: 3 }, { path: "$WS/README.md" }] }), flags: NONE, expect: "ask", reason: /path that cannot be read from the request, besides .*README\.md$/ },
  { name: "read with a malformed location, external reads allowed", request: req({ kind: "read", locations: [{ path: 42 }, { path: "$WS/README.md" }] }), flags: READS, expect: "ask", reason: /cannot be read from the request/ },
  { name: "read with an inside location and absolute_path outside", request: req({ kind: "read", locations: [{ path: "$WS/README.md" }], rawInput: { absolute_path: "/etc/shadow" } }), flags: NONE, expect: "ask", reason: /\/etc\/shadow/ },
  { name: "search whose target names the outside", request: req({ kind: "search", rawInput: { pattern: "x", search_target: "$OUT" } }), flags: NONE, expect: "ask", reason: /outside/ },
  { name: "read inside .git is a read, not a write", request: read("$WS/.git/config"), flags: NONE, expect: "allow" },
  { name: "read whose only allow is lasting", request: req({ kind: "read", rawInput: { path: "$WS/README.md" } }, [{ optionId: "a", kind: "allow_always", name: "Always" }, { optionId: "c", kind: "reject_once", name: "No" }]), flags: NONE, expect: "ask", reason: /only a lasting allow/ },
  { name: "read whose only allow_once is a lasting rule by its id", request: req({ kind: "read", rawInput: { path: "$WS/README.md" } }, [{ optionId: "allow_persistent_rule", kind: "allow_once", name: "Yes, and remember" }, { optionId: "allow_for_session", kind: "allow_always", name: "This session" }, { optionId: "c", kind: "reject_once", name: "No" }]), flags: NONE, expect: "ask", reason: /only a lasting allow/ },

  // ---- edits, deletes, moves
  { name: "codex-acp edit, locations only, no flags", request: editAt("$WS/src/a.ts"), flags: NONE, expect: "ask", reason: /^edit inside the workspace: .*src\/a\.ts$/, category: "edit" },
  { name: "codex-acp edit, locations only, allowWrites, diff not seen", request: editAt("$WS/src/a.ts"), flags: WRITES, expect: "ask", reason: /not confirmed by a diff/ },
  { name: "codex-acp edit with the preceding diff paths, allowWrites", request: editAt("$WS/src/a.ts"), flags: WRITES, diffPaths: ["$WS/src/a.ts"], expect: "allow", reason: /writes allowed/ },
  { name: "codex-acp edit creating a new file, allowWrites", request: editAt("$WS/x.txt"), flags: WRITES, diffPaths: ["$WS/x.txt"], expect: "allow" },
  { name: "codex-acp move: location inside, diff target outside", request: editAt("$WS/src/a.ts"), flags: WRITES, diffPaths: ["/tmp/elsewhere/a.ts"], expect: "ask", reason: /^edit outside the workspace: \/tmp\/elsewhere\/a\.ts$/ },
  { name: "codex-acp move inside: the one diff is the move's target", request: editAt("$WS/src/a.ts"), flags: WRITES, diffPaths: ["$WS/src/b.ts"], expect: "allow" },
  { name: "codex-acp: two locations, one diff (a dropped diff may hide a target)", request: req({ kind: "edit", locations: [{ path: "$WS/src/a.ts" }, { path: "$WS/src/c.ts" }] }, EDIT_OPTIONS), flags: WRITES, diffPaths: ["$WS/src/b.ts"], expect: "ask", reason: /not confirmed/ },
  { name: "codex-acp: two moves inside, both targets in the diffs", request: req({ kind: "edit", locations: [{ path: "$WS/src/a.ts" }, { path: "$WS/src/c.ts" }] }, EDIT_OPTIONS), flags: WRITES, diffPaths: ["$WS/src/b.ts", "$WS/src/d.ts"], expect: "allow" },
  { name: "edit with no locations and no diff, every flag", request: req({ kind: "edit", title: "Edit files" }, EDIT_OPTIONS), flags: ALL, expect: "ask", reason: /^edit with no known path$/ },
  { name: "edit with empty locations, every flag", request: req({ kind: "edit", locations: [] }, EDIT_OPTIONS), flags: ALL, expect: "ask" },
  { name: "edit whose diff content points outside", request: req({ kind: "edit", locations: [{ path: "$WS/a" }], content: [{ type: "diff", path: "/etc/hosts", newText: "x" }] }, EDIT_OPTIONS), flags: WRITES, expect: "ask", reason: /\/etc\/hosts/ },
  { name: "edit with inline diff content inside, allowWrites", request: req({ kind: "edit", locations: [{ path: "$WS/src/a.ts" }], content: [{ type: "diff", path: "$WS/src/a.ts", oldText: "a", newText: "b" }] }, EDIT_OPTIONS), flags: WRITES, expect: "allow" },
  { name: "old agent: rawInput.changes inside, allowWrites", request: req({ kind: "edit", rawInput: { changes: { "$WS/src/a.ts": { update: { unified_diff: "", move_path: null } } } } }, OLD_OPTIONS), flags: WRITES, expect: "allow" },
  { name: "old agent: rawInput.changes key outside", request: req({ kind: "edit", rawInput: { changes: { "/etc/cron.d/x": { add: { content: "x" } } } } }, OLD_OPTIONS), flags: WRITES, expect: "ask", reason: /cron\.d/ },
  { name: "old agent: changes move_path outside", request: req({ kind: "edit", rawInput: { changes: { "$WS/a.ts": { type: "update", unified_diff: "", move_path: "$OUT/a.ts" } } } }, OLD_OPTIONS), flags: WRITES, expect: "ask", reason: /outside/ },
  { name: "app-server changes array with kind.move_path outside", request: req({ kind: "edit", rawInput: { changes: [{ path: "$WS/a.ts", kind: { type: "update", move_path: "$HOME/.profile" } }] } }, EDIT_OPTIONS), flags: WRITES, expect: "ask" },
  { name: "old agent: grant_root outside", request: req({ kind: "edit", rawInput: { changes: { "$WS/a.ts": { add: { content: "" } } }, grant_root: "/" } }, OLD_OPTIONS), flags: WRITES, expect: "ask" },
  { name: "edit of .git/hooks/pre-commit, every flag", request: editAt("$WS/.git/hooks/pre-commit"), flags: ALL, diffPaths: ["$WS/.git/hooks/pre-commit"], expect: "ask", reason: /protected path \(\.git\/, version control\)/ },
  { name: "edit of nested sub/.git/hooks, every flag", request: editAt("$WS/sub/.git/hooks/post-checkout"), flags: ALL, diffPaths: ["$WS/sub/.git/hooks/post-checkout"], expect: "ask", reason: /protected/ },
  { name: "edit of .GIT/config (case), every flag", request: editAt("$WS/.GIT/config"), flags: ALL, diffPaths: ["$WS/.GIT/config"], expect: "ask", reason: /protected/ },
  { name: "edit through a symlink alias of .git, every flag", request: editAt("$WS/git-alias/hooks/pre-push"), flags: ALL, diffPaths: ["$WS/git-alias/hooks/pre-push"], expect: "ask", reason: /protected path \(\.git\/, version control\)/ },
  { name: "edit of a new file under a symlink pointing outside", request: editAt("$WS/link-out/new/file.txt"), flags: ALL, diffPaths: ["$WS/link-out/new/file.txt"], expect: "ask", reason: /outside/ },
  { name: "edit of a new file under a symlink pointing inside", request: editAt("$WS/link-in/new.ts"), flags: WRITES, diffPaths: ["$WS/link-in/new.ts"], expect: "allow" },
  { name: "edit of ~/.bashrc", request: editAt("~/.bashrc"), flags: ALL, diffPaths: ["~/.bashrc"], expect: "ask", reason: /outside/ },
  { name: "edit escaping with ..", request: editAt("$WS/src/../../outside/x"), flags: ALL, diffPaths: ["$WS/src/../../outside/x"], expect: "ask", reason: /outside/ },
  { name: "edit of an unresolvable path", request: editAt("https://example.com/x"), flags: ALL, diffPaths: ["https://example.com/x"], expect: "ask", reason: /cannot be resolved/ },
  { name: "edit of /etc/passwd without flags", request: editAt("/etc/passwd"), flags: NONE, expect: "ask", reason: /^edit outside the workspace: \/etc\/passwd$/ },
  { name: "edit with allowExternalReads and allowCommands only", request: editAt("$WS/a"), flags: { ...ALL, allowWrites: false }, diffPaths: ["$WS/a"], expect: "ask" },
  { name: "other agent: edit with file_path argument, allowWrites", request: req({ kind: "edit", rawInput: { file_path: "$WS/src/a.ts", old_string: "a", new_string: "b" }, locations: [{ path: "$WS/src/a.ts" }] }, EDIT_OPTIONS), flags: WRITES, expect: "allow" },
  { name: "other agent: relative file_path confirms an absolute location", request: req({ kind: "edit", rawInput: { file_path: "src/a.ts" }, locations: [{ path: "$WS/src/a.ts" }] }, EDIT_OPTIONS), flags: WRITES, expect: "allow", reason: /writes allowed\): \S+src\/a\.ts$/ },
  { name: "delete inside, locations only, allowWrites", request: req({ kind: "delete", locations: [{ path: "$WS/src/a.ts" }] }, EDIT_OPTIONS), flags: WRITES, expect: "allow", reason: /^delete inside/ },
  { name: "delete outside, allowWrites", request: req({ kind: "delete", locations: [{ path: "$OUT/secret.txt" }] }, EDIT_OPTIONS), flags: WRITES, expect: "ask" },
  { name: "move with destination outside", request: req({ kind: "move", rawInput: { source: "$WS/a", destination: "/tmp/b" } }, EDIT_OPTIONS), flags: WRITES, expect: "ask" },
  { name: "move inside, allowWrites", request: req({ kind: "move", rawInput: { source: "$WS/a", destination: "$WS/b" } }, EDIT_OPTIONS), flags: WRITES, expect: "allow" },
  { name: "edit inside whose only allow is lasting", request: req({ kind: "edit", locations: [{ path: "$WS/a" }] }, [{ optionId: "s", kind: "allow_always", name: "Session" }, { optionId: "c", kind: "reject_once", name: "No" }]), flags: WRITES, diffPaths: ["$WS/a"], expect: "ask" },
  { name: "caller forgot to resolve a path → ask, never allow", request: editAt("$WS/a"), flags: WRITES, diffPaths: ["$WS/a"], facts: { paths: [], unknownPaths: false }, expect: "ask" },

  // ---- commands: never parsed
  { name: "execute cat README.md (looks like a read)", request: exec("cat README.md"), flags: NONE, expect: "ask", reason: /^command: `cat README\.md`$/, category: "command" },
  { name: "execute git diff", request: exec("git diff"), flags: NONE, expect: "ask", reason: /^command: `git diff`$/ },
  { name: "execute rg --pre=sh x", request: exec("rg --pre=sh x"), flags: NONE, expect: "ask" },
  { name: "execute with allowExternalReads and allowWrites only", request: exec("ls"), flags: { ...ALL, allowCommands: false }, expect: "ask" },
  { name: "execute with allowCommands", request: exec("npm test"), flags: COMMANDS, expect: "allow", reason: /npm test/ },
  { name: "a command whose text looks like an MCP title is a command", request: exec("mcp.sh start"), flags: COMMANDS, expect: "allow", category: "command" },
  { name: "a command whose text mentions sandbox permissions is a command", request: exec("echo additional sandbox permissions"), flags: COMMANDS, expect: "allow", category: "command" },
  { name: "execute naming a read location still asks", request: exec("cat README.md", { locations: [{ path: "$WS/README.md" }] }), flags: READS, expect: "ask" },
  { name: "old agent: argv array command", request: req({ kind: "execute", rawInput: { command: ["bash", "-lc", "git status"], cwd: "$WS" } }, OLD_OPTIONS), flags: NONE, expect: "ask", reason: /^command: `git status`$/ },
  { name: "old agent: argv array with allowCommands", request: req({ kind: "execute", rawInput: { command: ["ls", "-la"] } }, OLD_OPTIONS), flags: COMMANDS, expect: "allow", reason: /`ls -la`/ },
  { name: "command with no rawInput shows its title", request: req({ kind: "execute", title: "touch x" }), flags: NONE, expect: "ask", reason: /^command that the request does not show: touch x$/ },
  { name: "an execute request that shows no command, allowCommands", request: req({ kind: "execute", status: "pending" }), flags: ALL, expect: "ask", reason: /does not show/ },
  { name: "network approval on an execute call, allowCommands", request: req({ kind: "execute", title: "https network access to example.com", rawInput: { command: "curl https://example.com", url: "https://example.com" } }), flags: ALL, expect: "ask", reason: /^network access: https to example\.com$/, category: "network" },
  { name: "socks5Tcp approval: no URL, only a title", request: req({ kind: "execute", title: "socks5Tcp network access to db.example", rawInput: { command: "psql", cwd: "$WS" } }), flags: ALL, expect: "ask", reason: /^network access: socks5\/TCP to db\.example$/, category: "network" },
  { name: "execute asking for network permission", request: req({ kind: "execute", rawInput: { command: "npm i", additionalPermissions: { network: { enabled: true } } } }), flags: ALL, expect: "ask", reason: /^sandbox widening: network access$/, category: "sandbox" },

  // ---- network and everything else
  { name: "fetch", request: req({ kind: "fetch", title: "Fetch https://example.com", rawInput: { url: "https://example.com" } }), flags: ALL, expect: "ask", category: "network" },
  { name: "fetch with no url", request: req({ kind: "fetch", title: "Fetch" }), flags: ALL, expect: "ask", reason: /^network access: Fetch$/ },
  { name: "think", request: req({ kind: "think" }), flags: ALL, expect: "ask" },
  { name: "switch_mode (plan review)", request: req({ kind: "switch_mode", title: "Implement this plan?", rawInput: { plan: "x" } }, [{ optionId: "implement_plan", kind: "allow_once", name: "Yes" }, { optionId: "revise_plan", kind: "reject_once", name: "No" }]), flags: ALL, expect: "ask", reason: /^mode switch: Implement this plan\?$/ },
  { name: "other: additional sandbox permissions", request: req({ kind: "other", title: "Additional sandbox permissions", rawInput: { permissions: { fileSystem: { write: ["$WS"] } } }, locations: [{ path: "$WS" }] }), flags: ALL, expect: "ask", category: "sandbox" },
  { name: "missing kind", request: req({ title: "Edit files", locations: [{ path: "$WS/a" }] }), flags: ALL, diffPaths: ["$WS/a"], expect: "ask", reason: /no tool kind/ },
  { name: "null kind", request: req({ kind: null, title: "x" }), flags: ALL, expect: "ask" },
  { name: "unknown kind", request: req({ kind: "teleport", title: "x" }), flags: ALL, expect: "ask", reason: /unknown tool kind "teleport"/ },

  // ---- malformed: deny
  { name: "no options at all", request: req({ kind: "read", rawInput: { path: "$WS/README.md" } }, []), flags: ALL, expect: "deny", reason: /no options/ },
  { name: "options missing", request: { sessionId: "s", toolCall: { toolCallId: "c", kind: "read" } } as unknown as RequestPermissionRequest, flags: ALL, expect: "deny" },
  { name: "only reject options", request: req({ kind: "execute", rawInput: { command: "ls" } }, [{ optionId: "cancel", kind: "reject_once", name: "No" }]), flags: ALL, expect: "deny", reason: /no option to allow/ },
  { name: "no tool call", request: { sessionId: "s", options: EXEC_OPTIONS } as unknown as RequestPermissionRequest, flags: ALL, expect: "deny", reason: /no tool call/ },
  { name: "null request", request: null, flags: ALL, expect: "deny" },
];

// Every protected pattern, written under the workspace, is asked with every flag on.
function sampleFor(pattern: string): string {
  if (pattern.endsWith("/")) return `${pattern}x`;
  if (pattern.endsWith("*")) return `${pattern.slice(0, -1)}local`;
  if (pattern.startsWith("*")) return `my${pattern.slice(1)}`;
  return pattern;
}
for (const pattern of PROTECTED_PATTERNS) {
  const p = `$WS/${sampleFor(pattern)}`;
  cases.push({
    name: `protected ${pattern} (every flag on)`,
    request: editAt(p),
    flags: ALL,
    diffPaths: [p],
    expect: "ask",
    reason: new RegExp(`protected path \\(${pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, `),
  });
}

describe("decide (collectRequestPaths → resolvePathFacts → decide)", () => {
  test("has at least 60 cases", () => assert.ok(cases.length >= 60, String(cases.length)));
  for (const c of cases) {
    test(c.name, async () => {
      let request = substitute(c.request) as RequestPermissionRequest;
      // Look-alike spellings of the workspace, built here because they depend on the temp path.
      const fixPath = (value: string): string =>
        value
          .replace("LOOKALIKE", WS.replace("proj-", "pr\u043ej-")) // Cyrillic "о"
          .replace("NFD", WS.normalize("NFD"));
      request = JSON.parse(
        JSON.stringify(request).replace(/"(LOOKALIKE|NFD)\//g, (_m, token: string) => `"${fixPath(token)}/`),
      ) as RequestPermissionRequest;
      const diffPaths = c.diffPaths ? substitute(c.diffPaths) : undefined;
      const facts = c.facts ?? (await factsFor(request, diffPaths));
      const got = decide(request, facts, c.flags, { diffPaths, sessionId: "s1" });
      assert.equal(got.action, c.expect, `${got.action}: ${got.reason}`);
      if (c.reason) assert.match(got.reason, c.reason);
      if (c.category) assert.equal(got.category, c.category);
      assert.ok(got.reason.length > 0 && !got.reason.includes("\n"));
    });
  }
});

describe("collectRequestPaths", () => {
  const table: Array<{ name: string; request: RequestPermissionRequest; diff?: string[]; paths: string[]; unknown: boolean; cwd?: string }> = [
    { name: "locations", request: req({ kind: "edit", locations: [{ path: "/w/a" }, { path: "/w/b" }] }), paths: ["/w/a", "/w/b"], unknown: false },
    { name: "diff content, other content ignored", request: req({ kind: "edit", content: [{ type: "diff", path: "/w/d", newText: "" }, { type: "terminal", terminalId: "t" }, { type: "content", content: { type: "text", text: "/etc/x" } }] }), paths: ["/w/d"], unknown: false },
    { name: "changes map keys", request: req({ kind: "edit", rawInput: { changes: { "/w/a": { add: { content: "" } }, "/w/b": { delete: { content: "" } } } } }), paths: ["/w/a", "/w/b"], unknown: false },
    { name: "changes map with update.move_path", request: req({ kind: "edit", rawInput: { changes: { "/w/a": { update: { unified_diff: "", move_path: "/w/c" } } } } }), paths: ["/w/a", "/w/c"], unknown: false },
    { name: "changes array with kind.move_path", request: req({ kind: "edit", rawInput: { changes: [{ path: "/w/a", kind: { type: "update", move_path: "/x/b" } }] } }), paths: ["/w/a", "/x/b"], unknown: false },
    { name: "changes of an unknown shape", request: req({ kind: "edit", rawInput: { changes: "patch text" } }), paths: [], unknown: true },
    { name: "path, file_path, paths", request: req({ kind: "read", rawInput: { path: "a", file_path: "b", paths: ["c", "a"] } }), paths: ["a", "b", "c"], unknown: false },
    { name: "recent diff paths merged and deduplicated", request: req({ kind: "edit", locations: [{ path: "/w/a" }] }), diff: ["/w/a", "/w/z"], paths: ["/w/a", "/w/z"], unknown: false },
    { name: "cwd is returned", request: req({ kind: "search", rawInput: { path: "src", cwd: "/w" } }), paths: ["src"], unknown: false, cwd: "/w" },
    { name: "execute: a command may touch anything", request: req({ kind: "execute", rawInput: { command: "cat /etc/passwd", cwd: "/w" } }), paths: [], unknown: true, cwd: "/w" },
    { name: "edit naming nothing", request: req({ kind: "edit" }), paths: [], unknown: true },
    { name: "malformed location", request: req({ kind: "read", locations: [{ path: 42 }] }), paths: [], unknown: true },
    { name: "non-string path argument", request: req({ kind: "read", rawInput: { path: { nested: "/etc" } } }), paths: [], unknown: true },
    { name: "think naming nothing", request: req({ kind: "think" }), paths: [], unknown: false },
    { name: "no tool call", request: { sessionId: "s", options: [] } as unknown as RequestPermissionRequest, paths: [], unknown: true },
  ];
  for (const c of table) {
    test(c.name, () => {
      const got = collectRequestPaths(c.request, c.diff);
      assert.deepEqual(got.paths, c.paths);
      assert.equal(got.unknownPaths, c.unknown);
      assert.equal(got.cwd, c.cwd);
    });
  }
});

describe("protectedArea", () => {
  const table: Array<[string, string | null]> = [
    [".git/hooks/pre-commit", ".git/"],
    [".git", ".git/"],
    ["sub/.git/config", ".git/"],
    [".GIT/Config", ".git/"],
    ["a\\.git\\hooks\\x", ".git/"],
    [".git./config", ".git/"],
    [".git::$INDEX_ALLOCATION/hooks/x", ".git/"],
    ["GIT~1/hooks/x", ".git/"],
    [".g\u200cit/hooks/x", ".git/"],
    [".vscode/tasks.json", ".vscode/"],
    [".github/workflows/ci.yml", ".github/workflows/"],
    [".github/ISSUE_TEMPLATE/bug.md", null],
    ["docs/.github/workflows/x.yml", ".github/workflows/"],
    [".env", ".env*"],
    [".env.production.local", ".env*"],
    [".envrc", ".envrc"],
    ["environment.ts", null],
    ["src/.mcp.json", ".mcp.json"],
    ["claude.md", "CLAUDE.md"],
    ["src/index.ts", null],
    ["package.json", null],
    ["Makefile", null],
    ["", null],
    ["./src/../.husky/pre-commit", ".husky/"],
    ["caf\u0065\u0301/.IDEA/x", ".idea/"],
    // The shell start-up files and the other files issue 15 found unprotected.
    [".zshenv", ".zshenv"],
    [".zlogin", ".zlogin"],
    [".bash_login", ".bash_login"],
    [".bash_logout", ".bash_logout"],
    [".cshrc", ".cshrc"],
    [".tcshrc", ".tcshrc"],
    ["home/.config/fish/conf.d/x.fish", ".config/"],
    ["home/.config/fish/config.fish", "config.fish"],
    ["dotfiles/fish/config.fish", "config.fish"],
    [".config/git/config", ".config/"],
    ["team.code-workspace", "*.code-workspace"],
    [".code-workspace", "*.code-workspace"],
    ["GEMINI.md", "GEMINI.md"],
    [".github/copilot-instructions.md", ".github/copilot-instructions.md"],
    [".github/instructions/ts.instructions.md", ".github/instructions/"],
    ["lefthook.yml", "lefthook*"],
    [".lefthook-local.yml", ".lefthook*"],
    [".mise.toml", ".mise.toml"],
    ["mise.local.toml", "mise.*"],
    ["azure-pipelines.yml", "azure-pipelines*"],
    ["bitbucket-pipelines.yml", "bitbucket-pipelines.yml"],
    ["Jenkinsfile", "Jenkinsfile"],
    [".yarn/releases/yarn-4.cjs", ".yarn/releases/"],
    [".cargo/config.toml", ".cargo/"],
    [".local/bin/git", ".local/bin/"],
    [".kube/config", ".kube/"],
    // Still the project's own files.
    [".yarn/cache/x.zip", null],
    ["src/config.ts", null],
    ["docs/azure.md", null],
    ["mise-en-place.md", null],
    [".github/CODEOWNERS", null],
    ["local/bin/x", null],
  ];
  for (const [input, expected] of table) {
    test(JSON.stringify(input), () => assert.equal(protectedArea(input), expected));
  }
  test("the list names at least the required entries", () => {
    for (const required of [".git/", ".vscode/", ".mcp.json", ".claude/", ".codex/", ".cursor/", ".idea/", ".github/workflows/", ".devcontainer/", ".husky/", ".envrc", ".env*", ".zshenv", ".zlogin", ".bash_login", ".bash_logout", ".cshrc", ".tcshrc", "config.fish", "*.code-workspace", "GEMINI.md", ".github/copilot-instructions.md", "lefthook*", ".mise.toml", "azure-pipelines*"]) {
      assert.ok(PROTECTED_PATTERNS.includes(required), required);
    }
  });
});
