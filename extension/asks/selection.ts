// The editor selection as context for Codex: where it is (file:line) and the text in a fence it cannot break. Pure.
import { fenced } from "../fence";

export interface SelectionInfo {
  /** Workspace-relative path. */
  file: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  languageId: string;
  text: string;
}

export const MAX_SELECTION_CHARS = 100_000;

/** "src/a.ts:12-20" or "src/a.ts:12". */
export function selectionLocation(selection: Pick<SelectionInfo, "file" | "startLine" | "endLine">): string {
  return `${selection.file}:${selection.startLine}${selection.endLine > selection.startLine ? `-${selection.endLine}` : ""}`;
}

export function selectionContext(selection: SelectionInfo): string {
  const clipped = selection.text.length > MAX_SELECTION_CHARS;
  const text = clipped ? selection.text.slice(0, MAX_SELECTION_CHARS) : selection.text;
  return [
    `Selected in the editor, ${selectionLocation(selection)}${clipped ? ` (cut to the first ${MAX_SELECTION_CHARS.toLocaleString("en-US")} characters)` : ""}:`,
    "",
    fenced(text, selection.languageId === "plaintext" ? "" : selection.languageId),
  ].join("\n");
}
