// What the editor shows of a change Codex proposed: one diff entry per file (the workspace's file against Codex's
// version in its copy), the one-line summary, and what a person must confirm explicitly before Apply. Pure.
import * as path from "node:path";
import type { CopySummary, DelegateResult } from "../../server/protocol/delegate";

export interface ChangeEntry {
  /** Repository-relative, forward slashes (as in the patch). */
  path: string;
  /** The file in the workspace (absent for an added file). */
  workspaceFile: string | null;
  /** Codex's version in the copy (absent for a deleted file). */
  proposedFile: string | null;
}

export function changeEntries(change: Pick<DelegateResult, "files" | "repoRoot" | "copyRoot">): ChangeEntry[] {
  return change.files.map((file) => ({
    path: file.path,
    workspaceFile: file.status === "added" ? null : path.join(change.repoRoot, ...file.path.split("/")),
    proposedFile: file.status === "deleted" ? null : path.join(change.copyRoot, ...file.path.split("/")),
  }));
}

export function changeSummary(change: Pick<DelegateResult, "files">): string {
  const added = change.files.reduce((sum, file) => sum + (file.added ?? 0), 0);
  const removed = change.files.reduce((sum, file) => sum + (file.removed ?? 0), 0);
  const count = change.files.length;
  return `${count} file${count === 1 ? "" : "s"} (+${added} −${removed})`;
}

/**
 * The modal text when Apply needs an explicit yes (protected paths, new symlinks, new executable bits), limited to
 * the chosen paths; null when nothing needs it.
 */
export function confirmationText(change: Pick<DelegateResult, "attention">, paths?: readonly string[]): string | null {
  const chosen = paths ? change.attention.filter((line) => paths.some((p) => line.startsWith(`${p}: `))) : change.attention;
  if (chosen.length === 0) return null;
  return `Codex's change touches what runs or steers tools on its own:\n${chosen.map((line) => `• ${line}`).join("\n")}\n\nApply it anyway?`;
}

/** One row of the Codex Changes view. */
export interface ChangeRow {
  changeId: string;
  kind: "running" | "proposed";
  label: string;
  description: string;
}

/**
 * The Codex Changes view: every delegate Codex is working on (the editor's or a client's, from the server's status),
 * then the changes proposed to the editor, newest first, labelled by the task the person gave. Pure.
 */
export function changeRows(proposed: ReadonlyArray<{ task: string; change: DelegateResult }>, copies: readonly CopySummary[]): ChangeRow[] {
  const running = copies.filter((copy) => copy.running).map((copy): ChangeRow => ({ changeId: copy.changeId, kind: "running", label: copy.task, description: copy.activity ? `Codex: ${copy.activity}` : "Codex working…" }));
  const busy = new Set(running.map((row) => row.changeId));
  const offered = [...proposed]
    .filter(({ change }) => !busy.has(change.changeId))
    .reverse()
    .map(({ task, change }): ChangeRow => ({ changeId: change.changeId, kind: "proposed", label: task.split("\n")[0]!.trim() || change.changeId, description: `${changeSummary(change)}${change.attention.length ? " · needs your OK" : ""}` }));
  return [...running, ...offered];
}

/** What became of a delegate the editor ran, once the person answered its notification. */
export type Disposition = "applied" | "proposed" | "discarded" | "no_changes" | "failed";

/** What the delegate command resolves with: the disposition, and the change's id (to follow a proposed one). */
export interface DelegateOutcome {
  disposition: Disposition;
  changeId: string | null;
}

/** The note Fix with Codex leaves on the finding's thread. */
export function fixNote(disposition: Disposition | undefined): string | null {
  switch (disposition) {
    case "applied":
      return "Codex's fix was applied: this finding is fixed (review the change in Source Control).";
    case "proposed":
      return "Codex proposed a fix: it waits in the Codex Changes view (View / Apply / Discard).";
    case "discarded":
      return "Codex's fix was discarded.";
    case "no_changes":
      return "Codex changed nothing for this finding.";
    case "failed":
      return "Codex could not work on this finding (see the notification).";
    case undefined:
      return null;
  }
}
