// Codex's proposed changes in the editor: "Ask Codex to Do a Task…" runs a delegate (Codex works in a copy; the server
// never writes the workspace), a notification offers the change when it is ready, VS Code's multi-file diff shows it
// (the workspace's files against Codex's versions, served read-only), and Apply (all or chosen files) / Discard land
// or drop it. Apply is the extension's own `git apply`, checked first, after an explicit yes for flagged files.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import * as vscode from "vscode";
import { Commands } from "../commandIds";
import { fail, inform, show, warn } from "../messages";
import type { ServerConnection } from "../supervisor/serverConnection";
import type { DelegateResult } from "../../server/protocol/delegate";
import { applyPatch, checkPatch } from "./applyPatch";
import { changeEntries, changeSummary, confirmationText, type DelegateOutcome, type Disposition } from "./changeEntries";
import { ChangesTree } from "./changesTree";

const PROPOSED_SCHEME = "codex-fusion-proposed";

/** Codex's version of a file, read from its copy; an empty document for a side that does not exist. */
class ProposedContent implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    if (uri.query === "absent") return "";
    return fs.readFile(uri.fsPath, "utf8").catch(() => "");
  }
}

/** `settled`: a change was applied or discarded (Fix with Codex marks its findings). */
export function registerChanges(server: ServerConnection, settled: (changeId: string, disposition: Disposition) => void = () => undefined): vscode.Disposable[] {
  const changes = new Map<string, DelegateResult>();
  /** The task each change was asked for (its label in the Codex Changes view). */
  const tasks = new Map<string, string>();

  const tree = new ChangesTree(server, () => [...changes.values()].map((change) => ({ task: tasks.get(change.changeId) ?? change.changeId, change })));
  const pick = async (target: unknown): Promise<DelegateResult | undefined> => {
    // From the palette (nothing), a notification (the id) or the Codex Changes view (its row).
    const id = typeof target === "string" ? target : typeof target === "object" && target !== null && "changeId" in target && typeof target.changeId === "string" ? target.changeId : undefined;
    if (id !== undefined) return changes.get(id);
    if (changes.size <= 1) return changes.values().next().value;
    const chosen = await vscode.window.showQuickPick(
      [...changes.values()].map((change) => ({ label: change.changeId, description: changeSummary(change), detail: change.summary.split("\n")[0], change })),
      { placeHolder: "Which change Codex proposed?" },
    );
    return chosen?.change;
  };

  const view = async (change: DelegateResult) => {
    const resources = changeEntries(change).map((entry) => {
      const left = entry.workspaceFile ? vscode.Uri.file(entry.workspaceFile) : vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${entry.path}`, query: "absent" });
      const right = entry.proposedFile ? vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: entry.proposedFile }) : vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${entry.path}`, query: "absent" });
      // Labelled by where the file is (or would be) in the workspace, also for a file Codex added.
      return [vscode.Uri.file(path.join(change.repoRoot, ...entry.path.split("/"))), left, right];
    });
    await vscode.commands.executeCommand("vscode.changes", `Codex's change ${change.changeId}: ${changeSummary(change)}`, resources);
  };

  const discard = async (change: DelegateResult, disposition: Disposition = "discarded") => {
    if (changes.has(change.changeId)) settled(change.changeId, disposition);
    changes.delete(change.changeId);
    tasks.delete(change.changeId);
    tree.refresh();
    await server.request("discardChange", { changeId: change.changeId }).catch(() => undefined);
  };

  /** Applies the change (or the chosen files); true when something landed. */
  const apply = async (change: DelegateResult, choose: boolean): Promise<boolean> => {
    let paths: string[] | undefined;
    if (choose && change.files.length > 1) {
      const picked = await vscode.window.showQuickPick(
        change.files.map((file) => ({ label: file.path, description: file.binary ? "binary" : `+${file.added} −${file.removed}`, picked: true })),
        { canPickMany: true, placeHolder: "Apply which files?" },
      );
      if (!picked || picked.length === 0) return false;
      paths = picked.map((item) => item.label);
    }
    const confirm = confirmationText(change, paths);
    if (confirm && (await show({ level: "warning", text: confirm, modal: true, prefixed: false }, { label: "Apply" })) !== "Apply") return false;
    if (!change.patchFile) {
      void inform("the change is empty — nothing to apply.");
      return false;
    }
    const check = await checkPatch(change.repoRoot, change.patchFile, { paths });
    let threeWay = false;
    if (!check.ok) {
      const offer = check.threeWay ? [{ label: "Apply Three-Way" }] : [];
      const answer = await warn(`the change no longer applies (${check.conflicts}). Nothing was changed.`, ...offer);
      if (answer !== "Apply Three-Way") return false;
      threeWay = true;
    }
    const applied = await applyPatch(change.repoRoot, change.patchFile, { paths, threeWay });
    if (!applied.ok) {
      void fail(`applying the change failed: ${applied.message}`);
      return false;
    }
    const all = !paths || paths.length === change.files.length;
    if (all) await discard(change, "applied");
    else settled(change.changeId, "applied");
    void inform(`applied ${paths ? `${paths.length} of ${change.files.length} files` : changeSummary(change)}${threeWay ? " (three-way: resolve any conflict markers)" : ""}.`);
    return true;
  };

  /** The notification when a change is ready: what Codex did, and what to do with it. */
  const offer = async (change: DelegateResult): Promise<Disposition> => {
    if (change.state !== "proposed") {
      void inform(`Codex changed nothing. ${change.summary.split("\n")[0] ?? ""}`);
      await discard(change, "no_changes");
      return "no_changes";
    }
    const answer = await inform(
      `Codex proposes a change: ${changeSummary(change)}${change.attention.length ? " — some files need your explicit OK" : ""}.`,
      ...["View Changes", "Apply", "Choose Files…", "Discard"].map((label) => ({ label })),
    );
    if (answer === "Apply" || answer === "Choose Files…") return (await apply(change, answer === "Choose Files…")) ? "applied" : "proposed";
    if (answer === "Discard") {
      await discard(change);
      return "discarded";
    }
    if (answer === "View Changes") await view(change);
    return "proposed";
  };

  return [
    tree,
    vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, new ProposedContent()),
    // A running delegate (any caller's, from the view): Codex stops and its copy goes.
    vscode.commands.registerCommand(Commands.cancelChange, async (target?: unknown) => {
      const id = typeof target === "object" && target !== null && "changeId" in target && typeof target.changeId === "string" ? target.changeId : undefined;
      if (id) await server.request("discardChange", { changeId: id }).catch(() => undefined);
    }),
    // Resolves with what became of the change and its id (Fix with Codex tells the finding's thread and follows it).
    vscode.commands.registerCommand(Commands.delegateTask, async (task?: unknown): Promise<DelegateOutcome | undefined> => {
      const text = typeof task === "string" ? task : await vscode.window.showInputBox({ prompt: "What should Codex do? It works in a copy of the workspace; you review its change before anything lands.", ignoreFocusOut: true });
      if (!text?.trim()) return undefined;
      const response = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "Codex is working in a copy of the workspace…" }, () =>
        server.request("delegate", { args: { task: text } }).catch((error: unknown) => ({ result: null, error: { message: error instanceof Error ? error.message : String(error) } })),
      );
      if (response.error || !response.result) {
        void fail(`Codex could not do the task: ${response.error?.message ?? "no change came back"}`);
        return { disposition: "failed", changeId: null };
      }
      changes.set(response.result.changeId, response.result);
      tasks.set(response.result.changeId, text.trim());
      tree.refresh();
      return { disposition: await offer(response.result), changeId: response.result.changeId };
    }),
    vscode.commands.registerCommand(Commands.viewChange, async (id?: unknown) => {
      const change = await pick(id);
      if (change) await view(change);
    }),
    vscode.commands.registerCommand(Commands.applyChange, async (id?: unknown) => {
      const change = await pick(id);
      if (change) await apply(change, false);
    }),
    vscode.commands.registerCommand(Commands.discardChange, async (id?: unknown) => {
      const change = await pick(id);
      if (change) await discard(change);
    }),
  ];
}
