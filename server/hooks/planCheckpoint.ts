// The plan checkpoint's decisions, pure: which plan Claude Code just approved (from the PostToolUse hook input of its
// plan-exit tool), whether it was reviewed already, and what Claude reads back. The rules:
//   - only the plan-exit tool (ExitPlanMode) is reviewed, and only a plan with text in it;
//   - one review per plan: the same plan text in the same Claude Code session is not reviewed again;
//   - Codex could not review (not signed in, quota, timeout …) → Claude goes ahead, and the person is told why.
// The hook never blocks: the critique is context for Claude (`additionalContext`), not a veto.
import { createHash } from "node:crypto";
import { z } from "zod";
import type { TurnResult } from "../protocol/results";
import { clip } from "../protocol/text";
import type { ReviewOutcome } from "./gate";

/** The tool Claude Code calls to leave plan mode (2.1.x). */
export const PLAN_EXIT_TOOL = "ExitPlanMode";

/**
 * What Claude Code sends a PostToolUse hook for ExitPlanMode (2.1.332): the plan is in `tool_response.plan` (read from
 * the plan file Claude wrote), its file in `tool_response.filePath`; older releases passed it as `tool_input.plan`.
 */
export const planHookInputSchema = z.object({
  session_id: z.string().optional(),
  cwd: z.string().optional(),
  tool_name: z.string().optional(),
  tool_input: z.object({ plan: z.string().nullish() }).passthrough().nullish(),
  tool_response: z.object({ plan: z.string().nullish(), filePath: z.string().nullish() }).passthrough().nullish(),
});

export type PlanHookInput = z.infer<typeof planHookInputSchema>;

/** Plans longer than this are cut for Codex (a plan is prose; this is far beyond a readable one). */
export const MAX_PLAN_CHARS = 60_000;
/** The critique Claude reads is cut here, well under Claude Code's hook output limit. */
const MAX_CRITIQUE_CHARS = 9_000;
const PREFIX = "Codex plan checkpoint";

/** The plan's text: from the tool's response, else its input, else the plan file (read through `readFile`). */
export function planOf(input: PlanHookInput, readFile: (file: string) => string | null): string | null {
  if (input.tool_name !== undefined && input.tool_name !== PLAN_EXIT_TOOL) return null;
  const file = input.tool_response?.filePath;
  const text = input.tool_response?.plan ?? input.tool_input?.plan ?? (file && file.endsWith(".md") ? readFile(file) : null);
  const trimmed = text?.trim();
  return trimmed ? cut(trimmed, MAX_PLAN_CHARS) : null;
}

/** Cuts long text keeping its lines (clip() flattens to one line, wrong for a plan or a critique). */
function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function planFingerprint(plan: string): string {
  return createHash("sha256").update(plan).digest("hex").slice(0, 32);
}

/** What the hook answers: context for Claude and/or a line for the person; nothing at all when there is nothing to say. */
export interface PlanReply {
  context?: string;
  message?: string;
}

/** The instructions the checkpoint's review_plan carries. */
export function planContext(cwd: string | undefined): string {
  return [
    "Claude Code has just left plan mode with this plan and is about to implement it; your critique reaches Claude before it starts.",
    "Check the plan against the code: wrong assumptions, missing steps, risky changes, missing tests. Be concrete and brief; say what to change.",
    ...(cwd ? [`Claude Code works in ${cwd}.`] : []),
  ].join("\n");
}

/** What Codex's review means for Claude. */
export function judgePlanReview(outcome: ReviewOutcome): PlanReply {
  if (outcome.kind === "error") return { message: `${PREFIX}: Codex could not review the plan, so Claude goes ahead without it. ${clip(outcome.message, 400)}` };
  const { result } = outcome;
  if (result.stopReason !== "end_turn") return { message: `${PREFIX}: Codex's review stopped early (${result.stopReason}); Claude goes ahead without it.` };
  return { context: critique(result), message: `${PREFIX}: Codex reviewed the plan (${verdictLine(result)}).` };
}

function verdictLine(result: TurnResult): string {
  return result.verdict ? `verdict ${result.verdict.toUpperCase()}${result.verdictText ? ` — ${result.verdictText}` : ""}` : "no verdict";
}

function critique(result: TurnResult): string {
  return [
    "Codex (an independent reviewer, read-only in this workspace) reviewed the plan you just left plan mode with, before you implement it.",
    "Weigh its critique: adjust the plan where Codex is right and say briefly what you changed, or why you keep your approach. Use the reply tool of codex-fusion to argue a point with Codex.",
    "",
    cut(result.answer.trim(), MAX_CRITIQUE_CHARS),
  ].join("\n");
}

/** The hook's stdout: nothing, or the JSON Claude Code reads (PostToolUse: additionalContext for Claude). */
export function planHookOutput(reply: PlanReply): string {
  if (!reply.context && !reply.message) return "";
  return `${JSON.stringify({
    ...(reply.message ? { systemMessage: reply.message } : {}),
    ...(reply.context ? { hookSpecificOutput: { hookEventName: "PostToolUse", additionalContext: reply.context } } : {}),
  })}\n`;
}
