// What the review gate remembers between stops of one Claude Code session: the fingerprint of the changes it last
// reviewed (so an unchanged tree is not reviewed twice) and how often it blocked for the current prompt (the cap).
// <stateDir>/gate/<hash of the session id>.json; files untouched for a week are removed.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

export const gateStateSchema = z.object({
  fingerprint: z.string().nullable(),
  /** The prompt the block count belongs to (Claude Code's prompt_id, else the session id). */
  promptKey: z.string().nullable(),
  blocks: z.number().int().nonnegative(),
});

export type GateState = z.infer<typeof gateStateSchema>;

export const EMPTY_STATE: GateState = { fingerprint: null, promptKey: null, blocks: 0 };

const WEEK_MS = 7 * 24 * 3600 * 1000;

export function gateStatePath(stateDir: string, sessionId: string): string {
  const key = createHash("sha256").update(sessionId).digest("hex").slice(0, 32);
  return path.join(stateDir, "gate", `${key}.json`);
}

export function readGateState(file: string): GateState {
  try {
    const parsed = gateStateSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : EMPTY_STATE;
  } catch {
    return EMPTY_STATE;
  }
}

export function writeGateState(file: string, state: GateState, now = Date.now()): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(state), { mode: 0o600 });
  fs.renameSync(temp, file);
  for (const name of fs.readdirSync(dir)) {
    const other = path.join(dir, name);
    const stat = fs.statSync(other, { throwIfNoEntry: false });
    if (stat && now - stat.mtimeMs > WEEK_MS) fs.rmSync(other, { force: true });
  }
}
