// The review in the editor: the latest review_diff's findings (from the editor or from Claude) go into one model,
// shown as inline threads, Problems entries and the verdict panel's list; Ask Codex, Fix with Claude Code and Dismiss
// act on a thread; edits move findings with their code. Wiring; the logic is in the pure modules beside it.
import * as vscode from "vscode";
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { ControlEvent } from "../../server/protocol/control";
import { EDITOR_CLIENT } from "../../server/protocol/constants";
import type { AskDeps } from "../asks/ask";
import { Commands } from "../commandIds";
import type { ServerConnection } from "../supervisor/serverConnection";
import { CodexProblems } from "./problems";
import { askOnThread } from "./askOnThread";
import { ClaudeTerminals } from "./claudeTerminals";
import { fixWithClaude } from "./fixWithClaude";
import { changeSettled, fixAllWithCodex, fixWithCodex } from "./fixWithCodex";
import type { Disposition } from "../changes/changeEntries";
import { ReviewModel, type ReviewEntry } from "./model";
import { placeFinding } from "./placement";
import { ReviewThreads } from "./threads";
import type { FindingState } from "../verdictPanel/protocol";


export interface ReviewFeatureDeps {
  context: vscode.ExtensionContext;
  server: ServerConnection;
  ask: AskDeps;
  /** The workspace roots findings of Claude's reviews resolve against. */
  roots: () => string[];
  /** The folder Codex works in (Claude Code is started there). */
  workspace: () => string | undefined;
}

export class ReviewFeature implements vscode.Disposable {
  readonly model = new ReviewModel();
  private readonly threads: ReviewThreads;
  private readonly problems: CodexProblems;
  private readonly terminals = new ClaudeTerminals();
  private readonly disposables: vscode.Disposable[] = [];
  /** Roots of the editor's own review on its way (its repository first). */
  private expected: string[] | null = null;

  constructor(private readonly deps: ReviewFeatureDeps) {
    this.threads = new ReviewThreads(this.model, vscode.Uri.joinPath(deps.context.extensionUri, "media", "icon.png"));
    this.problems = new CodexProblems(this.model);
    const acting = { model: this.model, threads: this.threads };
    this.disposables.push(
      this.threads,
      this.problems,
      this.terminals,
      deps.server.onEvent((event) => this.onEvent(event)),
      vscode.workspace.onDidChangeTextDocument((event) => this.onEdit(event)),
      vscode.commands.registerCommand(Commands.reviewAskCodex, (reply: vscode.CommentReply) => askOnThread({ ...acting, ask: deps.ask, server: deps.server }, reply)),
      vscode.commands.registerCommand(Commands.reviewFixWithClaude, (target: unknown) => fixWithClaude({ ...acting, terminals: this.terminals, workspace: deps.workspace }, target)),
      vscode.commands.registerCommand(Commands.reviewFixWithCodex, (target: unknown) => fixWithCodex(acting, target)),
      vscode.commands.registerCommand(Commands.reviewDismiss, (target: unknown) => this.dismiss(target)),
    );
  }

  /** The editor sent a review: its findings resolve against these roots when it finishes. */
  expectReview(roots: string[]): void {
    this.expected = roots;
  }

  /** The editor's review did not start (it failed before a turn). */
  cancelExpected(): void {
    this.expected = null;
  }

  clear(): void {
    this.model.clear();
  }

  /** How a finding of a turn stands in the editor, when that turn is the latest review; else null. */
  findingState(turnId: string, index: number): FindingState | null {
    const entry = this.model.entryAt(turnId, index);
    if (!entry) return null;
    if (entry.state !== "open") return entry.state;
    return entry.place.kind === "file" ? "open" : entry.place.kind === "none" ? "unplaced" : entry.place.kind;
  }

  /** Shows a finding of the latest review at its thread; false when it is not one (the panel opens the file then). */
  async reveal(turnId: string, index: number): Promise<boolean> {
    const entry = this.model.entryAt(turnId, index);
    if (!entry || entry.state === "dismissed" || entry.place.kind !== "file") return false;
    await this.threads.reveal(entry);
    return true;
  }

  /** The latest review's turn and how many of its findings Fix all with Codex would take; null without a review. */
  latest(): { turnId: string; fixable: number } | null {
    const review = this.model.review;
    return review ? { turnId: review.turnId, fixable: this.model.fixable().length } : null;
  }

  /** Fix all with Codex: the open findings of the latest review (`turnId`), as one change. */
  fixAll(turnId: string): Promise<void> {
    return fixAllWithCodex({ model: this.model, threads: this.threads }, turnId);
  }

  /** A Codex change was applied or discarded: the findings it was to fix follow. */
  changeSettled(changeId: string, disposition: Disposition): void {
    changeSettled({ model: this.model, threads: this.threads }, changeId, disposition);
  }

  /** A finding's state changed (a new review, a dismissal, a fix); not fired for findings moving with edits (ranges only). */
  onDidChange(listener: () => void): vscode.Disposable {
    const subscription = this.model.onDidChange((change) => change.kind !== "moved" && listener());
    return new vscode.Disposable(() => subscription.dispose());
  }

  private onEvent(event: ControlEvent): void {
    if (event.type !== "turnFinished" || event.tool !== "review_diff") return;
    const ours = event.client === EDITOR_CLIENT ? this.expected : null;
    if (event.client === EDITOR_CLIENT) this.expected = null;
    // A failed review is not a new review: the last one's findings stay.
    if (event.isError || event.result.pendingPermission) return;
    const roots = ours ?? this.deps.roots();
    this.model.load({ turnId: event.id, summary: event.summary, reviewer: event.result.reviewer ?? null, findings: event.result.findings }, (finding) => placeFinding(finding, { roots, exists: existsSync }));
    const counts = this.model.counts();
    vscode.window.setStatusBarMessage(`Codex review: ${counts.blocker} blocker, ${counts.major} major, ${counts.minor} minor`, 10_000);
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    if (event.document.uri.scheme !== "file" || event.contentChanges.length === 0 || this.model.placed().length === 0) return;
    const edits = event.contentChanges.map((change) => ({
      startLine: change.range.start.line,
      startCharacter: change.range.start.character,
      endLine: change.range.end.line,
      endCharacter: change.range.end.character,
      newLineBreaks: change.text.split("\n").length - 1,
    }));
    const windows = process.platform === "win32";
    this.model.edit(event.document.uri.fsPath, edits, (a, b) => (windows ? path.normalize(a).toLowerCase() === path.normalize(b).toLowerCase() : a === b));
  }

  private dismiss(target: unknown): void {
    const entry: ReviewEntry | undefined = this.threads.entryFor(target);
    if (entry) this.model.dismiss(entry.id);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
