// The Codex Changes view in the Codex Fusion activity bar: delegates Codex is working on (Cancel inline) and the
// changes it proposed (View / Apply / Discard inline; a click opens the diff).
import * as vscode from "vscode";
import { Commands } from "../commandIds";
import type { ServerConnection } from "../supervisor/serverConnection";
import type { DelegateResult } from "../../server/protocol/delegate";
import { changeRows, type ChangeRow } from "./changeEntries";

export const CHANGES_VIEW_ID = "codexFusion.changes";

export class ChangesTree implements vscode.TreeDataProvider<ChangeRow>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ChangeRow | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly view: vscode.TreeView<ChangeRow>;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly server: ServerConnection,
    private readonly proposed: () => Array<{ task: string; change: DelegateResult }>,
  ) {
    this.view = vscode.window.createTreeView(CHANGES_VIEW_ID, { treeDataProvider: this });
    this.subscription = server.onEvent((event) => {
      if (event.type === "serverState") this.refresh();
    });
  }

  refresh(): void {
    const count = this.proposed().length;
    this.view.badge = count > 0 ? { value: count, tooltip: `${count} change${count === 1 ? "" : "s"} proposed by Codex` } : undefined;
    this.emitter.fire(undefined);
  }

  getChildren(): ChangeRow[] {
    return changeRows(this.proposed(), this.server.status?.copies ?? []);
  }

  getTreeItem(row: ChangeRow): vscode.TreeItem {
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = row.changeId;
    item.description = row.description;
    item.contextValue = `codexFusion.change.${row.kind}`;
    item.iconPath = new vscode.ThemeIcon(row.kind === "running" ? "loading~spin" : "diff-multiple");
    if (row.kind === "proposed") item.command = { command: Commands.viewChange, title: "View Changes", arguments: [row.changeId] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.view.dispose();
    this.emitter.dispose();
  }
}
