// The editor's live view of a turn: `turnProgress` control events, throttled like MCP progress, never after the end.
import type { ControlEvent } from "../protocol/control";
import { ProgressReporter } from "../progress";
import type { Turn } from "./turn";

const ANSWER_TAIL = 4000;
const THOUGHT_TAIL = 400;

export class TurnProgressEvents {
  private current: { turn: Turn; reporter: ProgressReporter } | null = null;

  constructor(private readonly emit: (event: ControlEvent) => void) {}

  /** Something changed in `turn`: an event goes out now or at the end of the throttle interval. */
  changed(turn: Turn): void {
    if (this.current?.turn !== turn) {
      this.current?.reporter.stop();
      const reporter = new ProgressReporter(async () => {
        this.emit({
          type: "turnProgress",
          id: turn.id,
          answerTail: turn.answerTail(ANSWER_TAIL),
          thoughtTail: turn.thoughtTail(THOUGHT_TAIL),
          activity: turn.activity.at(-1) ?? null,
          elapsedMs: turn.elapsedMs,
        });
      });
      this.current = { turn, reporter };
    }
    // The reporter skips repeated messages; the revision changes whenever there is something new to show.
    this.current.reporter.update(turn.revision);
  }

  /** The turn ended: nothing more about it may follow. */
  ended(turn: Turn): void {
    if (this.current?.turn !== turn) return;
    this.current.reporter.stop();
    this.current = null;
  }
}
