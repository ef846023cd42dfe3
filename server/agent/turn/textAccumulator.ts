// A growing text made of streamed chunks: appending is O(1), the whole text is joined only when it is read (and
// then cached), and the tail is read from the last chunks, so a 50k-chunk answer costs linear time, not quadratic.

export class TextAccumulator {
  private chunks: string[] = [];
  private joined: string | null = "";
  private size = 0;

  append(chunk: string): void {
    if (chunk === "") return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    this.joined = null;
  }

  get length(): number {
    return this.size;
  }

  get text(): string {
    if (this.joined === null) {
      this.joined = this.chunks.join("");
      // Keep one chunk: the next read after more appends joins two pieces instead of all of them again.
      this.chunks = [this.joined];
    }
    return this.joined;
  }

  /** The end of the text, whitespace folded, on a word boundary when one is near: at most `max` characters. */
  tail(max: number): string {
    let raw = "";
    for (let i = this.chunks.length - 1; i >= 0 && raw.length < 4 * max; i--) raw = this.chunks[i] + raw;
    return tailOf(raw, max);
  }
}

/** The end of a text, on a word boundary, for progress lines. Reads only the last 4×max characters. */
export function tailOf(text: string, max: number): string {
  const flat = text.slice(-4 * max).replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(flat.length - max);
  const space = cut.indexOf(" ");
  return "…" + (space > 0 && space < 40 ? cut.slice(space + 1) : cut);
}
