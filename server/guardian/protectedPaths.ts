// Paths whose write is as powerful as running a command, or that steer an agent: writing them is always asked,
// whatever the flags. Pure, table-tested with the policy.

/**
 * The protected areas, by category. The principle: files that tools read and act on *implicitly* —
 * when git runs, when an editor or dev container opens the folder, when a shell starts or enters the
 * directory, when an agent starts, on every package install or build tool start, or in CI with its
 * secrets — plus credentials. Writing one is as strong as running a command or steering an agent.
 *
 * Not protected, deliberately: package.json, Makefile, lockfiles, build scripts, sources and tests.
 * They are the project's own code, which a person runs on purpose (as they run tests after any source
 * edit); protecting them would make `allowWrites` meaningless, and their diffs are there to review.
 *
 * Syntax: segments separated by "/" match segments in a row anywhere in the path (so `sub/.git/hooks`
 * counts), and everything below them; a trailing "/" only says it is a directory. In a segment,
 * "prefix*" matches names starting with prefix and "*suffix" names ending with it. Matching is
 * case-insensitive, on NFC-normalised segments, ignoring characters some file systems ignore: a
 * pattern only ever protects more.
 */
export const PROTECTED_AREAS: ReadonlyArray<{ category: string; patterns: readonly string[] }> = Object.freeze([
  {
    // Hooks, config (core.fsmonitor, core.pager, aliases), submodule URLs, filter/diff drivers that run
    // programs and hide changes, git-lfs custom transfer agents; git's XDG config is under .config/git/.
    category: "version control",
    patterns: [".git/", ".gitmodules", ".gitattributes", ".gitconfig", ".lfsconfig", ".hg/", ".hgrc", ".svn/", ".jj/", ".githooks/"],
  },
  {
    // Tasks that run on folder open, settings that choose interpreters and shells, devcontainer
    // lifecycle commands, workspace files that carry settings and tasks, vim/neovim exrc files.
    category: "editor or container",
    patterns: [".vscode/", "*.code-workspace", ".idea/", ".fleet/", ".vs/", ".zed/", ".devcontainer/", ".devcontainer.json", ".exrc", ".nvimrc", ".nvim.lua"],
  },
  {
    // Configuration that grants tools or defines hooks, and instruction files agents load on their own.
    category: "agent configuration or instructions",
    patterns: [
      ".mcp.json",
      ".claude/",
      "CLAUDE.md",
      "CLAUDE.local.md",
      ".codex/",
      "AGENTS.md",
      "AGENTS.override.md",
      ".gemini/",
      "GEMINI.md",
      ".cursor/",
      ".cursorrules",
      ".github/copilot-instructions.md",
      ".github/instructions/",
      ".github/prompts/",
      ".github/chatmodes/",
      ".github/agents/",
      ".windsurf/",
      ".windsurfrules",
      ".clinerules",
      ".roo/",
      ".roomodes",
      ".continue/",
      ".aider.conf.yml",
      ".goosehints",
      ".amazonq/",
      ".junie/",
      ".kiro/",
    ],
  },
  {
    // Runs with the repository's secrets.
    category: "CI definition",
    patterns: [
      ".github/workflows/",
      ".github/actions/",
      ".gitlab-ci.yml",
      ".gitlab/",
      ".circleci/",
      "azure-pipelines*",
      ".azure-pipelines/",
      "bitbucket-pipelines.yml",
      ".travis.yml",
      "Jenkinsfile",
      ".drone.yml",
      ".woodpecker.yml",
      ".woodpecker/",
      ".buildkite/",
      "appveyor.yml",
      ".appveyor.yml",
      ".cirrus.yml",
      ".semaphore/",
      ".tekton/",
      ".forgejo/",
      ".gitea/",
    ],
  },
  {
    // Git hook managers and what they run, direnv, dotenv.
    category: "hooks or environment loaded automatically",
    patterns: [
      ".husky/",
      ".pre-commit-config.yaml",
      "lefthook*",
      ".lefthook*",
      ".lintstagedrc*",
      "lint-staged.config.*",
      "simple-git-hooks*",
      ".simple-git-hooks*",
      ".overcommit.yml",
      ".envrc",
      ".env*",
    ],
  },
  {
    // mise runs `[hooks]` and `[env] _.source` scripts when a shell enters the directory.
    category: "tool-version file that runs code",
    patterns: [".mise.toml", "mise.toml", ".mise.*", "mise.*", ".mise/", "mise/config.toml", ".tool-versions"],
  },
  {
    // Read by every install or build in this directory (.npmrc `node-options`, .yarnrc.yml `yarnPath`
    // and the release it points to, .pnpmfile.cjs, bunfig.toml `preload`, .cargo `rustc-wrapper`,
    // Maven extensions).
    category: "package-manager or build-tool configuration",
    patterns: [".npmrc", ".yarnrc", ".yarnrc.yml", ".yarn/releases/", ".yarn/plugins/", ".pnpmfile.*", "bunfig.toml", ".cargo/", ".mvn/", "pip.conf"],
  },
  {
    // A home directory inside the workspace: shell start-up files, per-user config (.config holds git,
    // fish, mise, editors, autostart entries), the bin directory on PATH, credentials.
    category: "shell start-up file, user configuration or credentials",
    patterns: [
      ".bashrc",
      ".bash_profile",
      ".bash_login",
      ".bash_logout",
      ".profile",
      ".zshrc",
      ".zshenv",
      ".zprofile",
      ".zlogin",
      ".zlogout",
      ".cshrc",
      ".tcshrc",
      ".login",
      ".logout",
      ".kshrc",
      ".mkshrc",
      "config.fish",
      ".config/",
      ".local/bin/",
      ".ssh/",
      ".gnupg/",
      ".aws/",
      ".azure/",
      ".kube/",
      ".docker/",
      ".netrc",
      ".pgpass",
      ".pypirc",
      ".git-credentials",
    ],
  },
]);

export const PROTECTED_PATTERNS: readonly string[] = Object.freeze(PROTECTED_AREAS.flatMap((area) => area.patterns));

const CATEGORY_OF = new Map(PROTECTED_AREAS.flatMap((area) => area.patterns.map((pattern) => [pattern, area.category] as const)));

/** The category a PROTECTED_PATTERNS entry belongs to ("version control", "CI definition", ...). */
export function protectedCategory(pattern: string): string {
  return CATEGORY_OF.get(pattern) ?? "protected";
}

type Segment = { kind: "exact" | "prefix" | "suffix"; text: string };

const MATCHERS: ReadonlyArray<{ pattern: string; segments: Segment[] }> = PROTECTED_PATTERNS.map((pattern) => ({
  pattern,
  segments: pattern
    .normalize("NFC")
    .toLowerCase()
    .split("/")
    .filter((s) => s !== "")
    .map((s): Segment => (s.endsWith("*") ? { kind: "prefix", text: s.slice(0, -1) } : s.startsWith("*") ? { kind: "suffix", text: s.slice(1) } : { kind: "exact", text: s })),
}));

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
    for (let i = 0; i + matcher.segments.length <= segments.length; i++) {
      if (matcher.segments.every((segment, k) => matchesSegment(segment, segments[i + k]!))) return matcher.pattern;
    }
  }
  return null;
}

function matchesSegment(segment: Segment, name: string): boolean {
  switch (segment.kind) {
    case "exact":
      return name === segment.text;
    case "prefix":
      return name.startsWith(segment.text);
    case "suffix":
      return name.endsWith(segment.text);
  }
}
