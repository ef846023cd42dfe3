// "Open in editor": a finished answer as a read-only markdown document in an editor tab, full width for long
// reviews. The text is Codex's markdown as is (an editor shows text, so nothing of it is rendered as HTML).
import * as vscode from "vscode";
import type { TurnRecord } from "./turns";
import { clientLabel, toolLabel } from "./views";

const SCHEME = "codex-fusion-answer";

export class AnswerDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.query) ?? "This answer is no longer in the verdict history.";
  }

  async open(record: TurnRecord): Promise<void> {
    const when = new Date(record.finishedAt);
    const header = `<!-- ${toolLabel(record.tool)} · asked by ${clientLabel(record.client)} · ${when.toLocaleString()}${record.summary ? ` — ${record.summary}` : ""} -->`;
    this.texts.set(record.id, `${header}\n\n${record.answer}\n`);
    const stamp = when.toISOString().slice(0, 16).replace(/[:T]/g, "-");
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/Codex ${toolLabel(record.tool)} ${stamp}.md`, query: record.id });
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Active });
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}
