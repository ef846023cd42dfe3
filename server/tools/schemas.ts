// zod schemas for the tools' inputs. Their results' schemas live in server/protocol/results.ts.
import { z } from "zod";
import { EFFORTS, REVIEW_TARGETS, type AskTool } from "../protocol/constants";
import { permissionDecisionSchema } from "../protocol/results";
import { thousands } from "../protocol/text";

/** Optional on every ask: which model and effort, and how long Codex may stay silent. */
export const askOptions = {
  model: z.string().min(1).optional().describe("Codex model for this ask (one the agent offers, e.g. gpt-5.5). Omit for the default."),
  effort: z.enum(EFFORTS).optional().describe("Reasoning effort for this ask. Omit for the default."),
  timeoutSec: z
    .number()
    .int()
    .positive()
    .max(24 * 3600)
    .optional()
    .describe("Cancel the ask if Codex sends nothing for this many seconds (time waiting for a permission does not count)."),
};

/**
 * The most any one text input may hold (about 250k tokens, already more than Codex reads in one turn). A bigger
 * input is refused with what to do instead, long before it could strain a transport.
 */
export const MAX_INPUT_CHARS = 1_000_000;

const tooLong = (what: string, instead: string) => `${what} is over the ${thousands(MAX_INPUT_CHARS)}-character limit — ${instead}`;
const SHORTEN = "shorten it, or point Codex at the files instead (it reads the workspace itself)";
const text = (what: string) => z.string().trim().min(1, `${what} must not be empty`).max(MAX_INPUT_CHARS, tooLong(what, SHORTEN));
const optionalText = (what: string) => z.string().max(MAX_INPUT_CHARS, tooLong(what, SHORTEN)).optional();

export const inputs = {
  consult: {
    question: text("question").describe("The question or decision to get a second opinion on."),
    context: optionalText("context").describe("What Codex needs to know: constraints, what you tried, relevant files."),
    ...askOptions,
  },
  review_plan: {
    plan: text("plan").describe("The plan to critique, as you would show it to a reviewer."),
    context: optionalText("context").describe("Goal, constraints and relevant files."),
    ...askOptions,
  },
  review_diff: {
    diff: z
      .string()
      .max(MAX_INPUT_CHARS, tooLong("diff", "omit it and pass paths (and base) instead: Codex then reads `git diff` in the workspace itself"))
      .optional()
      .describe("Unified diff to review. Omit to let Codex inspect `git diff` in the workspace itself."),
    paths: z.array(z.string().min(1)).max(200).optional().describe("Limit the review to these paths."),
    base: z.string().min(1).optional().describe("Git ref to diff against (e.g. main). Default: the working tree against HEAD. With target \"branch\": the base branch."),
    target: z
      .enum(REVIEW_TARGETS)
      .optional()
      .describe(
        'Run Codex\'s own trained reviewer (its /review mode) instead of the debate prompt: "uncommitted" (staged, unstaged and untracked changes), "branch" (this branch against `base`), "commit" (the commit in `commit`). Findings carry P0–P3 priorities; it writes no VERDICT line, so verdict is null (result.reviewer says "codex") — use reply to debate the findings. Falls back to the debate prompt on the same changes when the agent does not offer /review (result.reviewer "prompt"). Not with `diff`.',
      ),
    commit: z.string().min(1).optional().describe('With target "commit": the commit to review (a sha or ref, e.g. HEAD~1).'),
    instructions: optionalText("instructions").describe("What to focus on."),
    ...askOptions,
  },
  brainstorm: {
    problem: text("problem").describe("The problem to explore approaches for."),
    constraints: optionalText("constraints").describe("Constraints every approach must respect."),
    ...askOptions,
  },
  explore: {
    focus: optionalText("focus").describe("What to focus the map on (a feature, a flow, a question)."),
    paths: z.array(z.string().min(1)).max(200).optional().describe("Limit exploration to these paths."),
    ...askOptions,
  },
  reply: {
    message: text("message").describe("Your answer to Codex's last reply: pushback, new facts, or a question."),
    change: z.string().min(1).optional().describe("Continue this delegate (its changeId) in its copy. Default: your latest call's conversation, a delegate's when that call was delegate."),
    ...askOptions,
  },
  permit: {
    decision: permissionDecisionSchema.describe('"allow": this request once. "allow_session": this and the same again for the rest of the Codex session (never a permanent rule). "deny": refuse; Codex continues without it.'),
    note: optionalText("note").describe("Why — passed on to Codex with a denial."),
    id: z.string().optional().describe("Which pending request (from status); default: the oldest."),
  },
} as const;

type FieldsOf<T extends AskTool> = z.infer<z.ZodObject<(typeof inputs)[T]>>;
type Intersection<U> = (U extends unknown ? (all: U) => void : never) extends (all: infer I) => void ? I : never;

/** Every field any ask takes, each optional: what an ask's own arguments are read as past its schema. */
export type AskInput = Partial<Intersection<{ [T in AskTool]: FieldsOf<T> }[AskTool]>>;

/** An ask's own arguments (the prompt builders' input): its fields without the per-ask options. */
export type AskArgs = Omit<AskInput, keyof typeof askOptions>;
