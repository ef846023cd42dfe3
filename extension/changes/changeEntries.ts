// What the editor shows of a change Codex proposed: one diff entry per file (the workspace's file against Codex's
// version in its copy), the one-line summary, and what a person must confirm explicitly before Apply. Pure.
import * as path from "node:path";
import type { DelegateResult } from "../../server/protocol/delegate";

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
