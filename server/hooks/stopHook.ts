// `codex-fusion-mcp hook stop`: Claude Code's Stop hook for the opt-in review gate. Reads the hook input on stdin,
// decides whether to review (gate.ts), has Codex review the turn's changes (reviewer.ts) and prints the answer.
// Whatever goes wrong, the stop goes ahead: this hook never blocks because Codex (or the hook) could not run.
import { parseArgs } from "node:util";
import { ConfigError } from "../config";
import { configFromProcess } from "../processConfig";
import { collectChanges } from "./changes";
import { DEFAULT_GATE_OPTIONS, gateInstructions, hookOutput, judgeReview, planStop, stopHookInputSchema, type GateOptions, type StopHookInput } from "./gate";
import { gateStatePath, readGateState, writeGateState } from "./gateState";
import { connectReviewer, runReview } from "./reviewer";

/** Diffs up to this size go to Codex inline; larger ones Codex inspects itself. */
const MAX_INLINE_DIFF = 400 * 1024;
const LIMITS = { timeoutSec: [5, 3600], maxRounds: [1, 10] } as const;

export function parseGateOptions(argv: string[]): GateOptions {
  const { values } = parseArgs({ args: argv, options: { "timeout-sec": { type: "string" }, "max-rounds": { type: "string" } }, strict: true });
  const number = (raw: string | undefined, name: keyof typeof LIMITS, fallback: number) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    const [min, max] = LIMITS[name];
    if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`--${name === "timeoutSec" ? "timeout-sec" : "max-rounds"} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return value;
  };
  return {
    timeoutSec: number(values["timeout-sec"], "timeoutSec", DEFAULT_GATE_OPTIONS.timeoutSec),
    maxRounds: number(values["max-rounds"], "maxRounds", DEFAULT_GATE_OPTIONS.maxRounds),
  };
}

function parseInput(stdin: string): StopHookInput {
  try {
    return stopHookInputSchema.parse(JSON.parse(stdin));
  } catch {
    return {};
  }
}

/** The hook's whole run: what to print on stdout (the exit code is always 0). */
export async function runStopHook(argv: string[], stdin: string): Promise<string> {
  try {
    const options = parseGateOptions(argv);
    const input = parseInput(stdin);
    const config = configFromProcess(input.cwd);
    const stateFile = gateStatePath(config.stateDir, input.session_id ?? "unknown");
    const state = readGateState(stateFile);
    const plan = planStop(input, state, () => collectChanges(config.workspace, MAX_INLINE_DIFF), options);
    if (!plan.review) return hookOutput(plan.reply);

    const { changes } = plan;
    const args = {
      ...(changes.truncated ? {} : { diff: changes.diff }),
      instructions: gateInstructions(input, changes.truncated ? changes.bytes : null),
    };
    const reviewer = await connectReviewer(config);
    let outcome;
    try {
      outcome = await runReview(reviewer, args, options.timeoutSec * 1000);
    } finally {
      await reviewer.close();
    }
    const judged = judgeReview(outcome, plan, state);
    writeGateState(stateFile, judged.state);
    return hookOutput(judged.reply);
  } catch (error) {
    // A bad flag or configuration is the person's to fix: say which. Anything else is a bug: the stack goes to stderr.
    const expected = error instanceof ConfigError || error instanceof RangeError;
    if (!expected) process.stderr.write(`codex-fusion-mcp hook stop: ${(error as Error)?.stack ?? String(error)}\n`);
    const why = error instanceof Error ? error.message : String(error);
    return hookOutput({ kind: "allow", message: `Codex review gate: could not run (${why}); Claude stops without a review.` });
  }
}
