// One ask, from whichever side it comes (an MCP client or the editor's control channel).
import { failure, type AskOutcome } from "../agent/askRequest";
import type { CodexSession } from "../agent/session";
import type { AskTool } from "../protocol/constants";
import { clip } from "../protocol/text";
import { buildPrompt } from "../prompts";
import { askerOf } from "../protocol/askers";
import type { ProgressReporter } from "../progress";
import { nativeReviewFor } from "./nativeReview";
import type { AskArgs, AskInput } from "./schemas";

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
  const native = tool === "review_diff" ? nativeReviewFor(args) : null;
  if (native && "error" in native) return Promise.resolve(failure("invalid_argument", native.error));
  let prompt: string;
  try {
    prompt = buildPrompt(tool, args, { asker: askerOf(context.client) });
  } catch (error) {
    if (error instanceof RangeError) return Promise.resolve(failure("invalid_argument", `review_diff: ${error.message} — give a branch name or a sha.`));
    throw error;
  }
  return session.ask({
    tool,
    prompt,
    ...(native ? { nativeReview: { command: native.review.command, name: native.review.name } } : {}),
    summary: native ? native.review.summary : summarize(tool, args),
    client: context.client,
    caller: context.caller,
    model: args.model,
    effort: args.effort,
    timeoutMs: args.timeoutSec !== undefined ? args.timeoutSec * 1000 : undefined,
    signal: context.signal,
    progress: context.progress,
  });
}
