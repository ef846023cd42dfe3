// The pure parts of session continuity and usage: the state file, the session locks, the plan for a restart, the
// /status rate-limit parser and the words status shows.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Continuity } from "../../../../server/sessions/continuity";
import { SessionLocks } from "../../../../server/sessions/sessionLock";
import { ContinuityStore } from "../../../../server/sessions/store";
import { parseRateLimits, windowMinutesOf } from "../../../../server/sessions/rateLimits";
import { contextUsage, UsageTracker } from "../../../../server/sessions/usage";
import { busiestWindow, continuedFooter, continuedNote, continuityLines, utcTime } from "../../../../server/protocol/usageText";
import { tokensText } from "../../../../server/tools/results";
import { codexCli } from "../../../../server/sessions/keeper";
import { codexAcpCommand, nativeCodexPath } from "../../../fixtures/codex-home";

const temp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
const AGENT = ["codex-acp"];

/** A pid that surely is not running: a child that has already exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString());
}

test("the store: 0600 file keyed by the workspace's real path; missing, corrupt or foreign files read as nothing with a reason", () => {
  const state = temp("cont-state-");
  const workspace = temp("cont-ws-");
  const link = path.join(temp("cont-link-"), "ws");
  fs.symlinkSync(workspace, link);
  const store = new ContinuityStore(state, workspace);
  assert.equal(new ContinuityStore(state, link).path, store.path, "a symlinked path finds the same file");
  assert.deepEqual(store.read(), { file: null, problem: null });
  assert.ok(store.write({ current: null, resetAt: 5 }));
  assert.equal(fs.statSync(store.path).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.dirname(store.path)).mode & 0o777, 0o700);
  assert.deepEqual(store.read().file, { version: 1, workspace: fs.realpathSync(workspace), current: null, resetAt: 5 });
  fs.writeFileSync(store.path, "garbage");
  assert.match(store.read().problem ?? "", /is not valid JSON/);
  fs.writeFileSync(store.path, JSON.stringify({ version: 1, workspace: "/elsewhere", current: null, resetAt: null }));
  assert.match(store.read().problem ?? "", /belongs to another workspace/);
  fs.writeFileSync(store.path, JSON.stringify({ version: 2 }));
  assert.match(store.read().problem ?? "", /unexpected shape/);
  // A state dir that cannot hold the file: continuity is a courtesy, never a failure.
  const blocked = path.join(temp("cont-blocked-"), "file");
  fs.writeFileSync(blocked, "not a directory");
  const nowhere = new ContinuityStore(blocked, workspace);
  const stderr = process.stderr.write;
  let said = 0;
  process.stderr.write = ((text: string | Uint8Array) => {
    if (String(text).includes("could not keep the Codex session")) said += 1;
    return true;
  }) as typeof process.stderr.write;
  try {
    assert.equal(nowhere.write({ current: null, resetAt: null }), false);
    assert.equal(nowhere.write({ current: null, resetAt: null }), false);
  } finally {
    process.stderr.write = stderr;
  }
  assert.equal(said, 1, "said once");
  assert.deepEqual(nowhere.read().file, null);
});

test("locks: one owner per session; a dead or unreadable owner's lock is taken over; release removes only ours", () => {
  const dir = temp("cont-locks-");
  const locks = new SessionLocks(dir);
  assert.deepEqual(locks.acquire("s1"), { held: true });
  const [file] = fs.readdirSync(dir);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, file!), "utf8")).pid, process.pid);
  // Another live process holds s2 (our parent stands in for it).
  const other = new SessionLocks(dir);
  other.acquire("s2");
  const lockOf = (id: string) => fs.readdirSync(dir).map((name) => path.join(dir, name)).find((p) => JSON.parse(fs.readFileSync(p, "utf8")).sessionId === id)!;
  fs.writeFileSync(lockOf("s2"), JSON.stringify({ pid: process.ppid, sessionId: "s2" }));
  assert.deepEqual(new SessionLocks(dir).acquire("s2"), { held: false, ownerPid: process.ppid });
  // Its owner died: stale, taken over.
  fs.writeFileSync(lockOf("s2"), JSON.stringify({ pid: deadPid(), sessionId: "s2" }));
  assert.deepEqual(new SessionLocks(dir).acquire("s2"), { held: true });
  // Unreadable: stale too.
  const third = lockOf("s2");
  fs.writeFileSync(third, "?");
  assert.deepEqual(new SessionLocks(dir).acquire("s2"), { held: true });
  locks.release("s1");
  assert.equal(fs.readdirSync(dir).length, 1, "s1's lock is gone, s2's stays");
});

test("the plan: continue the kept session once per start; not after reset, another agent command or another cwd", () => {
  const state = temp("cont-plan-");
  const workspace = fs.realpathSync(temp("cont-ws-"));
  let now = 1_000;
  const first = new Continuity({ stateDir: state, workspace, agentCommand: AGENT }, { now: () => now });
  assert.equal(first.plan(workspace), null, "nothing kept on a first start");
  first.opened(null, { sessionId: "a", continued: false }, workspace);
  now = 2_000;
  first.touch("a");
  first.close();

  const second = new Continuity({ stateDir: state, workspace, agentCommand: AGENT }, { now: () => now });
  assert.deepEqual(second.plan(workspace), { sessionId: "a", since: 2_000, chosen: false });
  assert.equal(second.plan(workspace), null, "asked once per start");
  second.opened({ sessionId: "a", since: 2_000, chosen: false }, { sessionId: "a", continued: true }, workspace);
  assert.match(second.takeNote() ?? "", /^Continued the conversation from 1970-01-01 00:00 UTC/);
  assert.equal(second.takeNote(), undefined, "said once");
  assert.equal(second.status("a").continuedFrom, 2_000);
  assert.equal(second.status("a").resumeCommand, "codex resume a");
  // The agent crashed and the same session was reloaded: still the conversation continued from then.
  second.opened(null, { sessionId: "a", continued: true }, workspace);
  assert.equal(second.status("a").continuedFrom, 2_000);
  second.reset("a");
  assert.equal(second.status(null).continuedFrom, null);
  second.close();

  const third = new Continuity({ stateDir: state, workspace, agentCommand: AGENT }, { now: () => now });
  assert.equal(third.plan(workspace), null, "a reset leaves nothing to continue");
  third.opened(null, { sessionId: "b", continued: false }, workspace);
  third.close();

  const otherAgent = new Continuity({ stateDir: state, workspace, agentCommand: ["other-agent"] }, { now: () => now });
  assert.equal(otherAgent.plan(workspace), null);
  assert.match(otherAgent.takeNote() ?? "", /could not be continued because it was started by another agent command/);
  otherAgent.close();

  const fallback = new Continuity({ stateDir: state, workspace, agentCommand: AGENT }, { now: () => now });
  const plan = fallback.plan(workspace)!;
  fallback.opened(plan, { sessionId: "c", continued: false, lostBecause: "the agent refused session/resume (gone)" }, workspace);
  assert.match(fallback.takeNote() ?? "", /\(b, last used .*\) could not be continued because the agent refused session\/resume \(gone\)/);
  fallback.choose("b", 3_000);
  assert.deepEqual(fallback.plan(workspace), { sessionId: "b", since: 3_000, chosen: true }, "a chosen session is continued on the next open");
  fallback.close();
});

test("/status rate limits: codex-acp's lines parsed; other lines and 'not available' ignored", () => {
  const now = new Date(2026, 11, 6, 10, 0);
  const text = [
    "**Model:** gpt-5.5",
    "**Token usage:** 1.2K total  (1.0K input + 0 cached input, 200 output)",
    "**Context window:** 1% used (1.2K used / 258K)",
    "**codex 5h limit:** 20% left (resets 14:30)  ",
    "**codex Weekly limit:** 91.5% left (resets 09:15 on 9 Dec)",
    "**Limit:** 100% left",
  ].join("  \n");
  const windows = parseRateLimits(text, now);
  assert.deepEqual(
    windows.map((w) => [w.label, w.usedPercent, w.windowMinutes, w.resets]),
    [
      ["codex 5h limit", 80, 300, "14:30"],
      ["codex Weekly limit", 8.5, 10080, "09:15 on 9 Dec"],
      ["Limit", 0, null, null],
    ],
  );
  assert.equal(windows[0]!.resetsAt, new Date(2026, 11, 6, 14, 30).getTime());
  assert.equal(windows[1]!.resetsAt, new Date(2026, 11, 9, 9, 15).getTime());
  assert.equal(parseRateLimits("**Limits:** data not available yet").length, 0);
  assert.deepEqual(["45m limit", "2h limit", "7d limit", "Weekly limit", "credits"].map(windowMinutesOf), [45, 120, 10080, 10080, null]);
});

test("usage: context left, tokens per turn summed, limits kept until new ones come; words for status and footer", () => {
  assert.deepEqual(contextUsage(25_840, 258_400), { used: 25_840, size: 258_400, leftPercent: 90 });
  assert.equal(contextUsage(1, 0), null);
  const usage = new UsageTracker();
  usage.noteContext(25_840, 258_400);
  usage.noteTurn({ input: 100, cached: 50, output: 20, reasoning: 5, total: 175 });
  usage.noteTurn({ input: 10, output: 10 });
  usage.noteRateLimits([{ label: "codex 5h limit", usedPercent: 80, windowMinutes: 300, resets: "14:30", resetsAt: 1 }], 42);
  usage.noteRateLimits([]);
  const status = usage.status();
  assert.equal(status.sessionTotalTokens, 195);
  assert.equal(status.rateLimitsAt, 42);
  assert.equal(busiestWindow(status)?.label, "codex 5h limit");
  assert.deepEqual(continuityLines({ continuedFrom: 0, note: null, earlierSessions: 2, resumeCommand: "codex resume x", stateFile: "/s.json" }, status), [
    "Conversation: continued the conversation from 1970-01-01 00:00 UTC (reset starts fresh)",
    "Earlier sessions Codex keeps for this workspace: 2",
    "Continue in Codex itself: codex resume x",
    "Kept in: /s.json",
    "Context: 10 % used (25,840 of 258,400 tokens), 90 % left",
    "Tokens this server: 195",
    "Rate limits: codex 5h limit: 80 % used, resets 14:30",
  ]);
  usage.resetContext();
  assert.equal(usage.status().context, null);
  assert.equal(tokensText({ input: 1000, cached: 800, output: 234, reasoning: 50, total: 1234 }), "1,234 tokens (1,000 in, 800 cached, 234 out, 50 reasoning)");
  assert.equal(tokensText({ total: 7 }), "7 tokens");
  assert.equal(tokensText(undefined), null);
  assert.equal(utcTime(Date.UTC(2026, 11, 6, 14, 5)), "2026-12-06 14:05 UTC");
  assert.equal(continuedFooter(continuedNote(Date.UTC(2026, 11, 6, 14, 5))), "continued from 2026-12-06 14:05 UTC");
  assert.equal(continuedFooter("The Codex agent was restarted and reloaded the previous session: context kept."), null);
  assert.equal(continuedFooter(undefined), null);
});

test("codex resume: the native codex installed with codex-acp when there is one, else `codex`", () => {
  assert.equal(codexCli(["/nowhere/codex-acp"], "linux", "x64"), "codex");
  assert.equal(codexCli([process.execPath, codexAcpCommand().at(-1)!], "win32", "x64"), "codex", "Windows: codex on PATH");
  const native = nativeCodexPath();
  if (native) assert.equal(codexCli(codexAcpCommand()), native, "next to the codex-acp the agent runs");
});
