// "Review Current Diff": pick what to review (working tree vs HEAD with untracked files, staged only, this branch vs a
// base), collect it with git, send it to Codex as review_diff, and put the findings in the Problems view.
import * as vscode from "vscode";
import * as path from "node:path";
import { collectDiff, findRepoRoot, listBranches, MAX_DIFF_BYTES, type DiffCollection, type DiffMode } from "../git";
import type { CodexProblems } from "../views/problems";
import { askCodex, type AskDeps } from "./ask";
import { reviewArgs } from "./reviewArgs";
import { Commands } from "../commandIds";

export interface ReviewDiffDeps extends AskDeps {
  problems: CodexProblems;
  /** The folder the server (and so Codex) works in. */
  serverWorkspace: () => string | null;
}

export function registerReviewDiffCommands(deps: ReviewDiffDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Commands.reviewDiff, () => reviewDiff(deps)),
    vscode.commands.registerCommand(Commands.clearFindings, () => deps.problems.clear()),
  ];
}

async function reviewDiff(deps: ReviewDiffDeps): Promise<void> {
  let repo: { root: string; gitPath: string } | null;
  try {
    repo = await pickRepository();
  } catch (error) {
    return void vscode.window.showErrorMessage(`Codex Fusion: ${errorText(error)}`);
  }
  if (!repo) return;

  const mode = await vscode.window.showQuickPick(
    [
      { label: "$(diff) Working tree vs HEAD", description: "staged, unstaged and untracked changes", mode: "workingTree" as DiffMode },
      { label: "$(check) Staged changes only", description: "what the next commit contains", mode: "staged" as DiffMode },
      { label: "$(git-branch) This branch vs a base branch…", description: "the commits since it diverged", mode: "branch" as DiffMode },
    ],
    { title: "Codex Fusion: Review Current Diff", placeHolder: "What should Codex review?" },
  );
  if (!mode) return;

  let base: string | undefined;
  if (mode.mode === "branch") {
    try {
      const { current, branches } = await listBranches(repo.root, repo.gitPath);
      if (branches.length === 0) return void vscode.window.showInformationMessage("Codex Fusion: there is no other branch to compare this branch with.");
      base = await vscode.window.showQuickPick(branches, { title: "Codex Fusion: Review Current Diff", placeHolder: `Compare ${current ?? "HEAD"} with…` });
    } catch (error) {
      return void vscode.window.showErrorMessage(`Codex Fusion: ${errorText(error)}`);
    }
    if (!base) return;
  }

  let collected: DiffCollection;
  try {
    collected = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: "Codex Fusion: collecting the diff…" }, () => collectDiff(repo.root, mode.mode, base, repo.gitPath));
  } catch (error) {
    return void vscode.window.showErrorMessage(`Codex Fusion: could not collect the diff — ${errorText(error)}`);
  }

  const workspace = deps.serverWorkspace() ?? repo.root;
  const roots = unique([repo.root, workspace, ...(vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath)]);
  const args = reviewArgs(collected, mode.mode, repo.root, workspace);
  if (!args) return void vscode.window.showInformationMessage(`Codex Fusion: no changes to review in ${collected.description}.`);
  if (collected.kind === "tooLarge") {
    void vscode.window.showInformationMessage(
      `Codex Fusion: the diff of ${collected.description} is over ${Math.round(MAX_DIFF_BYTES / 1024)} KB, so Codex reads it from git itself (${collected.fileCount} file${collected.fileCount === 1 ? "" : "s"}).`,
    );
  }
  deps.problems.expectReview(roots);
  deps.problems.onResponse(await askCodex(deps, "review_diff", args));
}

// ── which repository ─────────────────────────────────────────────────────────────────────────────

/** The parts of the built-in git extension's API (vscode.git, API version 1) used here. */
interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}
interface GitApi {
  readonly git: { readonly path: string };
  readonly repositories: readonly GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
}
interface GitRepository {
  readonly rootUri: vscode.Uri;
}

async function gitApi(): Promise<GitApi | null> {
  const extension = vscode.extensions.getExtension<GitExtension>("vscode.git");
  if (!extension) return null;
  const exports = extension.isActive ? extension.exports : await extension.activate();
  return exports?.enabled ? exports.getAPI(1) : null;
}

/** The repository of the active editor, the only one, or the one the person picks; falls back to git on PATH. */
async function pickRepository(): Promise<{ root: string; gitPath: string } | null> {
  const api = await gitApi().catch(() => null);
  if (api && api.repositories.length > 0) {
    const active = vscode.window.activeTextEditor?.document.uri;
    const fromEditor = active ? api.getRepository(active) : null;
    if (fromEditor) return { root: fromEditor.rootUri.fsPath, gitPath: api.git.path };
    if (api.repositories.length === 1) return { root: api.repositories[0]!.rootUri.fsPath, gitPath: api.git.path };
    const picked = await vscode.window.showQuickPick(
      api.repositories.map((repository) => ({ label: path.basename(repository.rootUri.fsPath), description: repository.rootUri.fsPath, root: repository.rootUri.fsPath })),
      { title: "Codex Fusion: Review Current Diff", placeHolder: "Which repository?" },
    );
    return picked ? { root: picked.root, gitPath: api.git.path } : null;
  }
  const gitPath = api?.git.path ?? "git";
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const root = await findRepoRoot(folder.uri.fsPath, gitPath);
    if (root) return { root, gitPath };
  }
  void vscode.window.showInformationMessage("Codex Fusion: there is no git repository in this workspace to review.");
  return null;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
