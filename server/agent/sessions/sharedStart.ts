// A start-up (the agent, then the session on it) that every ask arriving meanwhile waits for. Each waiter can give
// up on its own; when the last one does — or on reset — the start-up itself is abandoned, so nothing stays stuck
// behind an agent that never answers.
import { AgentError } from "../acp/errors";

export type StartupPhase = "starting_agent" | "opening_session";

export class SharedStart<T> {
  readonly startedAt = Date.now();
  readonly promise: Promise<T>;
  private readonly controller = new AbortController();
  private currentPhase: StartupPhase = "starting_agent";
  private waiters = 0;

  constructor(run: (signal: AbortSignal, enter: (phase: StartupPhase) => void) => Promise<T>) {
    this.promise = run(this.controller.signal, (phase) => {
      this.currentPhase = phase;
    });
    this.promise.catch(() => undefined); // a rejection is delivered to every waiter
  }

  /** Abandoned start-ups are not joined: the next ask starts its own. */
  get abandoned(): boolean {
    return this.controller.signal.aborted;
  }

  get phase(): StartupPhase {
    return this.currentPhase;
  }

  get elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  /** Waits for the start-up, or until `signal` aborts (then the start-up goes on only if someone else still waits). */
  join(signal?: AbortSignal): Promise<T> {
    this.waiters += 1;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const leave = () => {
        if (done) return false;
        done = true;
        this.waiters -= 1;
        signal?.removeEventListener("abort", onAbort);
        return true;
      };
      const onAbort = () => {
        if (!leave()) return;
        if (this.waiters === 0) this.abandon(new AgentError("cancelled", "Codex's start-up was abandoned: every ask waiting for it was cancelled."));
        reject(new AgentError("cancelled", "The ask was cancelled while Codex was starting."));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      this.promise.then(
        (value) => leave() && resolve(value),
        (error: unknown) => leave() && reject(error),
      );
    });
  }

  /** Gives the start-up up: its pending steps reject with `reason` (and the caller ends the agent). */
  abandon(reason: AgentError): void {
    this.controller.abort(reason);
  }
}
