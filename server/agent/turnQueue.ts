// One turn at a time on a session: later asks wait in order, hear their position, and can give up while waiting.
import type { ProgressReporter } from "../progress";

interface Waiter {
  progress: ProgressReporter;
  admit: () => void;
}

export class TurnQueue {
  private busy = false;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly onChange: () => void = () => {}) {}

  get length(): number {
    return this.waiting.length;
  }

  /** Resolves true when it is this caller's turn, false when `signal` aborted first. */
  acquire(progress: ProgressReporter, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        this.announce();
        this.onChange();
        resolve(false);
      };
      const waiter: Waiter = {
        progress,
        admit: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(true);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
      this.announce();
      this.onChange();
    });
  }

  /** The current holder is done: admit the next caller, if any. */
  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next.admit();
      this.announce();
    } else this.busy = false;
    this.onChange();
  }

  private announce(): void {
    this.waiting.forEach((waiter, index) =>
      waiter.progress.update(`Queued behind ${index + 1} other ask${index === 0 ? "" : "s"} on this Codex session…`),
    );
  }
}
