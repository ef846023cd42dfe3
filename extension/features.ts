// Everything a person sees of the debate: permission notifications and the Permissions view, the verdict panel, the
// editor's own asks and diff reviews, and the latest review's findings as inline threads and Problems entries.
// Wiring only; one call from activate().
import * as vscode from "vscode";
import * as os from "node:os";
import { realpathSync } from "node:fs";
import type { ServerConnection } from "./supervisor/serverConnection";
import { registerAskCommands } from "./asks/asks";
import { registerChanges } from "./changes/changesFeature";
import { PermissionDecider, registerPermissionCommands } from "./permissions/permissions";
import { registerReviewDiffCommands } from "./review/reviewDiff";
import { registerSessionCommands } from "./supervisor/sessionCommands";
import { PermissionNotifier } from "./permissions/notifications";
import { PermissionDetailsProvider } from "./permissions/permissionDetails";
import { PermissionsModel } from "./permissions/permissionsModel";
import { PermissionsTreeProvider } from "./permissions/permissionsTree";
import type { PathContext } from "./permissions/permissionWording";
import { ReviewFeature } from "./review/reviewFeature";
import { WalkthroughProgress } from "./walkthroughProgress";
import { VerdictPanel } from "./verdictPanel/panel";
import { Commands, WalkthroughKeys } from "./commandIds";
import type { Logger } from "./log";

export function registerFeatures(context: vscode.ExtensionContext, server: ServerConnection, log: Logger): void {
  const roots = () => workspaceRoots(server);
  const pathContext = (): PathContext => ({ roots: roots(), home: os.homedir() });

  // Permissions: one model, shown by the tree, the notifications and the details page.
  const permissions = new PermissionsModel();
  const details = new PermissionDetailsProvider(permissions, pathContext);
  const tree = new PermissionsTreeProvider(permissions, pathContext);
  const decider = new PermissionDecider(server, permissions, log);
  const notifier = new PermissionNotifier(permissions, decider, (id) => details.show(id), pathContext);

  const askDeps = { server, log, revealPanel: () => panel.reveal() };
  const serverWorkspace = () => server.status?.workspace ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? null;
  const review = new ReviewFeature({ context, server, ask: askDeps, roots, workspace: () => serverWorkspace() ?? undefined });
  const walkthrough = new WalkthroughProgress(server, context.extension.id);
  const panel: VerdictPanel = new VerdictPanel({ context, server, permissions, pathContext, roots, log, review, panelsSeen: () => walkthrough.mark(WalkthroughKeys.panelsSeen) });

  context.subscriptions.push(
    details,
    tree,
    notifier,
    review,
    panel,
    walkthrough,
    server.onEvent((event) => {
      switch (event.type) {
        case "permissionPending":
          if (permissions.addPending(event.request)) notifier.notify(event.request);
          break;
        case "permissionResolved":
          permissions.resolve(event.id, event.decision, event.source, event.note);
          break;
        case "permissionDecidedByPolicy":
          permissions.decidedByPolicy(event.request, event.decision, event.note);
          break;
        case "serverState":
          permissions.setTurns(event.status.turns);
          for (const view of permissions.reconcile(event.status.pendingPermissions)) notifier.notify(view);
          break;
        default:
          break;
      }
    }),
    server.onDidChangePhase((phase) => {
      // A server that stopped or restarts holds nothing any more.
      if (phase !== "ready") permissions.dropPending();
    }),
    ...registerPermissionCommands(decider, permissions, details),
    ...registerAskCommands(askDeps),
    ...registerSessionCommands(server),
    ...registerChanges(server, (changeId, disposition) => review.changeSettled(changeId, disposition)),
    ...registerReviewDiffCommands({ ...askDeps, review, serverWorkspace, recordFailure: (failure) => panel.recordFailure(failure) }),
    vscode.commands.registerCommand(Commands.clearHistory, () => panel.clearHistory()),
    vscode.commands.registerCommand(Commands.openAnswer, (id?: unknown) => panel.openAnswer(typeof id === "string" ? id : undefined)),
  );

  // Whatever is already waiting (the server was started before us, or a window reload).
  if (server.status) {
    for (const view of permissions.reconcile(server.status.pendingPermissions)) notifier.notify(view);
    panel.seed(server.status);
  }
}

/** The workspace folders (also as real paths: the server reports resolved paths) and the server's workspace. */
function workspaceRoots(server: ServerConnection): string[] {
  const roots: string[] = [];
  const add = (dir: string | null | undefined) => {
    if (dir && !roots.includes(dir)) roots.push(dir);
  };
  add(server.status?.workspace);
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== "file") continue;
    add(folder.uri.fsPath);
    try {
      add(realpathSync.native(folder.uri.fsPath));
    } catch {
      // a folder that is gone has no real path
    }
  }
  return roots;
}
