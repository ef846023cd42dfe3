// The built-in git extension's API (vscode.git, API version 1) for what it knows: the repository of the active
// editor (or the only one, or the one the person picks), its branches and its recent commits. Where it cannot answer
// (git disabled, the extension missing, an older API) the git CLI in git.ts does.
import * as vscode from "vscode";
import * as path from "node:path";
import { findRepoRoot, listBranches, listCommits, rankBranches, type CommitInfo } from "./git";
import { inform } from "../messages";

/** The parts of vscode.git's API used here (typed by hand: the extension ships no types). */
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
  readonly state: { readonly HEAD?: { readonly name?: string } };
  getBranches?(query: { remote?: boolean }): Promise<ReadonlyArray<{ readonly type: number; readonly name?: string }>>;
  log?(options: { maxEntries?: number }): Promise<ReadonlyArray<{ readonly hash: string; readonly message: string; readonly authorName?: string; readonly authorDate?: Date }>>;
}
/** vscode.git's RefType. */
const HEAD_REF = 0;
const REMOTE_HEAD_REF = 1;

export interface Repo {
  root: string;
  gitPath: string;
  api: GitRepository | null;
}

async function gitApi(): Promise<GitApi | null> {
  const extension = vscode.extensions.getExtension<GitExtension>("vscode.git");
  if (!extension) return null;
  const exports = extension.isActive ? extension.exports : await extension.activate();
  return exports?.enabled ? exports.getAPI(1) : null;
}

/** The repository of the active editor, the only one, or the one the person picks; falls back to git on PATH. */
export async function pickRepository(title: string): Promise<Repo | null> {
  const api = await gitApi().catch(() => null);
  if (api && api.repositories.length > 0) {
    const active = vscode.window.activeTextEditor?.document.uri;
    const repository =
      (active ? api.getRepository(active) : null) ??
      (api.repositories.length === 1
        ? api.repositories[0]!
        : (
            await vscode.window.showQuickPick(
              api.repositories.map((r) => ({ label: path.basename(r.rootUri.fsPath), description: r.rootUri.fsPath, repository: r })),
              { title, placeHolder: "Which repository?" },
            )
          )?.repository);
    return repository ? { root: repository.rootUri.fsPath, gitPath: api.git.path, api: repository } : null;
  }
  const gitPath = api?.git.path ?? "git";
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const root = await findRepoRoot(folder.uri.fsPath, gitPath);
    if (root) return { root, gitPath, api: null };
  }
  void inform("there is no git repository in this workspace to review.");
  return null;
}

/** Branches to compare with, likely bases first, from the API when it lists them. */
export async function repoBranches(repo: Repo): Promise<{ current: string | null; branches: string[] }> {
  if (repo.api?.getBranches) {
    try {
      const refs = await repo.api.getBranches({ remote: true });
      const current = repo.api.state.HEAD?.name ?? null;
      const entries = refs.filter((ref) => ref.name && (ref.type === HEAD_REF || ref.type === REMOTE_HEAD_REF)).map((ref) => ({ name: ref.name!, local: ref.type === HEAD_REF }));
      if (entries.length > 0) return { current, branches: rankBranches(entries, current) };
    } catch {
      // an API that cannot list them: ask git
    }
  }
  return listBranches(repo.root, repo.gitPath);
}

/** The newest commits of HEAD, from the API when it has a log. */
export async function repoCommits(repo: Repo, max = 30): Promise<CommitInfo[]> {
  if (repo.api?.log) {
    try {
      const commits = await repo.api.log({ maxEntries: max });
      if (commits.length > 0) {
        return commits.map((c) => ({ sha: c.hash, subject: c.message.split("\n", 1)[0] ?? "", author: c.authorName ?? "", when: c.authorDate ? c.authorDate.toLocaleDateString() : "" }));
      }
    } catch {
      // ask git
    }
  }
  return listCommits(repo.root, repo.gitPath, max);
}
