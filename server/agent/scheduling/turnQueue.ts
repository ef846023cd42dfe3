// Asks that cannot start yet wait here in order: whenever something frees up, each waiter in turn is offered the
// chance to start (a reply waiting for its own conversation does not hold back an ask that can fork). Waiters hear
// why they wait and their position, and can give up while waiting.
import type { ProgressReporter } from "../../progress";

/** What a waiter gets when it may start, or the line it is shown while it waits (its position in the queue). */
export type Admission<T> = { admitted: T } | { waiting: string };

interface Waiter<T> {
  progress: ProgressReporter;
  tryAdmit: (position: number) => Admission<T>;
  admit: (value: T) => void;
}

export class TurnQueue<T> {
  private readonly waiting: Waiter<T>[] = [];

  constructor(private readonly onChange: () => void = () => {}) {}

  get length(): number {
    return this.waiting.length;
  }

  /** Resolves with the admission when this caller may start, null when `signal` aborted first. */
  enter(progress: ProgressReporter, signal: AbortSignal | undefined, tryAdmit: (position: number) => Admission<T>): Promise<T | null> {
    if (signal?.aborted) return Promise.resolve(null);
    if (this.waiting.length === 0) {
      const first = tryAdmit(0);
      if ("admitted" in first) return Promise.resolve(first.admitted);
    }
    return new Promise((resolve) => {
      const onAbort = () => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        this.recheck();
        resolve(null);
      };
      const waiter: Waiter<T> = {
        progress,
        tryAdmit,
        admit: (value) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(value);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
      this.recheck();
    });
  }

  /** Something freed up (a turn ended, a session closed): admit every waiter that can start now, in order. */
  recheck(): void {
    let index = 0;
    let changed = false;
    while (index < this.waiting.length) {
      const waiter = this.waiting[index]!;
      const admission = waiter.tryAdmit(index);
      if ("admitted" in admission) {
        this.waiting.splice(index, 1);
        waiter.admit(admission.admitted);
        changed = true;
        continue;
      }
      waiter.progress.update(admission.waiting);
      index += 1;
    }
    if (changed || this.waiting.length > 0) this.onChange();
  }
}
