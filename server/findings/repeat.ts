// codex-acp 2.6 sends the rendered review of Codex's own reviewer twice in one turn (once from the review's exit, once
// as the agent's message), the second copy glued to the first. This keeps one copy. Linear; pure.

/** `text` without an exact second copy of itself (whitespace between the copies allowed), else unchanged. */
export function collapseRepeat(text: string): string {
  const t = text.trimEnd();
  for (let gap = 0; gap <= 4; gap++) {
    if ((t.length - gap) % 2 !== 0) continue;
    const half = (t.length - gap) / 2;
    if (half === 0) continue;
    if (t.slice(half, half + gap).trim() !== "") continue;
    if (t.slice(0, half) === t.slice(half + gap)) return t.slice(0, half);
  }
  return text;
}
