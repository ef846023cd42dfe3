// The Permissions view: pending requests at the top (with Allow / Deny inline), then the recent decisions and who
// made them. The view's badge counts what is waiting.
import * as vscode from "vscode";
import type { PermissionView } from "../../server/protocol/results";
import type { DecidedPermission, PermissionsModel } from "./permissionsModel";
import { askingTurnLabel, describePermission, resolutionPhrase, type PathContext } from "./permissionWording";
import { Commands } from "../commandIds";

export const PERMISSIONS_VIEW_ID = "codexFusion.permissions";
/** contextValue of a pending request (inline Allow / Allow for session / Deny in package.json menus). */
export const PENDING_CONTEXT = "codexFusion.permission.pending";
/** contextValue of a settled request. */
export const DECIDED_CONTEXT = "codexFusion.permission.decided";
export const RECENT_GROUP_CONTEXT = "codexFusion.permission.recentGroup";
/** Opens the details page of a request (the tree item's click); not in the command palette. */

export type PermissionNode =
  | { kind: "pending"; view: PermissionView }
  | { kind: "recentGroup" }
  | { kind: "decided"; entry: DecidedPermission };

export class PermissionsTreeProvider implements vscode.TreeDataProvider<PermissionNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<PermissionNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly treeView: vscode.TreeView<PermissionNode>;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly model: PermissionsModel,
    private readonly pathContext: () => PathContext,
  ) {
    this.treeView = vscode.window.createTreeView(PERMISSIONS_VIEW_ID, { treeDataProvider: this, showCollapseAll: false });
    this.subscription = model.onDidChange(() => this.refresh());
    this.refresh();
  }

  refresh(): void {
    const waiting = this.model.pending.length;
    this.treeView.badge = waiting > 0 ? { value: waiting, tooltip: `${waiting} permission request${waiting === 1 ? "" : "s"} waiting for a decision` } : undefined;
    this.treeView.message = waiting > 0 ? `Codex is waiting for ${waiting === 1 ? "a decision" : `${waiting} decisions`}.` : undefined;
    this.changeEmitter.fire(undefined);
  }

  getChildren(element?: PermissionNode): PermissionNode[] {
    if (!element) {
      const nodes: PermissionNode[] = this.model.pending.map((view) => ({ kind: "pending", view }));
      if (this.model.recent.length > 0) nodes.push({ kind: "recentGroup" });
      return nodes;
    }
    if (element.kind === "recentGroup") return this.model.recent.map((entry) => ({ kind: "decided", entry }));
    return [];
  }

  getTreeItem(node: PermissionNode): vscode.TreeItem {
    const ctx = this.pathContext();
    switch (node.kind) {
      case "pending": {
        const item = new vscode.TreeItem(describePermission(node.view, ctx), vscode.TreeItemCollapsibleState.None);
        item.id = `pending:${node.view.id}`;
        // Several turns at once: say which one asks.
        const asking = askingTurnLabel(node.view, this.model.turns);
        item.description = `${asking ? `for ${asking} · ` : ""}waiting since ${time(node.view.createdAt)}`;
        item.tooltip = tooltip(node.view, ctx, `Waiting for your decision${asking ? ` (asked during ${asking})` : ""}`);
        item.iconPath = new vscode.ThemeIcon(categoryIcon(node.view), new vscode.ThemeColor("notificationsWarningIcon.foreground"));
        item.contextValue = PENDING_CONTEXT;
        item.command = { command: Commands.permissionShowDetails, title: "Show Details", arguments: [node] };
        item.accessibilityInformation = { label: `Pending: Codex wants to ${describePermission(node.view, ctx)}` };
        return item;
      }
      case "recentGroup": {
        const item = new vscode.TreeItem("Recent decisions", vscode.TreeItemCollapsibleState.Expanded);
        item.id = "recent";
        item.contextValue = RECENT_GROUP_CONTEXT;
        return item;
      }
      case "decided": {
        const { view, resolution } = node.entry;
        const item = new vscode.TreeItem(describePermission(view, ctx), vscode.TreeItemCollapsibleState.None);
        item.id = `decided:${view.id}`;
        item.description = `${resolutionPhrase(resolution)} · ${time(resolution.decidedAt)}`;
        item.tooltip = tooltip(view, ctx, `${capitalize(resolutionPhrase(resolution))} at ${time(resolution.decidedAt)}${resolution.note ? ` — ${resolution.note}` : ""}`);
        item.iconPath = new vscode.ThemeIcon(resolution.decision === "deny" ? "circle-slash" : "pass", new vscode.ThemeColor(resolution.decision === "deny" ? "errorForeground" : "testing.iconPassed"));
        item.contextValue = DECIDED_CONTEXT;
        item.command = { command: Commands.permissionShowDetails, title: "Show Details", arguments: [node] };
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.treeView.dispose();
    this.changeEmitter.dispose();
  }
}

function tooltip(view: PermissionView, ctx: PathContext, status: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendText(`Codex wants to ${describePermission(view, ctx)}\n\n${status}.\n\n`);
  if (view.justification) md.appendText(`Codex says: ${view.justification}\n\n`);
  md.appendText(`Guardian: ${view.reason}`);
  return md;
}

function categoryIcon(view: PermissionView): string {
  switch (view.category) {
    case "network":
      return "globe";
    case "mcp":
      return "plug";
    case "sandbox":
      return "shield";
  }
  if (view.command) return "terminal";
  switch (view.category) {
    case "edit":
      return "edit";
    case "read":
      return "file";
    case "command":
      return "terminal";
    default:
      return "question";
  }
}

function time(ms: number): string {
  return new Date(ms).toLocaleTimeString();
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
