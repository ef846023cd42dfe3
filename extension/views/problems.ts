// Findings of the editor's own diff reviews in the Problems view (source "Codex"), replaced by the next review and
// cleared by "Clear Codex Findings".
import * as vscode from "vscode";
import { existsSync } from "node:fs";
import type { Finding } from "../../server/protocol/results";
import type { AskResponse, ControlEvent } from "../../server/protocol/control";
import { EDITOR_CLIENT } from "../../server/protocol/constants";
import { DIAGNOSTIC_SOURCE, findingsToDiagnostics, type DiagnosticLevel } from "../diagnostics";


const LEVELS: Record<DiagnosticLevel, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export class CodexProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection("codex-fusion");
  /** Set while one of our reviews is on its way: the roots its paths resolve against. */
  private expecting: string[] | null = null;

  /** A review was sent; its findings replace the current ones when it finishes. */
  expectReview(roots: string[]): void {
    this.expecting = roots;
  }

  /** The review's answer. When it paused for a permission, the findings come later with turnFinished. */
  onResponse(response: AskResponse | null): void {
    if (!this.expecting) return;
    if (!response || response.isError) {
      this.expecting = null;
      return;
    }
    if (response.result && !response.result.pendingPermission) this.apply(response.result.findings);
  }

  /** Picks up the findings of a review that paused for a permission and finished after its ask had returned. */
  onEvent(event: ControlEvent): void {
    if (!this.expecting || event.type !== "turnFinished" || event.tool !== "review_diff" || event.client !== EDITOR_CLIENT) return;
    if (event.isError) this.expecting = null;
    else this.apply(event.result.findings);
  }

  clear(): void {
    this.collection.clear();
  }

  private apply(findings: readonly Finding[]): void {
    const roots = this.expecting ?? [];
    this.expecting = null;
    const { specs } = findingsToDiagnostics(findings, { roots, exists: existsSync });
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const spec of specs) {
      const diagnostic = new vscode.Diagnostic(new vscode.Range(spec.line, 0, spec.line, Number.MAX_SAFE_INTEGER), spec.message, LEVELS[spec.level]);
      diagnostic.source = DIAGNOSTIC_SOURCE;
      diagnostic.code = spec.code;
      const list = byFile.get(spec.file) ?? [];
      list.push(diagnostic);
      byFile.set(spec.file, list);
    }
    this.collection.clear();
    this.collection.set([...byFile].map(([file, diagnostics]) => [vscode.Uri.file(file), diagnostics] as [vscode.Uri, vscode.Diagnostic[]]));
    const count = (severity: Finding["severity"]) => findings.filter((finding) => finding.severity === severity).length;
    vscode.window.setStatusBarMessage(`Codex review: ${count("blocker")} blocker, ${count("major")} major, ${count("minor")} minor`, 8000);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
