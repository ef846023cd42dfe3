// Faults the server must survive: a stalled agent at any step of start-up or session set-up, an ask cancelled while
// the agent starts, a reset while anything is stuck, an ACP stream that closes under a live agent, agent lines and
// answers far over any sane size, tool inputs and MCP messages over their limits, a 50k-chunk answer, reset during a
// turn, and a crash while a permission waits. After each one the same server answers the next ask.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { eventually, isAlive, startServer, tempDir, textOf, type Harness } from "./harness";

/** A file whose presence makes the fake agent stall FAKE_AGENT_STALL's methods (deleted to let the next agent work). */
function stallSwitch(): { file: string; env: Record<string, string>; release(): void } {
  const file = path.join(tempDir("fusion-stall-"), "stall");
  fs.writeFileSync(file, "");
  return { file, env: { FAKE_AGENT_STALL_WHILE: file }, release: () => fs.rmSync(file, { force: true }) };
}

async function withServer(env: Record<string, string>, body: (h: Harness) => Promise<void>): Promise<void> {
  const h = await startServer(env);
  try {
    await body(h);
  } finally {
    await h.close();
  }
}

function structured(result: { structuredContent?: unknown }): Record<string, any> {
  return (result.structuredContent ?? {}) as Record<string, any>;
}

// ── bounded start-up and set-up ──────────────────────────────────────────────────────────────────────────

for (const method of ["initialize", "session/new", "session/set_config_option", "session/set_title"]) {
  test(`a stalled ${method} costs the ask its bound; once the agent behaves the next ask works`, async () => {
    const stall = stallSwitch();
    await withServer({ FAKE_AGENT_STALL: method, ...stall.env, CODEX_FUSION_AGENT_REQUEST_TIMEOUT_MS: "8000" }, async (h) => {
      const first = await h.call("consult", { question: "first" });
      if (method === "session/set_title") {
        // Naming the session is a courtesy: a stalled one is given up on, and the ask goes on.
        assert.ok(!first.isError, textOf(first));
      } else {
        assert.equal(first.isError, true, textOf(first));
        assert.match(textOf(first), new RegExp(`did not answer ${method.replace("/", "\\/")} within 8 s`));
      }
      stall.release();
      const next = await h.call("consult", { question: "after the stall" });
      assert.ok(!next.isError, textOf(next));
      const status = structured(await h.call("status"));
      assert.equal(status.startup, null, "no start-up left in progress");
    });
  });
}

test("a stalled session/load after a crash costs its bound; the next ask opens a fresh session", async () => {
  const stall = stallSwitch();
  stall.release(); // the first agent must work
  await withServer({ FAKE_AGENT_STALL: "session/load", ...stall.env, FAKE_AGENT_STATE_DIR: tempDir("fusion-state-"), CODEX_FUSION_AGENT_REQUEST_TIMEOUT_MS: "8000" }, async (h) => {
    assert.ok(!(await h.call("consult", { question: "one" })).isError);
    assert.equal((await h.call("consult", { question: "crash [[fake:crash]]" })).isError, true);
    fs.writeFileSync(stall.file, "");
    const stalled = await h.call("consult", { question: "two" });
    assert.equal(stalled.isError, true, textOf(stalled));
    assert.match(textOf(stalled), /did not answer session\/load within 8 s/);
    stall.release();
    const next = await h.call("consult", { question: "three" });
    assert.ok(!next.isError, textOf(next));
  });
});

test("an ask cancelled while the agent starts frees the queue: the next ask does not wait for the stuck start-up", async () => {
  const stall = stallSwitch();
  // The stall's own bound is far longer than the second call may wait: only freeing the queue can pass this test.
  await withServer({ FAKE_AGENT_STALL: "initialize", ...stall.env, CODEX_FUSION_AGENT_REQUEST_TIMEOUT_MS: "600000" }, async (h) => {
    const controller = new AbortController();
    const first = h.call("consult", { question: "first" }, { signal: controller.signal }).catch((error: Error) => error);
    assert.ok(await eventually(() => h.log().some((line) => line.method === "initialize")), "the agent got initialize (and stalls on it)");
    const status = structured(await h.call("status"));
    assert.equal(status.startup?.phase, "starting_agent", JSON.stringify(status.startup));
    const second = h.call("consult", { question: "second" }, { timeout: 60_000 });
    stall.release(); // the stuck agent stays stuck; a new one would work
    controller.abort();
    assert.ok((await first) instanceof Error, "the first call was cancelled");
    const answered = await second;
    assert.ok(!answered.isError, textOf(answered));
  });
});

test("reset recovers from a stuck start-up: the waiting ask is told, status tells the truth, the next ask works", async () => {
  const stall = stallSwitch();
  await withServer({ FAKE_AGENT_STALL: "session/new", ...stall.env, CODEX_FUSION_AGENT_REQUEST_TIMEOUT_MS: "600000" }, async (h) => {
    const waiting = h.call("consult", { question: "first" });
    assert.ok(await eventually(() => h.log().some((line) => line.method === "session/new")), "session/new was sent");
    const status = structured(await h.call("status"));
    assert.equal(status.startup?.phase, "opening_session", JSON.stringify(status.startup));
    stall.release(); // the stuck agent stays stuck; a new one would work
    const reset = await h.call("reset");
    assert.ok(!reset.isError, textOf(reset));
    const told = await waiting;
    assert.equal(told.isError, true, textOf(told));
    assert.match(textOf(told), /reset/i);
    const next = await h.call("consult", { question: "after the reset" });
    assert.ok(!next.isError, textOf(next));
  });
});

// ── the ACP stream ───────────────────────────────────────────────────────────────────────────────────────

