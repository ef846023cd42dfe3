// review_diff with a `target`: the slash command that runs Codex's own trained reviewer (codex-acp: `/review`,
// `/review-branch <base>`, `/review-commit <sha>`), checked before anything runs. Instructions or paths turn it into
// `/review <custom text>` that says what to review, because the branch and commit commands take only their argument.
// Pure.
import type { ReviewTarget } from "../protocol/constants";
import { isGitRef } from "../prompts";
import type { AskArgs } from "./schemas";

export interface NativeReview {
  /** The prompt's first (and only) text: the slash command. */
  command: string;
  /** The command's name as the agent advertises it. */
  name: "review" | "review-branch" | "review-commit";
  /** "Codex's reviewer: this branch against main", for the turn list. */
  summary: string;
}


/** Null when `args` asks for no target; an error sentence (with the fix) when the combination cannot run. */
export function nativeReviewFor(args: AskArgs): { review: NativeReview } | { error: string } | null {
  const target = args.target;
  if (target === undefined) {
    if (args.commit !== undefined) return { error: 'review_diff: `commit` needs target "commit" — add target: "commit", or drop commit.' };
    return null;
  }
  if (args.diff !== undefined && args.diff.trim() !== "") {
    return { error: "review_diff: `diff` cannot be combined with `target` — Codex's reviewer reads git itself; drop one of them." };
  }
  const base = args.base?.trim();
  const commit = args.commit?.trim();
  if (target === "branch" && !base) return { error: 'review_diff: target "branch" needs `base`, the branch to compare with (e.g. main).' };
  if (target === "commit" && !commit) return { error: 'review_diff: target "commit" needs `commit`, a sha or ref (e.g. HEAD~1).' };
  if (target !== "branch" && base) return { error: 'review_diff: `base` is for target "branch" — drop it, or use target "branch".' };
  if (target !== "commit" && commit) return { error: 'review_diff: `commit` is for target "commit" — drop it, or use target "commit".' };
  const ref = target === "branch" ? base! : target === "commit" ? commit! : null;
  if (ref !== null && !isGitRef(ref)) return { error: `review_diff: "${ref}" is not a git ref or commit — give a branch name or a sha.` };
  const summary = target === "branch" ? `Codex's reviewer: this branch against ${ref}` : target === "commit" ? `Codex's reviewer: commit ${ref}` : "Codex's reviewer: uncommitted changes";
  const instructions = args.instructions?.trim() ?? "";
  const paths = (args.paths ?? []).map((p) => p.trim()).filter((p) => p !== "");
  if (instructions === "" && paths.length === 0) {
    if (target === "branch") return { review: { command: `/review-branch ${ref}`, name: "review-branch", summary } };
    if (target === "commit") return { review: { command: `/review-commit ${ref}`, name: "review-commit", summary } };
    return { review: { command: "/review", name: "review", summary } };
  }
  return { review: { command: `/review ${customReview(target, ref, instructions, paths)}`, name: "review", summary } };
}

/** What the reviewer is told to review when instructions or paths come with the target (Codex's own wording). */
function customReview(target: ReviewTarget, ref: string | null, instructions: string, paths: string[]): string {
  const what =
    target === "branch"
      ? `Review the code changes against the base branch '${ref}': the commits of this branch since it left ${ref} (\`git diff ${ref}...HEAD\`).`
      : target === "commit"
        ? `Review the code changes introduced by commit ${ref} (\`git show ${ref}\`).`
        : "Review the current code changes (staged, unstaged, and untracked files).";
  const lines = [`${what} Provide prioritized, actionable findings.`];
  if (paths.length > 0) lines.push(`Only these paths are in scope: ${paths.join(", ")}.`);
  if (instructions !== "") lines.push(`Focus: ${instructions}`);
  return lines.join("\n");
}
