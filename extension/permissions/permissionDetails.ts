// The full request (command, cwd, paths, diff preview, Codex's reason, the guardian's reason) as a read-only markdown
// page: a virtual document, so closing it never asks to save, and it updates when the request is decided.
import * as vscode from "vscode";
import type { PermissionsModel } from "./permissionsModel";
import { permissionDetailsMarkdown, type PathContext } from "./permissionWording";

export const PERMISSION_DETAILS_SCHEME = "codex-fusion-permission";

export class PermissionDetailsProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly registration: vscode.Disposable;
  private readonly subscription: { dispose(): void };
  private readonly open = new Set<string>();

  constructor(
    private readonly model: PermissionsModel,
    private readonly pathContext: () => PathContext,
  ) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(PERMISSION_DETAILS_SCHEME, this);
    // A decision changes the page's status line.
    this.subscription = model.onDidChange(() => {
      for (const id of this.open) this.changeEmitter.fire(uriFor(id));
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const id = idFrom(uri);
    const found = id ? this.model.find(id) : null;
    if (!id || !found) return "# Permission request\n\nThis request is no longer known to the editor (it was decided long ago or the window was reloaded).\n";
    this.open.add(id);
    return permissionDetailsMarkdown(found.view, this.pathContext(), found.resolution);
  }

  async show(id: string): Promise<void> {
    const document = await vscode.workspace.openTextDocument(uriFor(id));
    await vscode.window.showTextDocument(document, { preview: true, preserveFocus: false });
  }

  dispose(): void {
    this.registration.dispose();
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}

function uriFor(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: PERMISSION_DETAILS_SCHEME, path: `/Codex permission ${encodeURIComponent(id)}.md` });
}

function idFrom(uri: vscode.Uri): string | null {
  const match = /^\/Codex permission (.+)\.md$/.exec(uri.path);
  return match ? decodeURIComponent(match[1]!) : null;
}
