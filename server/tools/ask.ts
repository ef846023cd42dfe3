// One ask, from whichever side it comes (an MCP client or the editor's control channel).
import type { AskOutcome } from "../agent/askRequest";
import type { CodexSession } from "../agent/session";
import type { AskTool } from "../protocol/constants";
import { clip } from "../protocol/text";
import { buildPrompt, type AskArgs } from "../prompts";
import type { ProgressReporter } from "../progress";

export type AskInput = AskArgs & { model?: string; effort?: string; timeoutSec?: number };

/** The first words of the main argument, for the editor's turn list and logs. */
export function summarize(tool: AskTool, args: AskArgs): string {
  const main =
    args.question ?? args.plan ?? args.instructions ?? args.problem ?? args.focus ?? args.message ?? (args.diff ? "the given diff" : tool === "review_diff" ? "the working tree (git diff)" : "the workspace");
  return clip(main, 120);
}

export function runAsk(
  session: CodexSession,
  tool: AskTool,
  args: AskInput,
  context: { client: string | null; caller: string; signal?: AbortSignal; progress: ProgressReporter },
): Promise<AskOutcome> {
  return session.ask({
    tool,
    prompt: buildPrompt(tool, args),
    summary: summarize(tool, args),
    client: context.client,
    caller: context.caller,
    model: args.model,
    effort: args.effort,
    timeoutMs: args.timeoutSec !== undefined ? args.timeoutSec * 1000 : undefined,
    signal: context.signal,
    progress: context.progress,
  });
}
