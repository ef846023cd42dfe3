// "Review Current Diff": pick what to review and who reviews it — Codex Fusion's review prompt on the working tree,
// the staged changes, this branch against a base or one commit (the diff collected with git and sent), or Codex's own
// trained reviewer (/review) on the uncommitted changes, a branch or a commit — and send it as review_diff. The
// findings become inline threads, Problems entries and the panel's list (extension/review/); a review that fails
// before it starts is shown in the panel with its fix.
import * as vscode from "vscode";
import type { ReviewTarget } from "../../server/protocol/constants";
import type { ErrorCode } from "../../server/protocol/errors";
import { collectDiff, MAX_DIFF_BYTES, type DiffCollection, type DiffMode } from "./git";
import { pickRepository, repoBranches, repoCommits, type Repo } from "./gitExtension";
import type { ReviewFeature } from "./reviewFeature";
import { askCodex, type AskDeps } from "../asks/ask";
import { nativeReviewArgs, reviewArgs, workspaceInRepository } from "./reviewArgs";
import { Commands } from "../commandIds";
import { fail, inform } from "../messages";
import { confirmReviewCost } from "../usage/reviewCost";
import { estimateTokens } from "../usage/usageView";

const TITLE = "Codex Fusion: Review Current Diff";

export interface ReviewDiffDeps extends AskDeps {
  review: ReviewFeature;
  /** The folder the server (and so Codex) works in. */
  serverWorkspace: () => string | null;
  /** Shows a review that failed before its turn started in the verdict panel. */
  recordFailure: (failure: { tool: "review_diff"; summary: string; message: string; code: ErrorCode | null }) => void;
}

type Choice = { reviewer: "prompt"; mode: DiffMode } | { reviewer: "codex"; target: ReviewTarget };

export function registerReviewDiffCommands(deps: ReviewDiffDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.reviewDiff, () => reviewDiff(deps)),
    vscode.commands.registerCommand(Commands.clearFindings, () => deps.review.clear()),
  ];
}

async function pickChoice(): Promise<Choice | undefined> {
  type Item = vscode.QuickPickItem & { choice?: Choice };
  const separator = (label: string): Item => ({ label, kind: vscode.QuickPickItemKind.Separator });
  const items: Item[] = [
    separator("Codex Fusion's review (findings and a verdict)"),
    { label: "$(diff) Working tree vs HEAD", description: "staged, unstaged and untracked changes", choice: { reviewer: "prompt", mode: "workingTree" } },
    { label: "$(check) Staged changes only", description: "what the next commit contains", choice: { reviewer: "prompt", mode: "staged" } },
    { label: "$(git-branch) This branch vs a base branch…", description: "the commits since it diverged", choice: { reviewer: "prompt", mode: "branch" } },
    { label: "$(git-commit) A commit…", description: "the changes one commit made", choice: { reviewer: "prompt", mode: "commit" } },
    separator("Codex's own reviewer (/review: prioritised P0–P3 findings, no verdict)"),
    { label: "$(sparkle) Codex reviewer: uncommitted changes", description: "/review", choice: { reviewer: "codex", target: "uncommitted" } },
    { label: "$(sparkle) Codex reviewer: this branch vs a base branch…", description: "/review-branch", choice: { reviewer: "codex", target: "branch" } },
    { label: "$(sparkle) Codex reviewer: a commit…", description: "/review-commit", choice: { reviewer: "codex", target: "commit" } },
  ];
  return (await vscode.window.showQuickPick(items, { title: TITLE, placeHolder: "What should Codex review?" }))?.choice;
}

async function pickBase(repo: Repo): Promise<string | undefined> {
  const { current, branches } = await repoBranches(repo);
  if (branches.length === 0) {
    void inform("there is no other branch to compare this branch with.");
    return undefined;
  }
  return vscode.window.showQuickPick(branches, { title: TITLE, placeHolder: `Compare ${current ?? "HEAD"} with…` });
}

async function pickCommit(repo: Repo): Promise<string | undefined> {
  const commits = await repoCommits(repo);
  if (commits.length === 0) {
    void inform("this repository has no commits to review.");
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    commits.map((c) => ({ label: `$(git-commit) ${c.sha.slice(0, 8)} ${c.subject}`, description: [c.author, c.when].filter(Boolean).join(", "), sha: c.sha })),
    { title: TITLE, placeHolder: "Which commit?", matchOnDescription: true },
  );
  return picked?.sha;
}

async function reviewDiff(deps: ReviewDiffDeps): Promise<void> {
  let repo: Repo | null;
  try {
    repo = await pickRepository(TITLE);
  } catch (error) {
    return void fail(`${errorText(error)}`);
  }
  if (!repo) return;
  const choice = await pickChoice();
  if (!choice) return;
  const workspace = deps.serverWorkspace() ?? repo.root;
  const roots = unique([repo.root, workspace, ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath)]);

  let ref: string | undefined;
  const needs = choice.reviewer === "prompt" ? choice.mode : choice.target;
  try {
    if (needs === "branch") ref = await pickBase(repo);
    if (needs === "commit") ref = await pickCommit(repo);
  } catch (error) {
    return void fail(`${errorText(error)}`);
  }
  if ((needs === "branch" || needs === "commit") && !ref) return;

  let args: Record<string, unknown>;
  let summary: string;
  /** What the review would send, when known (Codex's own reviewer reads git itself). */
  let tokens: number | null = null;
  if (choice.reviewer === "codex") {
    if (!workspaceInRepository(workspace, repo.root)) {
      return void inform(`Codex's own reviewer runs git in ${workspace}, which is not inside ${repo.root}. Pick one of Codex Fusion's reviews for this repository instead.`);
    }
    args = nativeReviewArgs(choice.target, ref);
    summary = choice.target === "branch" ? `Codex's reviewer: this branch against ${ref}` : choice.target === "commit" ? `Codex's reviewer: commit ${ref}` : "Codex's reviewer: uncommitted changes";
  } else {
    let collected: DiffCollection;
    try {
      collected = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: "Codex Fusion: collecting the diff…" }, () => collectDiff(repo.root, choice.mode, ref, repo.gitPath));
    } catch (error) {
      return void fail(`could not collect the diff — ${errorText(error)}`);
    }
    const built = reviewArgs(collected, choice.mode, repo.root, workspace);
    if (!built) return void inform(`no changes to review in ${collected.description}.`);
    if (collected.kind === "tooLarge") {
      void inform(
        `the diff of ${collected.description} is over ${Math.round(MAX_DIFF_BYTES / 1024)} KB, so Codex reads it from git itself (${collected.fileCount} file${collected.fileCount === 1 ? "" : "s"}).`,
      );
    }
    args = built;
    summary = collected.description;
    tokens = estimateTokens(collected.kind === "diff" ? collected.diff.length : collected.kind === "tooLarge" ? collected.bytesAtLeast : 0);
  }
  if (!(await confirmReviewCost(tokens, deps.server.status))) return;

  deps.review.expectReview(roots);
  const outcome = await askCodex(deps, "review_diff", args);
  if (outcome && outcome.turnId !== null) return;
  // It failed before a turn started (not signed in, no agent, the server unreachable): the panel shows it with its fix.
  deps.review.cancelExpected();
  deps.recordFailure({
    tool: "review_diff",
    summary,
    message: outcome?.error?.message ?? "Codex Fusion could not reach its server — run Codex Fusion: Show Log, then Restart Server.",
    code: outcome ? (outcome.error?.code ?? null) : "unreachable",
  });
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
