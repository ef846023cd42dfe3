// Session continuity and usage over the built server against the fake ACP agent: a restarted server continues the
// workspace's Codex session (session/resume), reset starts fresh, a broken state file or a session another live
// server drives falls back to a new session with a note, and context, tokens and rate limits reach results and status.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { eventually, startServer, tempDir, textOf, type Harness } from "./harness";
import { promptsBySession, startHttp, startShared } from "./httpHarness";

interface Shared {
  workspace: string;
  stateDir: string;
  agentState: string;
}

function shared(): Shared {
  return { workspace: tempDir("fusion-cont-ws-"), stateDir: tempDir("fusion-cont-state-"), agentState: tempDir("fusion-cont-agent-") };
}

function start(where: Shared, env: Record<string, string> = {}): Promise<Harness> {
  return startServer({ CODEX_FUSION_WORKSPACE: where.workspace, CODEX_FUSION_STATE_DIR: where.stateDir, FAKE_AGENT_STATE_DIR: where.agentState, ...env });
}

const sc = (result: { structuredContent?: unknown }) => result.structuredContent as Record<string, any>;

function stateFiles(where: Shared): string[] {
  const dir = path.join(where.stateDir, "sessions");
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith(".json")).map((name) => path.join(dir, name)) : [];
}

