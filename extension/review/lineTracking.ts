// Keeping a finding on its code while the document changes: an edit above it moves it, an edit after it leaves it,
// an edit across its lines keeps it (clamped) and marks it as edited. Pure; lines are 0-based and inclusive.

export interface LineRange {
  start: number;
  end: number;
}

/** One content change as VS Code reports it: the replaced range and how many line breaks the new text has. */
export interface LineEdit {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
  newLineBreaks: number;
}

export function applyEdit(range: LineRange, edit: LineEdit): { range: LineRange; edited: boolean } {
  const delta = edit.newLineBreaks - (edit.endLine - edit.startLine);
  // Entirely above, or ending at column 0 of the first line (a line inserted or removed right above it).
  const above = edit.endLine < range.start || (edit.endLine === range.start && edit.endCharacter === 0 && (edit.startLine < edit.endLine || edit.newLineBreaks > 0));
  if (above) return { range: { start: Math.max(0, range.start + delta), end: Math.max(0, range.end + delta) }, edited: false };
  if (edit.startLine > range.end) return { range, edited: false };
  const start = Math.min(range.start, edit.startLine);
  return { range: { start, end: Math.max(start, range.end + delta) }, edited: true };
}

/** Applies a document's changes (VS Code gives each against the document before the event), bottom-up. */
export function applyEdits(range: LineRange, edits: readonly LineEdit[]): { range: LineRange; edited: boolean } {
  let current = range;
  let edited = false;
  const ordered = [...edits].sort((a, b) => b.startLine - a.startLine || b.startCharacter - a.startCharacter);
  for (const edit of ordered) {
    const next = applyEdit(current, edit);
    current = next.range;
    edited ||= next.edited;
  }
  return { range: current, edited };
}
