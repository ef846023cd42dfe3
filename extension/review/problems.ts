// The latest review's findings in the Problems view (source "Codex"): one diagnostic per open finding placed in a
// workspace file, over its lines; re-rendered whenever the review model changes (a new review, Dismiss, a fix, edits).
import * as vscode from "vscode";
import { DIAGNOSTIC_SOURCE, severityLevel, type DiagnosticLevel } from "./diagnostics";
import { diagnosticMessage, severityLabel } from "./findingText";
import type { ReviewModel } from "./model";

const LEVELS: Record<DiagnosticLevel, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export class CodexProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("codex-fusion");
  private readonly subscription: { dispose(): void };

  constructor(private readonly model: ReviewModel) {
    this.subscription = model.onDidChange(() => this.render());
  }

  private render(): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const entry of this.model.placed()) {
      // A fixed finding is no problem any more; one with a fix proposed still is until the fix lands.
      if (entry.place.kind !== "file" || !entry.range || entry.state === "fixed") continue;
      const { start, end } = entry.range;
      const diagnostic = new vscode.Diagnostic(new vscode.Range(start, 0, end, Number.MAX_SAFE_INTEGER), diagnosticMessage(entry.finding), LEVELS[severityLevel(entry.finding.severity)]);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = severityLabel(entry.finding);
      const list = byFile.get(entry.place.path) ?? [];
      list.push(diagnostic);
      byFile.set(entry.place.path, list);
    }
    this.collection.clear();
    this.collection.set([...byFile].map(([file, diagnostics]) => [vscode.Uri.file(file), diagnostics] as [vscode.Uri, vscode.Diagnostic[]]));
  }

  dispose(): void {
    this.subscription.dispose();
    this.collection.dispose();
  }
}
