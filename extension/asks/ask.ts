// One ask from the editor's own commands: shows the verdict panel, runs the ask through the server like any other
// client (the panel follows it through the turn events), and turns a failure into one clear notification.
import type { AskOutcome } from "../../server/protocol/control";
import type { AskTool } from "../../server/protocol/constants";
import type { ServerConnection } from "../supervisor/serverConnection";
import type { Logger } from "../log";
import { fail } from "../messages";

export interface AskDeps {
  server: ServerConnection;
  log: Logger;
  /** Brings the verdict panel into view. */
  revealPanel: () => Promise<void>;
}

/** Resolves with the ask's outcome, or null when the server could not be asked (already reported to the person). */
export async function askCodex(deps: AskDeps, tool: AskTool, args: Record<string, unknown>): Promise<AskOutcome | null> {
  void deps.revealPanel();
  deps.log.info(`ask ${tool} from the editor`);
  try {
    const outcome = await deps.server.request("ask", { tool, args });
    if (outcome.error) {
      deps.log.warn(`ask ${tool} failed: ${outcome.error.code}: ${outcome.error.message}`);
      void fail(`${outcome.error.message}`);
    }
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.log.error(`ask ${tool} failed: ${message}`);
    void fail(`${firstLine(message)}`);
    return null;
  }
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/, 1)[0] ?? "";
}
