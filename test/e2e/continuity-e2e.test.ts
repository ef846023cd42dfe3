// End to end: session continuity and usage with the REAL codex-acp (→ codex app-server) against the scripted fake
// Responses API, its own CODEX_HOME. A server asks, stops; a new server on the same workspace continues Codex's
// conversation (the model's next request carries the earlier exchange); after reset it does not; a corrupt state
// file falls back to a new session with a note. Context (usage_update), tokens and Codex's rate-limit windows (from
// the model service's x-codex-* headers, read through codex-acp's /status without a model call) reach the result
// and status.
// Run: node esbuild.mjs && node --import tsx --test test/e2e/continuity-e2e.test.ts
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { isAlive, startServer, textOf, type Harness } from "../integration/harness";
import { codexAcpCommand, codexAgentUsable, makeCodexHome } from "../fixtures/codex-home";
import { startFakeModel, type FakeModel } from "../fixtures/fake-model";

const usable = codexAgentUsable();
const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const sc = (result: CallToolResult) => {
  assert.ok(!result.isError, textOf(result));
  return result.structuredContent as Record<string, any>;
};

async function until(check: () => boolean | Promise<boolean>, ms = 60_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

/** The user messages of the model's main-turn requests made from index `from` on. */
function userTexts(model: FakeModel, from: number): string[] {
  return model.requests
    .slice(from)
    .filter((request) => request.kind === "turn")
    .flatMap((request) => (request.body?.input ?? []).filter((item: any) => item?.type === "message" && item?.role === "user"))
    .map((item: any) => (Array.isArray(item.content) ? item.content.map((c: any) => c?.text ?? "").join("") : String(item.content ?? "")));
}

test("the real codex-acp: a restarted server continues Codex's conversation; reset and a corrupt state file start fresh; usage and rate limits reach results and status", { timeout: 300_000 }, async (t) => {
  if (!usable.ok) return t.skip(usable.why);
  const model = await startFakeModel();
  cleanups.push(() => model.close());
  const home = await makeCodexHome(model.url);
  cleanups.push(() => home.cleanup());
  const workspace = realpathSync(mkdtempSync(path.join(tmpdir(), "fusion-cont-e2e-ws-")));
  const stateDir = mkdtempSync(path.join(tmpdir(), "fusion-cont-e2e-state-"));
  cleanups.push(() => rmSync(workspace, { recursive: true, force: true }), () => rmSync(stateDir, { recursive: true, force: true }));
  const env = { ...home.env, CODEX_FUSION_WORKSPACE: workspace, CODEX_FUSION_STATE_DIR: stateDir, CODEX_FUSION_ACP_COMMAND: JSON.stringify(codexAcpCommand()) };

  /** Runs `fn` on a server of its own, then stops it and waits until its agent is gone (Codex has saved the session). */
  const withServer = async <T>(fn: (h: Harness) => Promise<T>): Promise<T> => {
    const h = await startServer(env);
    try {
      return await fn(h);
    } finally {
      const pid = h.serverPid();
      await h.close();
      assert.ok(await until(() => pid === null || !isAlive(pid)), "the server exited");
    }
  };

  // 1. A first conversation, with usage and rate limits.
  const first = await withServer(async (h) => {
    const answer = sc(await h.call("consult", { question: "Remember the code word PELICAN-7 for later." }));
    assert.equal(answer.contextNote, undefined);
    assert.ok(answer.tokens.total > 0 && answer.tokens.input > 0 && answer.tokens.output > 0, JSON.stringify(answer.tokens));
    assert.ok(answer.context && answer.context.size > 0 && answer.context.used > 0, `context: ${JSON.stringify(answer.context)}`);
    assert.ok(await until(async () => sc(await h.call("status")).usage.rateLimits.length >= 2), "rate limits reach status");
    const status = sc(await h.call("status"));
    const byMinutes = new Map(status.usage.rateLimits.map((w: any) => [w.windowMinutes, w]));
    // codex-acp's /status shows whole percents left, and reset times to the minute.
    const five = byMinutes.get(300) as any;
    const weekly = byMinutes.get(10080) as any;
    assert.ok(five && Math.abs(five.usedPercent - 12.5) <= 1, JSON.stringify(status.usage.rateLimits));
    assert.ok(weekly && Math.abs(weekly.usedPercent - 3) <= 1);
    assert.ok(Math.abs(five.resetsAt - model.rateLimits!.primary.resetAt * 1000) <= 60_000, "the 5-hour window's reset time");
    assert.ok(Math.abs(weekly.resetsAt - model.rateLimits!.secondary.resetAt * 1000) <= 60_000, "the weekly window's reset time");
    assert.equal(status.usage.context.size, answer.context.size);
    // The native codex installed with codex-acp (it need not be on PATH) resumes the same session.
    assert.match(status.continuity.resumeCommand, new RegExp(`(^codex|/codex) resume ${answer.sessionId}$`));
    assert.match(textOf(await h.call("status")), /Rate limits: .*5h limit: 1[23] % used, resets/);
    return answer.sessionId as string;
  });

  // 2. A new server on the same workspace continues it: the model sees the earlier exchange.
  const before = model.requests.length;
  await withServer(async (h) => {
    const again = sc(await h.call("reply", { message: "Which code word did I give you?" }));
    assert.equal(again.sessionId, first);
    assert.match(again.contextNote, /^Continued the conversation from \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    const seen = userTexts(model, before);
    assert.ok(seen.some((text) => text.includes("PELICAN-7")), "the model's request carries the earlier conversation");
    assert.ok(seen.some((text) => text.includes("Which code word")));
    const status = sc(await h.call("status"));
    assert.equal(status.continuity.continuedFrom !== null, true);
    assert.equal(status.mode, "read-only", "read-only is set again after session/resume (codex-acp does not keep modes)");

    // 3. reset: the next ask starts fresh, without the earlier conversation.
    await h.call("reset");
    const mark = model.requests.length;
    const fresh = sc(await h.call("consult", { question: "A new topic entirely." }));
    assert.notEqual(fresh.sessionId, first);
    assert.equal(fresh.contextNote, undefined);
    assert.ok(!userTexts(model, mark).some((text) => text.includes("PELICAN-7")), "a fresh session has no earlier conversation");
    // Codex still keeps the first conversation: status counts it (session/list for this workspace).
    assert.ok(await until(async () => (sc(await h.call("status")).continuity.earlierSessions ?? 0) >= 1), "status counts the earlier session");
  });

  // 4. A corrupt state file: a new session with a note, never an error.
  const [file] = readdirSync(path.join(stateDir, "sessions")).filter((name) => name.endsWith(".json"));
  writeFileSync(path.join(stateDir, "sessions", file!), "{ broken");
  await withServer(async (h) => {
    const mark = model.requests.length;
    const answer = sc(await h.call("consult", { question: "Anything remembered?" }));
    assert.match(answer.contextNote, /A new Codex session was started: the state file .* is not valid JSON/);
    assert.ok(!userTexts(model, mark).some((text) => text.includes("PELICAN-7")));
  });
  assert.equal(JSON.parse(readFileSync(path.join(stateDir, "sessions", file!), "utf8")).version, 1, "the file is whole again");
});
