// The editor's side of the control channel: numbered requests out, their responses matched back, each method's
// result typed by server/protocol/control.ts. A failed command rejects with a ControlRequestError carrying the
// server's error code, so callers decide from the code, never from the sentence.
import type { ControlMethod, ControlParams, ControlRequestMessage, ControlResponseMessage, ControlResult } from "../../server/protocol/control";
import type { ErrorCode } from "../../server/protocol/errors";

export class ControlRequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ControlRequestError";
  }
}

interface Pending {
  method: ControlMethod;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | null;
}

/** Writes one message to the server; calls back with an error when the pipe refused it. */
export type SendMessage = (message: ControlRequestMessage, done: (error: Error | null) => void) => void;

export class ControlRpcClient {
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly send: SendMessage) {}

  request<M extends ControlMethod>(method: M, params: ControlParams<M>, timeoutMs?: number): Promise<ControlResult<M>> {
    const requestId = this.nextRequestId++;
    return new Promise<ControlResult<M>>((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? null
          : setTimeout(() => this.settle(requestId, (entry) => entry.reject(new ControlRequestError("timeout", `The Codex Fusion server did not answer ${method} within ${Math.round(timeoutMs / 1000)} s.`))), timeoutMs);
      this.pending.set(requestId, { method, resolve: resolve as (value: unknown) => void, reject, timer });
      this.send({ type: "request", requestId, method, params }, (error) => {
        if (error) this.settle(requestId, (entry) => entry.reject(new ControlRequestError("unreachable", `Could not reach the Codex Fusion server (${error.message}) — see “Codex Fusion: Show Log”.`)));
      });
    });
  }

  /** A response from the server; returns false when it answers nothing we asked. */
  handleResponse(message: ControlResponseMessage): boolean {
    return this.settle(message.requestId, (entry) => {
      if (message.ok) entry.resolve(message.result);
      else entry.reject(new ControlRequestError(message.error.code, message.error.message));
    });
  }

  /** The server went away: every open request fails with `prefix` and the method's name. */
  failAll(prefix: string): void {
    for (const requestId of [...this.pending.keys()]) {
      this.settle(requestId, (entry) => entry.reject(new ControlRequestError("unreachable", `${prefix} ${entry.method}. It restarts on its own — try again in a moment.`)));
    }
  }

  private settle(requestId: number, finish: (entry: Pending) => void): boolean {
    const entry = this.pending.get(requestId);
    if (!entry) return false;
    this.pending.delete(requestId);
    if (entry.timer) clearTimeout(entry.timer);
    finish(entry);
    return true;
  }
}
