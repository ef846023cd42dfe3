// The editor's live view of each turn: `turnProgress` control events, throttled like MCP progress (per turn, so
// parallel turns never reset each other's throttle), never after a turn's end.
import type { ControlEvent } from "../../protocol/control";
import { ProgressReporter } from "../../progress";
import type { Turn } from "./turn";

const ANSWER_TAIL = 4000;
const THOUGHT_TAIL = 400;

export class TurnProgressEvents {
  private readonly reporters = new Map<Turn, ProgressReporter>();

  constructor(private readonly emit: (event: ControlEvent) => void) {}

  /** Something changed in `turn`: an event goes out now or at the end of the throttle interval. */
  changed(turn: Turn): void {
    let reporter = this.reporters.get(turn);
    if (!reporter) {
      reporter = new ProgressReporter(async () => {
        this.emit({
          type: "turnProgress",
          id: turn.id,
          answerTail: turn.answerTail(ANSWER_TAIL),
          thoughtTail: turn.thoughtTail(THOUGHT_TAIL),
          activity: turn.activity.at(-1) ?? null,
          elapsedMs: turn.elapsedMs,
        });
      });
      this.reporters.set(turn, reporter);
    }
    // The reporter skips repeated messages; the revision changes whenever there is something new to show.
    reporter.update(() => turn.revision);
  }

  /** The turn ended: nothing more about it may follow. */
  ended(turn: Turn): void {
    this.reporters.get(turn)?.stop();
    this.reporters.delete(turn);
  }
}
