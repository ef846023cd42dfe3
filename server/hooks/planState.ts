// What the plan checkpoint remembers per Claude Code session: the fingerprints of the plans Codex already reviewed, so
// the same plan is reviewed once. <stateDir>/plan-checkpoint/<hash of the session id>.json; the gate's files sit
// beside it under gate/ and are pruned the same way (a week untouched).
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { gateStatePath } from "./gateState";

const planStateSchema = z.object({ reviewed: z.array(z.string()) });
type PlanState = z.infer<typeof planStateSchema>;

/** Enough to tell a session's plans apart; older fingerprints fall off. */
const KEEP = 20;
const WEEK_MS = 7 * 24 * 3600 * 1000;

export function planStatePath(stateDir: string, sessionId: string): string {
  return path.join(stateDir, "plan-checkpoint", path.basename(gateStatePath(stateDir, sessionId)));
}

export function wasReviewed(file: string, fingerprint: string): boolean {
  return readPlanState(file).reviewed.includes(fingerprint);
}

export function markReviewed(file: string, fingerprint: string, now = Date.now()): void {
  const reviewed = [...readPlanState(file).reviewed.filter((known) => known !== fingerprint), fingerprint].slice(-KEEP);
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify({ reviewed } satisfies PlanState), { mode: 0o600 });
  fs.renameSync(temp, file);
  for (const name of fs.readdirSync(dir)) {
    const other = path.join(dir, name);
    const stat = fs.statSync(other, { throwIfNoEntry: false });
    if (stat && now - stat.mtimeMs > WEEK_MS) fs.rmSync(other, { force: true });
  }
}

function readPlanState(file: string): PlanState {
  try {
    return planStateSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8"))).data ?? { reviewed: [] };
  } catch {
    return { reviewed: [] };
  }
}