test("a restarted server continues the conversation (session/resume); status says so; after reset it starts fresh", async () => {
  const where = shared();
  const first = await start(where);
  let sessionId: string;
  try {
    const answer = await first.call("consult", { question: "Remember the number 42." });
    assert.ok(!answer.isError, textOf(answer));
    sessionId = sc(answer).sessionId;
    assert.equal(sc(answer).contextNote, undefined, "a first start has nothing to continue");
  } finally {
    await first.close();
  }
  const files = stateFiles(where);
  assert.equal(files.length, 1, "one state file for the workspace");
  assert.equal(fs.statSync(files[0]!).mode & 0o777, 0o600, "private to the user");
  const kept = JSON.parse(fs.readFileSync(files[0]!, "utf8"));
  assert.equal(kept.current.sessionId, sessionId);
  assert.equal(kept.workspace, fs.realpathSync(where.workspace));

  // This agent forgets the mode on resume (as codex-acp does): read-only must be set again and checked.
  const second = await start(where, { FAKE_AGENT_IGNORE_INITIAL_MODE: "1" });
  try {
    const again = await second.call("reply", { message: "What was the number?" });
    assert.ok(!again.isError, textOf(again));
    assert.equal(sc(again).sessionId, sessionId, "the same Codex session");
    assert.match(sc(again).answer, new RegExp(`turn 2 of session ${sessionId}`), "Codex has the earlier turn");
    assert.match(sc(again).contextNote, /^Continued the conversation from \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.match(textOf(again), /Note: Continued the conversation from/);
    assert.match(textOf(again), / · continued from \d{4}-\d\d-\d\d \d\d:\d\d UTC · verdict: CONSENSUS$/, "the footer says so too");
    assert.ok(second.log().some((line) => line.method === "session/resume" && line.params.sessionId === sessionId), "resumed, not loaded");
    const status = sc(await second.call("status"));
    assert.equal(status.mode, "read-only", "read-only again after the resume");
    const methods = second.log().filter((line) => line.event === "request").map((line) => line.method);
    assert.ok(methods.indexOf("session/set_config_option") > methods.indexOf("session/resume"), "the mode was set after the resume");
    assert.match(sc(again).answer, /\(mode read-only\)/, "the continued turn ran read-only");
    assert.equal(typeof status.continuity.continuedFrom, "number");
    assert.equal(status.continuity.resumeCommand, `codex resume ${sessionId}`);
    assert.match(textOf(await second.call("status")), /Continued the conversation from|continued/i);

    await second.call("reset");
    const fresh = await second.call("consult", { question: "A new topic." });
    assert.notEqual(sc(fresh).sessionId, sessionId, "reset starts a fresh session");
    assert.equal(sc(fresh).contextNote, undefined);
    assert.ok(await waitFor(async () => sc(await second.call("status")).continuity.earlierSessions === 1), "status counts the earlier session Codex keeps");
    sessionId = sc(fresh).sessionId;
  } finally {
    await second.close();
  }
  // The fresh session is the one kept now.
  const third = await start(where);
  try {
    const next = await third.call("reply", { message: "and now?" });
    assert.equal(sc(next).sessionId, sessionId);
    assert.match(sc(next).contextNote, /^Continued the conversation/);
  } finally {
    await third.close();
  }
});

test("after reset and a restart, nothing is continued", async () => {
  const where = shared();
  const first = await start(where);
  let old: string;
  try {
    old = sc(await first.call("consult", { question: "one" })).sessionId;
    await first.call("reset");
  } finally {
    await first.close();
  }
  const kept = JSON.parse(fs.readFileSync(stateFiles(where)[0]!, "utf8"));
  assert.equal(kept.current, null);
  assert.equal(typeof kept.resetAt, "number", "the reset is recorded");
  const second = await start(where);
  try {
    const answer = await second.call("consult", { question: "two" });
    assert.ok(!answer.isError);
    assert.notEqual(sc(answer).sessionId, old);
    assert.equal(sc(answer).contextNote, undefined);
    assert.ok(!second.log().some((line) => line.method === "session/resume" || line.method === "session/load"));
  } finally {
    await second.close();
  }
});

test("a corrupt or missing state file: a new session with a note, never an error", async () => {
  const where = shared();
  const first = await start(where);
  try {
    await first.call("consult", { question: "one" });
  } finally {
    await first.close();
  }
  const [file] = stateFiles(where);
  fs.writeFileSync(file!, "{ not json");
  const second = await start(where);
  try {
    const answer = await second.call("consult", { question: "two" });
    assert.ok(!answer.isError, textOf(answer));
    assert.match(sc(answer).contextNote, /A new Codex session was started: the state file .* is not valid JSON/);
    assert.match(sc(await second.call("status")).continuity.note, /not valid JSON/);
  } finally {
    await second.close();
  }
  // Rewritten by the second start: valid again, with the new session.
  assert.equal(JSON.parse(fs.readFileSync(file!, "utf8")).version, 1);
  fs.rmSync(file!);
  const third = await start(where);
  try {
    const answer = await third.call("consult", { question: "three" });
    assert.ok(!answer.isError);
    assert.equal(sc(answer).contextNote, undefined, "a missing file is a first start");
  } finally {
    await third.close();
  }
});

test("the kept session was lost by the agent: a new session says the context is lost and why", async () => {
  const where = shared();
  const first = await start(where);
  try {
    await first.call("consult", { question: "one" });
  } finally {
    await first.close();
  }
  for (const name of fs.readdirSync(where.agentState)) fs.rmSync(path.join(where.agentState, name)); // Codex forgot it
  const second = await start(where);
  try {
    const answer = await second.call("consult", { question: "two" });
    assert.ok(!answer.isError, textOf(answer));
    assert.match(sc(answer).contextNote, /could not be continued because the agent refused session\/resume .*context from it is lost/);
  } finally {
    await second.close();
  }
});

test("two live servers never drive one session: the second starts its own and says why", async () => {
  const where = shared();
  const first = await start(where);
  try {
    const mine = sc(await first.call("consult", { question: "one" })).sessionId;
    const restarted = await start(where);
    try {
      // The first server still lives and holds its session; a second server for the workspace must not take it.
      const answer = await restarted.call("consult", { question: "two" });
      assert.ok(!answer.isError, textOf(answer));
      assert.notEqual(sc(answer).sessionId, mine);
      assert.match(sc(answer).contextNote, new RegExp(`Another Codex Fusion server \\(pid \\d+\\) is driving this workspace's Codex session ${mine}`));
    } finally {
      await restarted.close();
    }
    const kept = JSON.parse(fs.readFileSync(stateFiles(where)[0]!, "utf8"));
    assert.equal(kept.current.sessionId, mine, "the second server leaves the workspace's record alone");
  } finally {
    await first.close();
  }
});

test("usage: context and tokens in every result; rate limits from the agent's /status reach status", async () => {
  const where = shared();
  const limits = [
    { label: "codex 5h limit", left: 20, resets: "23:59" },
    { label: "codex Weekly limit", left: 91 },
  ];
  const h = await start(where, { FAKE_AGENT_RATE_LIMITS: JSON.stringify(limits) });
  try {
    const answer = await h.call("consult", { question: "How big is the context?" });
    const result = sc(answer);
    assert.ok(result.tokens.input > 0 && result.tokens.output > 0 && result.tokens.total > 0);
    assert.equal(result.context.size, 258_400);
    assert.ok(result.context.used > 0 && result.context.leftPercent < 100);
    assert.match(textOf(answer), /— Codex · [\d.]+ s · [\d,]+ tokens \([\d,]+ in, [\d,]+ out\) · context [\d.]+ % left · verdict: CONSENSUS$/);
    // The rate limits are read once the turn has ended (its caller is not kept waiting for them).
    assert.ok(await waitFor(async () => sc(await h.call("status")).usage.rateLimits.length > 0), "rate limits arrive");
    const status = sc(await h.call("status"));
    assert.deepEqual(
      status.usage.rateLimits.map((w: any) => [w.label, w.usedPercent, w.windowMinutes, w.resets]),
      [
        ["codex 5h limit", 80, 300, "23:59"],
        ["codex Weekly limit", 9, 10080, null],
      ],
    );
    assert.equal(typeof status.usage.rateLimits[0].resetsAt, "number");
    assert.equal(status.usage.context.size, 258_400);
    assert.equal(status.usage.lastTurnTokens.total, result.tokens.total);
    assert.match(textOf(await h.call("status")), /codex 5h limit: 80 % used/);
    // /status is the adapter's own command: not a model turn, not part of the conversation.
    const next = sc(await h.call("reply", { message: "go on" }));
    assert.match(next.answer, /turn 2 of session/);
    // The 5-hour window is 80 % used (CODEX_FUSION_QUOTA_WARNING_PERCENT's default): the next result says so, once.
    assert.deepEqual(next.notes, ["80 % of Codex's codex 5h limit is used (resets 23:59): keep asks and reviews small until then."]);
    assert.equal(sc(await h.call("reply", { message: "and again" })).notes, undefined, "said once per window and reset");
  } finally {
    await h.close();
  }
});

test("the editor's control channel: list the workspace's sessions and continue an earlier one", async () => {
  const server = await startHttp({ FAKE_AGENT_STATE_DIR: tempDir("fusion-cont-agent-") });
  const ask = async (question: string) => {
    const response = await server.command("ask", { tool: "consult", args: { question } });
    assert.ok(response.ok, JSON.stringify(response));
    return (response.result as any).result as Record<string, any>;
  };
  try {
    const first = (await ask("the first conversation")).sessionId;
    await server.command("resetSession", {});
    const second = (await ask("the second conversation")).sessionId;
    const listed = await server.command("listSessions", {});
    assert.ok(listed.ok);
    const sessions = (listed.result as any).sessions as Array<{ sessionId: string; current: boolean; title: string | null; updatedAt: string | null }>;
    assert.deepEqual(new Set(sessions.map((session) => session.sessionId)), new Set([first, second]));
    assert.equal(sessions.find((session) => session.current)?.sessionId, second);
    assert.ok(sessions.every((session) => typeof session.updatedAt === "string"));
    // A new session is named after its first ask (the picker's titles), without a model call.
    assert.equal(sessions.find((session) => session.sessionId === first)?.title, "Codex Fusion: the first conversation");

    const unknown = await server.command("continueSession", { sessionId: "no-such-session" });
    assert.ok(!unknown.ok && unknown.error.code === "not_found", JSON.stringify(unknown));
    const picked = await server.command("continueSession", { sessionId: first });
    assert.ok(picked.ok);
    assert.match((picked.result as any).message, new RegExp(`The next ask continues Codex session .*last active`));
    const back = await ask("back to the first");
    assert.equal(back.sessionId, first);
    assert.match(back.answer, new RegExp(`turn 2 of session ${first}`));
    assert.match(back.contextNote, /^Continued the conversation from/);
  } finally {
    await server.stop();
  }
});

test("forks are never continued: after a restart the main session is, not the parallel one", async () => {
  const where = shared();
  const env = { CODEX_FUSION_WORKSPACE: where.workspace, CODEX_FUSION_STATE_DIR: where.stateDir, FAKE_AGENT_STATE_DIR: where.agentState };
  const first = await startShared(env);
  let mainId: string;
  let forkId: string;
  try {
    const slowClient = await first.connect("slow-client");
    const quickClient = await first.connect("quick-client");
    const slow = slowClient.call("consult", { question: "take your time [[fake:slow:3000]]" });
    assert.ok(await eventually(() => promptsBySession(first.log()).length === 1), "the slow turn started");
    forkId = sc(await quickClient.call("consult", { question: "quick one on a fork" })).sessionId;
    mainId = sc(await slow).sessionId;
    assert.notEqual(forkId, mainId, "the quick ask ran on a fork");
  } finally {
    await first.stop();
  }
  const second = await start(where);
  try {
    const next = sc(await second.call("reply", { message: "where were we?" }));
    assert.equal(next.sessionId, mainId);
    assert.match(next.contextNote, /^Continued the conversation/);
  } finally {
    await second.close();
  }
});

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
