// Rewrites a JSON file of the project through a pure merge (.mcp.json, .claude/settings.local.json): a missing file
// is merged from nothing, a file the merge refuses is never overwritten (the person is shown why, with a button to
// open it), and a failed read or write is said, never thrown.
import * as vscode from "vscode";
import { actions, fail } from "../messages";

export type JsonMerge<C extends string> = { ok: true; text: string; change: C | "unchanged" } | { ok: false; reason: string };

/** The file's text, or null when there is none yet. */
export async function readTextFile(file: vscode.Uri): Promise<string | null> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === "FileNotFound") return null;
    throw error;
  }
}

/** The change made ("unchanged" included), or null when the file was left alone and the person told why. */
export async function updateJsonFile<C extends string>(file: vscode.Uri, label: string, merge: (existing: string | null) => JsonMerge<C>): Promise<C | "unchanged" | null> {
  let existing: string | null;
  try {
    existing = await readTextFile(file);
  } catch (error) {
    void fail(`could not read ${label}: ${(error as Error).message}`);
    return null;
  }
  const merged = merge(existing);
  if (!merged.ok) {
    await fail(`${merged.reason}.`, actions.openFile("Open File", file));
    return null;
  }
  if (merged.change === "unchanged") return "unchanged";
  try {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(file, ".."));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(merged.text));
  } catch (error) {
    void fail(`could not write ${label}: ${(error as Error).message}`);
    return null;
  }
  return merged.change;
}
