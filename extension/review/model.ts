// The latest review's findings, one model shown three ways: inline comment threads, Problems entries and the verdict
// panel's list. A new review replaces the old one; Dismiss removes a finding everywhere; edits move findings with
// their code. No vscode: the views subscribe to its changes.
import type { Finding, Reviewer, Severity } from "../../server/protocol/results";
import { applyEdits, type LineEdit, type LineRange } from "./lineTracking";
import type { Placement } from "./placement";
import { Emitter } from "../emitter";

export interface ReviewEntry {
  /** `${turnId}#${index}`. */
  readonly id: string;
  /** The finding's index in its turn's result. */
  readonly index: number;
  readonly finding: Finding;
  readonly place: Placement;
  /** 0-based lines, for findings placed in a file. */
  range: LineRange | null;
  dismissed: boolean;
  /** The lines it points at were edited since the review. */
  edited: boolean;
}

export interface Review {
  turnId: string;
  summary: string;
  reviewer: Reviewer | null;
  entries: ReviewEntry[];
}

export type ReviewChange = { kind: "replaced" } | { kind: "dismissed"; entry: ReviewEntry } | { kind: "moved"; entries: ReviewEntry[] };

export class ReviewModel {
  private current: Review | null = null;
  private readonly changes = new Emitter<ReviewChange>();
  readonly onDidChange = this.changes.event;

  get review(): Review | null {
    return this.current;
  }

  load(review: { turnId: string; summary: string; reviewer?: Reviewer | null; findings: readonly Finding[] }, place: (finding: Finding) => Placement): void {
    this.current = {
      turnId: review.turnId,
      summary: review.summary,
      reviewer: review.reviewer ?? null,
      entries: review.findings.map((finding, index) => {
        const placed = place(finding);
        const start = Math.max(0, (finding.line ?? 1) - 1);
        const end = Math.max(start, (finding.endLine ?? finding.line ?? 1) - 1);
        return { id: `${review.turnId}#${index}`, index, finding, place: placed, range: placed.kind === "file" ? { start, end } : null, dismissed: false, edited: false };
      }),
    };
    this.emit({ kind: "replaced" });
  }

  clear(): void {
    if (!this.current) return;
    this.current = null;
    this.emit({ kind: "replaced" });
  }

  entry(id: string): ReviewEntry | undefined {
    return this.current?.entries.find((entry) => entry.id === id);
  }

  entryAt(turnId: string, index: number): ReviewEntry | undefined {
    return this.current?.turnId === turnId ? this.current.entries[index] : undefined;
  }

  /** The findings still open, placed in a file. */
  placed(): ReviewEntry[] {
    return (this.current?.entries ?? []).filter((entry) => !entry.dismissed && entry.place.kind === "file");
  }

  dismiss(id: string): boolean {
    const entry = this.entry(id);
    if (!entry || entry.dismissed) return false;
    entry.dismissed = true;
    this.emit({ kind: "dismissed", entry });
    return true;
  }

  /** A document changed: move the findings in it. */
  edit(file: string, edits: readonly LineEdit[], samePath: (a: string, b: string) => boolean = (a, b) => a === b): void {
    const moved: ReviewEntry[] = [];
    for (const entry of this.placed()) {
      if (entry.place.kind !== "file" || !entry.range || !samePath(entry.place.path, file)) continue;
      const next = applyEdits(entry.range, edits);
      if (next.range.start === entry.range.start && next.range.end === entry.range.end && next.edited === entry.edited) continue;
      entry.range = next.range;
      entry.edited ||= next.edited;
      moved.push(entry);
    }
    if (moved.length > 0) this.emit({ kind: "moved", entries: moved });
  }

  /** What the answer says, for the status bar: every finding of the review, placed or not. */
  counts(): Record<Severity, number> {
    const counts: Record<Severity, number> = { blocker: 0, major: 0, minor: 0 };
    for (const entry of this.current?.entries ?? []) counts[entry.finding.severity] += 1;
    return counts;
  }

  private emit(change: ReviewChange): void {
    this.changes.fire(change);
  }
}
