// Throttled MCP progress: at most one notification per interval, strictly increasing, one final update.
// Progress keeps long Codex turns visible to the caller (and resets idle timeouts in clients).

export type SendProgress = (progress: number, message: string) => Promise<void>;

export class ProgressReporter {
  private count = 0;
  private lastSentAt = 0;
  private lastMessage = "";
  /** The newest state, or how to compute it: computed only when it is sent (never, without a progress token). */
  private latest: string | (() => string) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private finished = false;

  constructor(
    private readonly send: SendProgress | null,
    private readonly minIntervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  /** Offers the newest state; it is sent now or at the end of the current interval, whichever allows. */
  update(message: string | (() => string)): void {
    if (!this.send || this.finished) return;
    this.latest = message;
    const wait = this.lastSentAt + this.minIntervalMs - this.now();
    if (wait <= 0) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flush();
      }, wait);
      this.timer.unref();
    }
  }

  /**
   * Sends the final update and stops — unless that would be a second notification within one interval: then the
   * result, which follows at once, says it instead (progress after a result is meaningless to clients).
   */
  finish(message: string): void {
    if (!this.send || this.finished) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.finished = true;
    if (this.count > 0 && this.now() - this.lastSentAt < this.minIntervalMs) return;
    this.latest = message;
    this.flush(true);
  }

  /** Stops without a final update (the caller went away). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.finished = true;
  }

  get sent(): number {
    return this.count;
  }

  private flush(force = false): void {
    if (this.latest === null || !this.send) return;
    const message = typeof this.latest === "function" ? this.latest() : this.latest;
    if (!force && message === this.lastMessage) return;
    this.latest = null;
    this.lastMessage = message;
    this.lastSentAt = this.now();
    this.count += 1;
    // A client that went away must not take the server down with it.
    this.send(this.count, message).catch(() => {});
  }
}
