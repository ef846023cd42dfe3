// The file list of a change, from `git diff --raw --numstat -z` between two trees: status, +/- counts, and the
// facts a reviewer must see first — a protected path (the guardian's own list), a new symlink, a new executable bit.
// Pure.
import type { ChangedFile } from "../protocol/delegate";
import { protectedArea, protectedCategory } from "../guardian/protectedPaths";

const SYMLINK_MODE = "120000";
const EXECUTABLE_MODE = "100755";

const STATUS: Record<string, ChangedFile["status"]> = { A: "added", M: "modified", D: "deleted", T: "type_changed" };

/** Parses the NUL-separated output of `git diff --raw --numstat -z --no-renames`. */
export function parseChangedFiles(tokens: string[]): ChangedFile[] {
  const byPath = new Map<string, ChangedFile>();
  const counts = new Map<string, { added: number | null; removed: number | null }>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.startsWith(":")) {
      // ":<old mode> <new mode> <old sha> <new sha> <status>" then the path as its own token.
      const [oldMode = "", newMode = "", , , status = ""] = token.slice(1).split(" ");
      const path = tokens[++i];
      if (path === undefined) break;
      byPath.set(path, {
        path,
        status: STATUS[status.charAt(0)] ?? "modified",
        added: null,
        removed: null,
        binary: false,
        protectedPath: protectedArea(path),
        symlink: newMode === SYMLINK_MODE && oldMode !== SYMLINK_MODE,
        executable: newMode === EXECUTABLE_MODE && oldMode !== EXECUTABLE_MODE,
      });
      continue;
    }
    // "<added>\t<removed>\t<path>"; "-" for both on a binary file.
    const first = token.indexOf("\t");
    const second = token.indexOf("\t", first + 1);
    if (first < 0 || second < 0) continue;
    const added = token.slice(0, first);
    const removed = token.slice(first + 1, second);
    counts.set(token.slice(second + 1), { added: added === "-" ? null : Number(added), removed: removed === "-" ? null : Number(removed) });
  }
  return [...byPath.values()].map((file) => {
    const count = counts.get(file.path);
    if (!count) return file;
    return { ...file, added: count.added, removed: count.removed, binary: count.added === null };
  });
}

/** One line per file that needs a person's explicit confirmation, saying why. */
export function attentionOf(files: readonly ChangedFile[]): string[] {
  const lines: string[] = [];
  for (const file of files) {
    if (file.protectedPath) lines.push(`${file.path}: a protected path (${file.protectedPath}, ${protectedCategory(file.protectedPath)})`);
    if (file.symlink) lines.push(`${file.path}: becomes a symlink`);
    if (file.executable) lines.push(`${file.path}: becomes executable`);
  }
  return lines;
}

/** "3 files, +12 −4" for a summary line. */
export function filesLine(files: readonly ChangedFile[]): string {
  const added = files.reduce((sum, file) => sum + (file.added ?? 0), 0);
  const removed = files.reduce((sum, file) => sum + (file.removed ?? 0), 0);
  return `${files.length} file${files.length === 1 ? "" : "s"}, +${added} −${removed}`;
}