test("an ACP stream that closes under a live agent is a dead agent: killed, and the next ask respawns", async () => {
  await withServer({}, async (h) => {
    const broken = await h.call("consult", { question: "break [[fake:close-stdout]]" }, { timeout: 90_000 });
    assert.equal(broken.isError, true, textOf(broken));
    assert.match(textOf(broken), /stream|closed|exited/i);
    const [firstAgent] = h.agentPids();
    assert.ok(firstAgent);
    assert.ok(await eventually(() => !isAlive(firstAgent)), "the agent whose stream closed was killed");
    const next = await h.call("consult", { question: "again" });
    assert.ok(!next.isError, textOf(next));
    assert.equal(h.agentPids().length, 2, "a fresh agent answered");
  });
});

test("an agent line over the ACP limit ends that agent, not the server", async () => {
  // The agent outlives its broken stream (as codex-acp does while it runs): only our watch on the stream ends it.
  await withServer({ FAKE_AGENT_IGNORE_STDIN_CLOSE: "1" }, async (h) => {
    const huge = await h.call("consult", { question: "flood [[fake:huge-line:34000000]]" }, { timeout: 90_000 });
    assert.equal(huge.isError, true, textOf(huge).slice(0, 300));
    const [firstAgent] = h.agentPids();
    assert.ok(firstAgent && (await eventually(() => !isAlive(firstAgent))), "the agent behind the broken stream was ended");
    const next = await h.call("consult", { question: "still there?" });
    assert.ok(!next.isError, textOf(next));
  });
});

// ── sizes ────────────────────────────────────────────────────────────────────────────────────────────────

test("a 20 MB answer: the result is capped, the full answer is kept in a file, the server keeps answering", async () => {
  await withServer({}, async (h) => {
    const result = await h.call("consult", { question: "big [[fake:huge-line:20000000]]" });
    assert.ok(!result.isError, textOf(result).slice(0, 300));
    const s = structured(result);
    assert.ok(s.answer.length < 1_000_000, `answer of ${s.answer.length} characters in the result`);
    const kept = s.fullAnswer as { path: string; chars: number } | undefined;
    assert.ok(kept, "the result says where the full answer is");
    assert.ok(kept.chars > 20_000_000);
    assert.equal(fs.statSync(kept.path).size >= 20_000_000, true);
    assert.ok(textOf(result).length < 2_000_000, "the text form is capped too");
    assert.ok(!(await h.call("consult", { question: "next" })).isError);
  });
});

test("a 10 MiB diff is refused with the limit and what to do instead; the server stays up", async () => {
  await withServer({}, async (h) => {
    const diff = `--- a/x\n+++ b/x\n@@\n${"+line of a very large diff\n".repeat(420_000)}`;
    assert.ok(diff.length > 10 * 1024 * 1024);
    const result = await h.call("review_diff", { diff });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /diff/);
    assert.match(textOf(result), /paths|base/);
    assert.ok(!(await h.call("consult", { question: "next" })).isError, "the server still answers");
  });
});

test("an MCP message over the transport's limit gets a JSON-RPC error; the server stays up", async () => {
  await withServer({ CODEX_FUSION_MAX_MESSAGE_BYTES: String(2 * 1024 * 1024) }, async (h) => {
    const refused = await h.call("consult", { question: "x".repeat(3 * 1024 * 1024) }).then(
      (result) => ({ ok: true as const, result }),
      (error: Error) => ({ ok: false as const, error }),
    );
    assert.equal(refused.ok, false, "the oversized request was answered with an error");
    if (!refused.ok) assert.match(refused.error.message, /over .*limit|too large/i);
    assert.ok(!(await h.call("consult", { question: "next" })).isError, "the server still answers");
  });
});

test("a 50k-chunk answer arrives whole and the server stays responsive", async (t) => {
  await withServer({}, async (h) => {
    const result = await h.call("consult", { question: "many [[fake:chunks:50000]]" });
    assert.ok(!result.isError, textOf(result).slice(0, 300));
    // 100 kB of answer is just over what a result carries whole: the whole text is then in the kept file.
    const kept = structured(result).fullAnswer as { path: string } | undefined;
    const answer = kept ? fs.readFileSync(kept.path, "utf8") : String(structured(result).answer);
    assert.equal((answer.match(/x /g) ?? []).length, 50_000);
    assert.equal(structured(result).verdict, "consensus");
    t.diagnostic(`answer of ${answer.length} characters`);
  });
});

// ── turns ────────────────────────────────────────────────────────────────────────────────────────────────

test("reset during a turn: the ask fails (isError, cancelled) and says the session was reset", async () => {
  await withServer({}, async (h) => {
    const running = h.call("consult", { question: "long [[fake:slow:20000]]" });
    assert.ok(await eventually(() => h.log().some((line) => line.method === "session/prompt")));
    await h.call("reset");
    const result = await running;
    assert.equal(result.isError, true, textOf(result));
    assert.match(textOf(result), /reset/i);
    assert.equal(structured(result).stopReason, "cancelled");
  });
});

test("a crash while a permission waits: the request is withdrawn because the agent stopped, not 'cancelled'", async () => {
  await withServer({}, async (h) => {
    const asked = await h.call("consult", { question: "run [[fake:permission]]" });
    assert.equal(structured(asked).stopReason, "permission_required");
    const pid = structured(await h.call("status")).agentPid as number;
    process.kill(-pid, "SIGKILL");
    assert.ok(await eventually(() => !isAlive(pid)));
    const late = await h.call("permit", { decision: "allow" });
    assert.equal(late.isError, true);
    assert.match(textOf(late), /agent/i);
    assert.doesNotMatch(textOf(late), /turn was cancelled/);
  });
});
