// The streamed answer as progress shows it: the findings block is addressed to the server, so its lines never reach a
// progress line or the editor's live tail. Chunks pass through line by line; a line that might still become the
// block's opening fence waits until it is complete. Linear in the answer; pure (no I/O).
import { FINDINGS_FENCE } from "../protocol/findingsReport";

const OPEN_RE = new RegExp(String.raw`^ {0,3}(\`{3,}|~{3,})\s*${FINDINGS_FENCE}\s*$`, "i");
const CLOSE_RE = /^ {0,3}(`{3,}|~{3,})\s*$/;
// A partial line that could still turn into the opening fence.
const MAYBE_FENCE = /^ {0,3}(?:`|~)/;

/** The shown text as chunks: appending is O(1), the tail reads only the last chunks. */
class Shown {
  private readonly chunks: string[] = [];
  length = 0;

  append(chunk: string): void {
    if (chunk === "") return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The last `chars` characters (about). */
  end(chars: number): string {
    let raw = "";
    for (let i = this.chunks.length - 1; i >= 0 && raw.length < chars; i--) raw = this.chunks[i] + raw;
    return raw;
  }
}

/** The end of a text, whitespace folded, on a word boundary when one is near: at most `max` characters. */
function tailOf(text: string, max: number): string {
  const flat = text.slice(-4 * max).replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(flat.length - max);
  const space = cut.indexOf(" ");
  return "…" + (space > 0 && space < 40 ? cut.slice(space + 1) : cut);
}

export class VisibleStream {
  private readonly shown = new Shown();
  private pending = "";
  private fence: string | null = null;
  /** The current line's start was shown already: the rest of it is shown too. */
  private midLine = false;

  append(chunk: string): void {
    let start = 0;
    for (let nl = chunk.indexOf("\n"); nl >= 0; nl = chunk.indexOf("\n", start)) {
      const segment = chunk.slice(start, nl);
      if (this.midLine) this.shown.append(`${segment}\n`);
      else this.completeLine(this.pending + segment);
      this.pending = "";
      this.midLine = false;
      start = nl + 1;
    }
    const rest = chunk.slice(start);
    if (rest === "") return;
    if (this.midLine) this.shown.append(rest);
    // A line that cannot start a fence is shown at once (progress stays live mid-line).
    else if (this.fence === null && this.pending === "" && !MAYBE_FENCE.test(rest) && rest.trimStart() !== "") {
      this.shown.append(rest);
      this.midLine = true;
    } else this.pending += rest;
  }

  /** The end of what a reader may see, whitespace folded, at most `max` characters (as progress lines show it). */
  tail(max: number): string {
    const partial = this.fence === null && !MAYBE_FENCE.test(this.pending) ? this.pending : "";
    return tailOf(this.shown.end(4 * max) + partial, max);
  }

  get length(): number {
    return this.shown.length;
  }

  private completeLine(line: string): void {
    const bare = line.endsWith("\r") ? line.slice(0, -1) : line;
    if (this.fence !== null) {
      const end = CLOSE_RE.exec(bare);
      if (end && end[1]![0] === this.fence[0] && end[1]!.length >= this.fence.length) this.fence = null;
      return;
    }
    const open = OPEN_RE.exec(bare);
    if (open) {
      this.fence = open[1]!;
      return;
    }
    this.shown.append(`${line}\n`);
  }
}
