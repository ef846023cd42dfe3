// What "Review Current Diff" sends as review_diff arguments: the diff itself, or — when it is too large — the paths
// (relative to the server's workspace) and base for Codex to diff itself, with instructions saying which diff; or,
// for Codex's own reviewer, the target. Pure.
import * as path from "node:path";
import type { ReviewTarget } from "../../server/protocol/constants";
import type { DiffCollection, DiffMode } from "./git";

/** review_diff arguments that run Codex's own reviewer on a target (`ref`: the base branch or the commit). */
export function nativeReviewArgs(target: ReviewTarget, ref?: string): Record<string, unknown> {
  if (target === "branch") return { target, base: ref };
  if (target === "commit") return { target, commit: ref };
  return { target };
}

/** Whether Codex, working in `workspace`, sees the repository at `repoRoot` when it runs git itself. */
export function workspaceInRepository(workspace: string, repoRoot: string): boolean {
  const rel = path.relative(repoRoot, workspace);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** The review_diff arguments for what was collected, or null when there is nothing to review. */
export function reviewArgs(collected: DiffCollection, mode: DiffMode, repoRoot: string, workspace: string): Record<string, unknown> | null {
  const notes: string[] = [];
  const repoRel = path.relative(workspace, repoRoot);
  if (repoRel) notes.push(`The git repository is at ${path.isAbsolute(repoRel) ? repoRoot : toSlashes(repoRel)} (relative to the workspace).`);
  switch (collected.kind) {
    case "empty":
      return null;
    case "diff":
      notes.unshift(`This is ${collected.description}.`);
      return { diff: collected.diff, instructions: notes.join("\n") };
    case "tooLarge": {
      if (mode === "staged") notes.unshift("Review only the staged changes: run `git diff --cached` (not the unstaged working tree).");
      if (mode === "branch" && collected.base) notes.unshift(`Review only the commits of this branch: run \`git diff ${collected.base}...HEAD\` (three dots), not the working tree.`);
      if (mode === "commit" && collected.commit) notes.unshift(`Review only commit ${collected.commit}: run \`git show ${collected.commit}\`, not the working tree.`);
      if (collected.paths.length === 0) notes.push(`${collected.fileCount} files changed; review them all.`);
      const paths = collected.paths.map((file) => toSlashes(path.relative(workspace, path.join(repoRoot, file))));
      return {
        ...(paths.length > 0 ? { paths } : {}),
        ...(collected.base ? { base: collected.base } : {}),
        ...(notes.length > 0 ? { instructions: notes.join("\n") } : {}),
      };
    }
  }
}

function toSlashes(file: string): string {
  return file.split(path.sep).join("/");
}
