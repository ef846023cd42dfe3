// How a caller waits on a turn, the same for an ask and a delegate: a pause already under way is answered at once
// (the caller decides it with permit), else the turn's next outcome; the caller's cancellation cancels the turn.
import type { ProgressReporter } from "../../progress";
import type { Turn, TurnOutcome } from "./turn";

export async function outcomeForCaller<Tool extends string>(
  turn: Turn<Tool>,
  wait: { signal: AbortSignal | undefined; progress: ProgressReporter; onAbort: () => void },
): Promise<TurnOutcome> {
  const pending = turn.waitingFor[0];
  if (pending && !turn.settled) return { kind: "permission", turnId: turn.id, request: pending, result: turn.result("permission_required", pending) };
  const { signal, progress, onAbort } = wait;
  if (signal?.aborted) onAbort();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await turn.next({ progress: (line) => progress.update(line) });
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}
