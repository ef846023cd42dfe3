// The latest review's findings, one model shown three ways: inline comment threads, Problems entries and the verdict
// panel's list. It owns each finding's state (open, dismissed, fix proposed, fixed): a new review replaces the old
// one; Dismiss removes a finding everywhere; a Codex fix moves it along; edits move findings with their code. No
// vscode: the views subscribe to its changes.
import type { Finding, Reviewer, Severity } from "../../server/protocol/results";
import { applyEdits, type LineEdit, type LineRange } from "./lineTracking";
import type { Placement } from "./placement";
import { Emitter } from "../emitter";
import type { Disposition } from "../changes/changeEntries";

export interface ReviewEntry {
  /** `${turnId}#${index}`. */
  readonly id: string;
  /** The finding's index in its turn's result. */
  readonly index: number;
  readonly finding: Finding;
  readonly place: Placement;
  /** 0-based lines, for findings placed in a file. */
  range: LineRange | null;
  state: FindingStatus;
  /** The Codex change proposed to fix it, while that change waits for Apply or Discard. */
  change: string | null;
  /** The lines it points at were edited since the review. */
  edited: boolean;
}

export interface Review {
  turnId: string;
  summary: string;
  reviewer: Reviewer | null;
  entries: ReviewEntry[];
}

export type ReviewChange =
  | { kind: "replaced" }
  | { kind: "dismissed"; entry: ReviewEntry }
  | { kind: "moved"; entries: ReviewEntry[] }
  /** Findings a Codex fix moved along (fix proposed, fixed, open again). */
  | { kind: "fixes"; entries: ReviewEntry[] };

/** A finding's state, owned by the model; the threads, Problems and the verdict panel show it. */
export type FindingStatus = "open" | "dismissed" | "fix_proposed" | "fixed";

/** What happened: Dismiss, or a Codex fix proposed / applied / dropped (discarded, nothing changed, failed). */
export type FixOutcome = "proposed" | "applied" | "dropped";

/** The state after an event; the same state when the event does not apply to it. */
export function nextState(state: FindingStatus, event: FixOutcome | "dismiss"): FindingStatus {
  switch (event) {
    case "dismiss":
      return state === "open" || state === "fix_proposed" ? "dismissed" : state;
    case "proposed":
      return state === "open" ? "fix_proposed" : state;
    case "applied":
      return state === "open" || state === "fix_proposed" ? "fixed" : state;
    case "dropped":
      return state === "fix_proposed" ? "open" : state;
  }
}

/** How a delegate's disposition moves the findings it was asked to fix (null: it never ran). */
export function fixOutcome(disposition: Disposition | undefined): FixOutcome | null {
  if (disposition === undefined) return null;
  return disposition === "applied" ? "applied" : disposition === "proposed" ? "proposed" : "dropped";
}

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
        return { id: `${review.turnId}#${index}`, index, finding, place: placed, range: placed.kind === "file" ? { start, end } : null, state: "open", change: null, edited: false };
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
    return (this.current?.entries ?? []).filter((entry) => entry.state !== "dismissed" && entry.place.kind === "file");
  }

  /** The open findings Codex can be asked to fix: all but those outside the workspace. */
  fixable(): ReviewEntry[] {
    return (this.current?.entries ?? []).filter((entry) => entry.state === "open" && entry.place.kind !== "outside");
  }

  dismiss(id: string): boolean {
    const entry = this.entry(id);
    if (!entry) return false;
    const next = nextState(entry.state, "dismiss");
    if (next === entry.state) return false;
    entry.state = next;
    entry.change = null;
    this.emit({ kind: "dismissed", entry });
    return true;
  }

  /** What became of a Codex fix for these findings (the change's id while it waits for Apply or Discard). */
  fixed(ids: readonly string[], outcome: FixOutcome, change: string | null = null): ReviewEntry[] {
    const moved: ReviewEntry[] = [];
    for (const id of ids) {
      const entry = this.entry(id);
      if (!entry) continue;
      const next = nextState(entry.state, outcome);
      if (next === entry.state) continue;
      entry.state = next;
      entry.change = next === "fix_proposed" ? change : null;
      moved.push(entry);
    }
    if (moved.length > 0) this.emit({ kind: "fixes", entries: moved });
    return moved;
  }

  /** A proposed change was applied or dropped later (from the Codex Changes view): its findings follow. */
  settle(change: string, outcome: FixOutcome): ReviewEntry[] {
    const ids = (this.current?.entries ?? []).filter((entry) => entry.change === change).map((entry) => entry.id);
    return this.fixed(ids, outcome);
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
