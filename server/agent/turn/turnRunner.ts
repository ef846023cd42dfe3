// One turn's prompts on its session: the prompt, a follow-up after a denial (codex-acp aborts the whole turn on one),
// and the turn's outcome from the stop reason, the cancel reason and what the agent reported along the way.
import type * as acp from "@agentclientprotocol/sdk/unstable";
import { buildDenialFollowUp } from "../../prompts";
import { oneLine } from "../../protocol/text";
import type { AgentConnection } from "../acp/connection";
import { errorMessage } from "../acp/errors";
import type { CancelReason, Turn } from "./turn";
import type { TurnResult } from "../../protocol/results";

const RESET_DURING_TURN = "The Codex session was reset while Codex was answering this ask — ask again; its partial answer is in the result.";

function timeoutMessage<Tool extends string>(turn: Turn<Tool>): string {
  return `Codex sent nothing for too long (idle limit reached after ${Math.round(turn.elapsedMs / 1000)} s), so the turn was cancelled — call again, raise timeoutSec (or CODEX_FUSION_TURN_TIMEOUT_MS), or check the model service.`;
}

/** A cancelled turn's outcome by why it was cancelled: a timeout and a reset fail it, a caller's cancel finishes it. */
export function settleCancelled<Tool extends string>(turn: Turn<Tool>, reason: CancelReason, tokens?: TurnResult["tokens"]): void {
  if (reason === "timeout") turn.fail("timeout", timeoutMessage(turn), "timeout");
  else if (reason === "reset") turn.fail("cancelled", RESET_DURING_TURN, "cancelled");
  else turn.finish("cancelled", tokens);
}

/** Sends the turn's prompt (and any follow-up) to `sessionId` until the turn has an outcome. */
export async function runPrompts<Tool extends string>(agent: AgentConnection, turn: Turn<Tool>, sessionId: string, prompt: string): Promise<void> {
  let text = prompt;
  for (;;) {
    let response: acp.PromptResponse;
    try {
      // No request bound here: the turn's idle clock decides how long Codex may stay silent.
      response = await agent.request("session/prompt", { sessionId, prompt: [{ type: "text", text }] }, { timeoutMs: null });
    } catch (error) {
      if (!turn.settled) {
        // An exit (or broken stream) is reported by the agent's exit handler with its last words: let it land first.
        await Promise.race([agent.ended, new Promise((resolve) => setTimeout(resolve, 1_500))]);
        if (!turn.settled) turn.fail("agent_crashed", `Codex failed during the turn: ${oneLine(errorMessage(error))} — call again; if it repeats, call reset.`);
      }
      return;
    }
    // The SDK dispatches notifications a few microtasks late: let the last chunks land before reading the answer.
    await new Promise((resolve) => setImmediate(resolve));
    if (turn.settled) return;
    if (response.stopReason === "cancelled" && !turn.cancelReason) {
      // codex-acp aborts the whole turn on a denial; ask again so the caller still gets an answer.
      const denial = turn.takeDenial();
      if (denial) {
        text = buildDenialFollowUp(denial.what, denial.by, denial.note);
        continue;
      }
    }
    const usage = response.usage;
    const tokens = usage ? turnTokens(usage) : undefined;
    if (turn.cancelReason === "timeout" || turn.cancelReason === "reset") settleCancelled(turn, turn.cancelReason);
    else if (turn.reportedSystemError) turn.fail("model_error", `Codex reported a model/API error: ${turn.answerTail(300) || "no details"} — check the model service, your plan and network, then call again.`);
    else turn.finish(response.stopReason, tokens);
    return;
  }
}

/** The agent's usage as a result's tokens: cached and reasoning only when the agent says. */
export function turnTokens(usage: acp.Usage): NonNullable<TurnResult["tokens"]> {
  return {
    input: usage.inputTokens,
    ...(usage.cachedReadTokens != null ? { cached: usage.cachedReadTokens } : {}),
    output: usage.outputTokens,
    ...(usage.thoughtTokens != null ? { reasoning: usage.thoughtTokens } : {}),
    total: usage.totalTokens,
  };
}
