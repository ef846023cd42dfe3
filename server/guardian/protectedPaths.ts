// Paths whose write is as powerful as running a command, or that steer an agent: writing them is always asked,
// whatever the flags. Pure, table-tested with the policy.

/**
 * Paths whose write is as powerful as running a command, or that steer an agent, so writing them is
 * always asked whatever the flags. The principle: files that tools read and act on *implicitly* —
 * when git runs, when an editor or dev container opens the folder, when a shell enters the directory,
 * when an agent starts, on every package install, or in CI with its secrets — plus secrets files.
 *
 * Not protected, deliberately: package.json, Makefile, lockfiles, build scripts, sources and tests.
 * They are the project's own code, which a person runs on purpose (as they run tests after any source
 * edit); protecting them would make `allowWrites` meaningless, and their diffs are there to review.
 *
 * Syntax: "name/" = a directory (segments in a row, anywhere in the path, so `sub/.git/hooks` counts);
 * "prefix*" = any segment starting with prefix; otherwise an exact segment name. Matching is
 * case-insensitive, on NFC-normalised segments.
 */
export const PROTECTED_PATTERNS: readonly string[] = Object.freeze([
  // Version control: hooks, config (core.fsmonitor, core.pager, aliases), submodule URLs, and the
  // attributes that select filter/diff drivers and hide changes from `git diff`.
  ".git/",
  ".gitmodules",
  ".gitattributes",
  ".hg/",
  // Editors and containers: tasks that run on folder open, settings that choose interpreters and
  // shells, devcontainer lifecycle commands.
  ".vscode/",
  ".idea/",
  ".zed/",
  ".devcontainer/",
  ".devcontainer.json",
  // Agents and MCP: configuration that grants tools or defines hooks, and instruction files that
  // agents (Claude, Codex) load on their own.
  ".mcp.json",
  ".claude/",
  ".codex/",
  ".cursor/",
  ".gemini/",
  ".cursorrules",
  "CLAUDE.md",
  "CLAUDE.local.md",
  "AGENTS.md",
  // CI: runs with the repository's secrets.
  ".github/workflows/",
  ".github/actions/",
  ".gitlab-ci.yml",
  ".circleci/",
  // Hooks and environment loaded automatically (git hook managers, direnv, dotenv) and secrets.
  ".husky/",
  ".pre-commit-config.yaml",
  ".envrc",
  ".env*",
  // Package-manager configuration read by every install in this directory (.npmrc `node-options`,
  // .yarnrc.yml `yarnPath`, .pnpmfile.cjs, bunfig.toml `preload`).
  ".npmrc",
  ".yarnrc",
  ".yarnrc.yml",
  ".pnpmfile.*",
  "bunfig.toml",
  // A home directory inside the workspace: shell start-up files, credentials.
  ".ssh/",
  ".gnupg/",
  ".aws/",
  ".bashrc",
  ".bash_profile",
  ".zshrc",
  ".zprofile",
  ".profile",
  ".gitconfig",
]);

type Matcher = { pattern: string; segments: string[]; kind: "dir" | "prefix" | "exact" };

const MATCHERS: readonly Matcher[] = PROTECTED_PATTERNS.map((pattern): Matcher => {
  const lower = pattern.normalize("NFC").toLowerCase();
  if (lower.endsWith("/")) return { pattern, segments: lower.slice(0, -1).split("/"), kind: "dir" };
  if (lower.endsWith("*")) return { pattern, segments: [lower.slice(0, -1)], kind: "prefix" };
  return { pattern, segments: [lower], kind: "exact" };
});

// Characters some filesystems ignore in names (HFS+), so ".g\u200cit" can be ".git" there.
const IGNORABLE = /[\u00ad\u034f\u180b-\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff]/g;

function canonicalSegment(segment: string): string {
  let s = segment.normalize("NFC").replace(IGNORABLE, "").toLowerCase();
  // NTFS: an alternate data stream (".git::$INDEX_ALLOCATION") names the same entry, and trailing dots
  // and spaces are dropped. Only ever makes more paths protected, so applied everywhere.
  const colon = s.indexOf(":");
  if (colon > 0) s = s.slice(0, colon);
  s = s.replace(/[. ]+$/, "");
  // The 8.3 short name of ".git" on Windows.
  if (/^git~\d+$/.test(s)) s = ".git";
  return s;
}

/**
 * Which protected pattern a workspace-relative path falls under, or null. Case-insensitive, NFC,
 * either separator; `.` and `..` segments are folded lexically.
 */
export function protectedArea(relativePath: string): string | null {
  if (typeof relativePath !== "string") return null;
  const segments: string[] = [];
  for (const part of relativePath.split(/[\\/]+/)) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      segments.pop();
      continue;
    }
    const canonical = canonicalSegment(part);
    if (canonical !== "") segments.push(canonical);
  }
  for (const matcher of MATCHERS) {
    for (let i = 0; i < segments.length; i++) {
      if (matches(matcher, segments, i)) return matcher.pattern;
    }
  }
  return null;
}

function matches(matcher: Matcher, segments: string[], at: number): boolean {
  switch (matcher.kind) {
    case "exact":
      return segments[at] === matcher.segments[0];
    case "prefix":
      return segments[at]!.startsWith(matcher.segments[0]!);
    case "dir":
      return matcher.segments.every((name, k) => segments[at + k] === name);
  }
}
