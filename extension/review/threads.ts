// Each finding of the latest review as an inline comment thread at its lines (one CommentController): severity, title
// and body as markdown, a reply box for Ask Codex, and Fix with Claude Code / Dismiss in its title bar. Threads follow
// the model: a new review replaces them, Dismiss removes one, a fix marks one, edits move them.
import * as vscode from "vscode";
import { ReviewComments } from "../commandIds";
import { severityLabel, threadMarkdown } from "./findingText";
import type { ReviewEntry, ReviewModel } from "./model";

class Note implements vscode.Comment {
  mode = vscode.CommentMode.Preview;
  constructor(
    public body: vscode.MarkdownString,
    public author: vscode.CommentAuthorInformation,
    public contextValue?: string,
  ) {}
}

/** Model text as markdown: no HTML, no command links. */
function markdown(text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(text, false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

export type Speaker = "codex" | "you" | "note";

export class ReviewThreads implements vscode.Disposable {
  private readonly controller = vscode.comments.createCommentController(ReviewComments.controller, "Codex review");
  private readonly threads = new Map<string, vscode.CommentThread>();
  private readonly ids = new WeakMap<vscode.CommentThread, string>();
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly model: ReviewModel,
    private readonly codexIcon: vscode.Uri,
  ) {
    this.controller.options = { prompt: "Ask Codex about this finding…", placeHolder: "Ask Codex about this finding" };
    this.subscription = model.onDidChange((change) => {
      if (change.kind === "replaced") this.render();
      else if (change.kind === "dismissed") this.remove(change.entry.id);
      else if (change.kind === "fixes") for (const entry of change.entries) this.mark(entry);
      else for (const entry of change.entries) this.move(entry);
    });
  }

  /** The finding a comment menu was used on: its thread, a reply in its box, or one of its comments' thread. */
  entryFor(arg: unknown): ReviewEntry | undefined {
    const thread = (arg as { thread?: vscode.CommentThread } | undefined)?.thread ?? (arg as vscode.CommentThread | undefined);
    const id = thread && typeof thread === "object" ? this.ids.get(thread) : undefined;
    return id ? this.model.entry(id) : undefined;
  }

  /** Adds a comment to a finding's thread; returns a function that replaces its text later. */
  say(entry: ReviewEntry, speaker: Speaker, text: string): (next: string) => void {
    const thread = this.threads.get(entry.id);
    if (!thread) return () => undefined;
    const note = new Note(markdown(text), this.author(speaker));
    thread.comments = [...thread.comments, note];
    return (next) => {
      note.body = markdown(next);
      thread.comments = [...thread.comments];
    };
  }

  /** Opens the finding's file at its lines with its thread expanded. */
  async reveal(entry: ReviewEntry): Promise<void> {
    const thread = this.threads.get(entry.id);
    if (entry.place.kind !== "file" || !entry.range) return;
    const start = new vscode.Position(entry.range.start, 0);
    await vscode.window.showTextDocument(vscode.Uri.file(entry.place.path), { selection: new vscode.Range(start, start), preview: true });
    if (thread) thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
  }

  private author(speaker: Speaker): vscode.CommentAuthorInformation {
    if (speaker === "you") return { name: "You" };
    if (speaker === "note") return { name: "Codex Fusion" };
    return { name: "Codex", iconPath: this.codexIcon };
  }

  private render(): void {
    for (const thread of this.threads.values()) thread.dispose();
    this.threads.clear();
    const review = this.model.review;
    if (!review) return;
    for (const entry of this.model.placed()) {
      if (entry.place.kind !== "file" || !entry.range) continue;
      const thread = this.controller.createCommentThread(vscode.Uri.file(entry.place.path), this.range(entry), [
        new Note(markdown(threadMarkdown(entry.finding, { reviewer: review.reviewer, edited: entry.edited })), this.author("codex"), ReviewComments.findingComment),
      ]);
      thread.label = this.label(entry);
      thread.contextValue = ReviewComments.findingThread;
      thread.canReply = true;
      thread.state = vscode.CommentThreadState.Unresolved;
      thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
      this.threads.set(entry.id, thread);
      this.ids.set(thread, entry.id);
    }
  }

  private remove(id: string): void {
    const thread = this.threads.get(id);
    if (!thread) return;
    thread.state = vscode.CommentThreadState.Resolved;
    thread.dispose();
    this.threads.delete(id);
  }

  private move(entry: ReviewEntry): void {
    const thread = this.threads.get(entry.id);
    if (!thread || !entry.range) return;
    thread.range = this.range(entry);
    thread.label = this.label(entry);
  }

  /** A fix moved the finding along: its label says so (the thread stays open: its notes say what became of the fix;
   * a resolved thread would collapse them away). */
  private mark(entry: ReviewEntry): void {
    const thread = this.threads.get(entry.id);
    if (thread) thread.label = this.label(entry);
  }

  private label(entry: ReviewEntry): string {
    const state = entry.state === "fixed" ? " · fixed" : entry.state === "fix_proposed" ? " · fix proposed" : "";
    return `Codex · ${severityLabel(entry.finding)}${entry.edited ? " · code changed since" : ""}${state}`;
  }

  private range(entry: ReviewEntry): vscode.Range {
    const { start, end } = entry.range!;
    return new vscode.Range(start, 0, end, 0);
  }

  dispose(): void {
    this.subscription.dispose();
    for (const thread of this.threads.values()) thread.dispose();
    this.threads.clear();
    this.controller.dispose();
  }
}
