// `codex-fusion-mcp hook plan`: Claude Code's PostToolUse hook on ExitPlanMode for the opt-in plan checkpoint. Reads
// the hook input on stdin, has Codex review the approved plan (review_plan, through reviewer.ts like the gate) and
// prints the critique as context for Claude before it implements. Whatever goes wrong, Claude goes ahead: this hook
// never blocks, and its review is bounded by --timeout-sec.
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { ConfigError } from "../config";
import { configFromProcess } from "../processConfig";
import { judgePlanReview, planContext, planFingerprint, planHookInputSchema, planHookOutput, planOf, type PlanHookInput } from "./planCheckpoint";
import { markReviewed, planStatePath, wasReviewed } from "./planState";
import { connectReviewer, runReview } from "./reviewer";

export const DEFAULT_PLAN_TIMEOUT_SEC = 300;
const TIMEOUT_LIMITS = [5, 3600] as const;
/** A plan file bigger than this is not a plan: it is not read. */
const MAX_PLAN_FILE_BYTES = 1024 * 1024;

export function parsePlanOptions(argv: string[]): { timeoutSec: number } {
  const { values } = parseArgs({ args: argv, options: { "timeout-sec": { type: "string" } }, strict: true });
  const raw = values["timeout-sec"];
  if (raw === undefined) return { timeoutSec: DEFAULT_PLAN_TIMEOUT_SEC };
  const value = Number(raw);
  const [min, max] = TIMEOUT_LIMITS;
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`--timeout-sec must be a whole number from ${min} to ${max}, got "${raw}"`);
  return { timeoutSec: value };
}

function parseInput(stdin: string): PlanHookInput {
  try {
    return planHookInputSchema.parse(JSON.parse(stdin));
  } catch {
    return {};
  }
}

function readPlanFile(file: string): string | null {
  try {
    return fs.statSync(file).size <= MAX_PLAN_FILE_BYTES ? fs.readFileSync(file, "utf8") : null;
  } catch {
    return null;
  }
}

/** The hook's whole run: what to print on stdout (the exit code is always 0). */
export async function runPlanHook(argv: string[], stdin: string): Promise<string> {
  try {
    const { timeoutSec } = parsePlanOptions(argv);
    const input = parseInput(stdin);
    const plan = planOf(input, readPlanFile);
    if (!plan) return "";
    const config = configFromProcess(input.cwd);
    const stateFile = planStatePath(config.stateDir, input.session_id ?? "unknown");
    const fingerprint = planFingerprint(plan);
    if (wasReviewed(stateFile, fingerprint)) return "";

    const reviewer = await connectReviewer(config);
    let outcome;
    try {
      outcome = await runReview(reviewer, { plan, context: planContext(input.cwd) }, timeoutSec * 1000, "review_plan");
    } finally {
      await reviewer.close();
    }
    // Remembered only once Codex answered: after an error the same plan may be tried again.
    if (outcome.kind === "result") markReviewed(stateFile, fingerprint);
    return planHookOutput(judgePlanReview(outcome));
  } catch (error) {
    // A bad flag or configuration is the person's to fix: say which. Anything else is a bug: the stack goes to stderr.
    const expected = error instanceof ConfigError || error instanceof RangeError;
    if (!expected) process.stderr.write(`codex-fusion-mcp hook plan: ${(error as Error)?.stack ?? String(error)}\n`);
    const why = error instanceof Error ? error.message : String(error);
    return planHookOutput({ message: `Codex plan checkpoint: could not run (${why}); Claude goes ahead without a review.` });
  }
}
