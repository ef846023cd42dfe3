// The review gate's decisions, pure: whether a stop is reviewed at all, what Codex's review means for the stop, and
// the JSON Claude Code reads back. The rules that keep it from looping or nagging:
//   - a stop Claude makes while continuing after a stop hook (`stop_hook_active`) is never blocked again;
//   - at most `maxRounds` blocks for one prompt, whatever Claude Code says;
//   - nothing changed (no diff, or the same diff as the last review) → no review;
//   - Codex could not review (not signed in, quota, timeout, agent missing …) → the stop goes ahead, with a message.
import { z } from "zod";
import type { Finding, TurnResult } from "../protocol/results";
import type { Changes, ChangesResult } from "./changes";
import type { GateState } from "./gateState";
import { clip } from "../protocol/text";

/** What Claude Code sends a Stop hook on stdin (only the fields the gate uses; others are ignored). */
export const stopHookInputSchema = z.object({
  session_id: z.string().optional(),
  prompt_id: z.string().optional(),
  cwd: z.string().optional(),
  stop_hook_active: z.boolean().optional(),
  last_assistant_message: z.string().optional(),
});

export type StopHookInput = z.infer<typeof stopHookInputSchema>;

export interface GateOptions {
  /** How long the whole review may take. */
  timeoutSec: number;
  /** Blocks allowed for one prompt. */
  maxRounds: number;
}

export const DEFAULT_GATE_OPTIONS: GateOptions = { timeoutSec: 300, maxRounds: 1 };

/** What the hook answers: let Claude stop (optionally telling the person why), or block with a reason for Claude. */
export type HookReply = { kind: "allow"; message?: string } | { kind: "block"; reason: string };

export type ReviewOutcome = { kind: "result"; result: TurnResult } | { kind: "error"; message: string };

export type Plan = { review: false; reply: HookReply } | { review: true; promptKey: string; blocksSoFar: number; changes: Changes };

const PREFIX = "Codex review gate";

export function promptKeyOf(input: StopHookInput): string {
  return input.prompt_id ?? input.session_id ?? "unknown";
}

/** Whether this stop is reviewed. The changes are collected only when the cheaper checks let the stop through. */
export function planStop(input: StopHookInput, state: GateState, collect: () => ChangesResult, options: GateOptions): Plan {
  if (input.stop_hook_active) return { review: false, reply: { kind: "allow" } };
  const promptKey = promptKeyOf(input);
  const blocksSoFar = state.promptKey === promptKey ? state.blocks : 0;
  if (blocksSoFar >= options.maxRounds) {
    return { review: false, reply: { kind: "allow", message: `${PREFIX}: already blocked ${blocksSoFar} time(s) for this prompt; not blocking again.` } };
  }
  const changes = collect();
  if (!changes.ok) return { review: false, reply: { kind: "allow", message: `${PREFIX}: skipped — ${changes.reason}.` } };
  if (changes.changes.diff === "") return { review: false, reply: { kind: "allow" } };
  if (changes.changes.fingerprint === state.fingerprint) return { review: false, reply: { kind: "allow" } };
  return { review: true, promptKey, blocksSoFar, changes: changes.changes };
}

/** What Codex's review means for the stop, and what the gate remembers afterwards. */
export function judgeReview(outcome: ReviewOutcome, plan: Extract<Plan, { review: true }>, previous: GateState): { reply: HookReply; state: GateState } {
  if (outcome.kind === "error") {
    // Not remembered as reviewed: the next stop tries again.
    return { reply: { kind: "allow", message: `${PREFIX}: Codex could not review this turn, so Claude stops without a review. ${clip(outcome.message, 400)}` }, state: previous };
  }
  const { result } = outcome;
  const reviewed: GateState = { fingerprint: plan.changes.fingerprint, promptKey: plan.promptKey, blocks: plan.blocksSoFar };
  if (result.stopReason !== "end_turn") {
    return { reply: { kind: "allow", message: `${PREFIX}: Codex's review stopped early (${result.stopReason}); not blocking.` }, state: previous };
  }
  const blockers = result.findings.filter((finding) => finding.severity === "blocker");
  if (blockers.length === 0) return { reply: { kind: "allow", message: `${PREFIX}: no blockers (${summary(result)}).` }, state: reviewed };
  return { reply: { kind: "block", reason: blockReason(blockers, result) }, state: { ...reviewed, blocks: plan.blocksSoFar + 1 } };
}

export function blockReason(blockers: Finding[], result: TurnResult): string {
  const lines = [`Codex reviewed the changes of this turn and found ${blockers.length === 1 ? "a blocker" : `${blockers.length} blockers`}:`];
  for (const finding of blockers) lines.push(`- ${where(finding)}${finding.title}${finding.body ? `: ${clip(finding.body, 300)}` : ""}`);
  const others = result.findings.length - blockers.length;
  if (others > 0) lines.push(`(and ${others} lesser finding(s): ${summary(result)})`);
  if (result.verdictText) lines.push(`Codex's verdict: ${result.verdict?.toUpperCase() ?? "none"} — ${result.verdictText}`);
  lines.push(
    "Fix each blocker before you finish, or, if you are sure one is not a problem, say why in your answer (the reply tool lets you argue it with Codex). The gate will not block again for this prompt.",
  );
  return lines.join("\n");
}

/** The hook's stdout: nothing to allow silently, else the JSON Claude Code reads. */
export function hookOutput(reply: HookReply): string {
  if (reply.kind === "block") return `${JSON.stringify({ decision: "block", reason: reply.reason })}\n`;
  return reply.message ? `${JSON.stringify({ systemMessage: reply.message })}\n` : "";
}

/** The instructions the gate's review_diff carries. */
export function gateInstructions(input: StopHookInput, truncatedBytes: number | null): string {
  const parts = [
    "This review gates Claude Code's stop: Claude just finished a turn, and these are the workspace's uncommitted changes.",
    "Mark as [blocker] only what must be fixed before the work is handed back: a bug, data loss, a security hole, a broken build or test. Everything else is major or minor.",
  ];
  if (truncatedBytes !== null) parts.push(`The changes are too large to include (${truncatedBytes} bytes): inspect them with git diff and git status yourself.`);
  const said = input.last_assistant_message?.trim();
  if (said) parts.push(`Claude's own summary of its turn: ${clip(said, 1500)}`);
  return parts.join("\n");
}

function where(finding: Finding): string {
  if (!finding.file) return "";
  return `${finding.file}${finding.line !== undefined ? `:${finding.line}` : ""} — `;
}

function summary(result: TurnResult): string {
  const count = (severity: Finding["severity"]) => result.findings.filter((finding) => finding.severity === severity).length;
  const bits = (["major", "minor"] as const).filter((severity) => count(severity) > 0).map((severity) => `${count(severity)} ${severity}`);
  const verdict = result.verdict ? `verdict ${result.verdict.toUpperCase()}${result.verdictText ? ` — ${result.verdictText}` : ""}` : "no verdict";
  return [...bits, verdict].join(", ");
}
