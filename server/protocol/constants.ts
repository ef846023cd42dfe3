// Plain values both sides of the process boundary share. No runtime dependencies: the extension bundles this file.

/** The codex-acp release this server is tested against; `npx` and Install Codex Agent fetch exactly this one. */
export const PINNED_AGENT_PACKAGE = "@agentclientprotocol/codex-acp@2.6.0";

/** The package name alone, for `npm install -g …` advice. */
export const AGENT_PACKAGE_NAME = PINNED_AGENT_PACKAGE.replace(/@[^@/]+$/, "");

export const EFFORTS = ["low", "medium", "high", "xhigh"] as const;
export type Effort = (typeof EFFORTS)[number];

/** The six tools that start a Codex turn. */
export const ASK_TOOLS = ["consult", "review_plan", "review_diff", "brainstorm", "explore", "reply"] as const;
export type AskTool = (typeof ASK_TOOLS)[number];

/** What review_diff's `target` asks Codex's own reviewer to review. */
export const REVIEW_TARGETS = ["uncommitted", "branch", "commit"] as const;
export type ReviewTarget = (typeof REVIEW_TARGETS)[number];

/** How the editor's own asks are labelled in turn events. */
export const EDITOR_CLIENT = "VS Code (Codex Fusion)";

/** Parallel turns (CODEX_FUSION_MAX_PARALLEL_TURNS): each costs a Codex session and model quota at once; a few are plenty. */
export const DEFAULT_PARALLEL_TURNS = 3;
export const MAX_PARALLEL_TURNS = 8;

/** The longest any timeout may be (a day): no wait needs more, and each stays far below setTimeout's 2^31 − 1 ms. */
export const MAX_TIMEOUT_MS = 24 * 60 * 60_000;
