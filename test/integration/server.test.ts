// The built server over MCP stdio against the fake ACP agent: tools, streaming, queueing, failures, cleanup.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { FAKE_AGENT, SERVER, eventually, grandchildPids, isAlive, prompts, startServer, tempDir, textOf } from "./harness";

const ASK_TOOLS = ["consult", "review_plan", "review_diff", "brainstorm", "explore", "reply"];

test("tools/list: the ten tools with schemas, annotations and short descriptions", async () => {
  const h = await startServer();
  try {
    const { tools } = await h.client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), [...ASK_TOOLS, "delegate", "permit", "reset", "status"].sort());
    const byName = new Map(tools.map((t) => [t.name, t]));
    const required = (name: string) => byName.get(name)?.inputSchema.required ?? [];
    assert.deepEqual(required("consult"), ["question"]);
    assert.deepEqual(required("review_plan"), ["plan"]);
    assert.deepEqual(required("review_diff"), []);
    assert.deepEqual(required("brainstorm"), ["problem"]);
    assert.deepEqual(required("reply"), ["message"]);
    assert.deepEqual(required("permit"), ["decision"]);
    assert.deepEqual(required("delegate"), ["task"]);
    assert.ok(byName.get("delegate")?.outputSchema, "delegate declares an outputSchema");
    for (const name of ASK_TOOLS) {
      const props = Object.keys(byName.get(name)?.inputSchema.properties ?? {});
      for (const common of ["model", "effort", "timeoutSec"]) assert.ok(props.includes(common), `${name} takes ${common}`);
      assert.ok(byName.get(name)?.outputSchema, `${name} declares an outputSchema`);
    }
    assert.equal(byName.get("status")?.annotations?.readOnlyHint, true);
    for (const tool of tools) {
      assert.notEqual(tool.annotations?.destructiveHint, true, `${tool.name} is not destructive`);
      assert.ok(Buffer.byteLength(tool.description ?? "") < 2048, `${tool.name} description under 2 KB`);
    }
    const instructions = h.client.getInstructions() ?? "";
    assert.ok(instructions.includes("permit") && Buffer.byteLength(instructions) < 2048);
    // Nothing was spawned just to list tools.
    assert.equal(h.log().length, 0);
  } finally {
    await h.close();
  }
});

test("every tool once: asks answer with text, footer and structured verdict; permit/status/reset behave", async () => {
  const h = await startServer();
  try {
    const calls: [string, Record<string, unknown>][] = [
      ["consult", { question: "Is the cache safe?", context: "see src/cache.ts" }],
      ["review_plan", { plan: "1. add a lock\n2. test it" }],
      ["review_diff", { diff: "--- a/x\n+++ b/x\n@@\n+y\n", instructions: "focus on races" }],
      ["review_diff", { base: "main", paths: ["src"] }],
      ["brainstorm", { problem: "slow start-up", constraints: "no new deps" }],
      ["explore", { focus: "the session engine" }],
      ["reply", { message: "I disagree: the lock is held." }],
    ];
    for (const [name, args] of calls) {
      const result = await h.call(name, args);
      assert.ok(!result.isError, `${name}: ${textOf(result)}`);
      const structured = result.structuredContent as Record<string, any>;
      assert.equal(structured.verdict, "consensus");
      assert.equal(structured.verdictText, "looks good");
      assert.equal(structured.stopReason, "end_turn");
      assert.deepEqual(structured.findings, [{ severity: "major", file: "src/app.ts", line: 12, title: "example finding", body: "" }]);
      assert.match(textOf(result), /VERDICT: CONSENSUS — looks good\n\n— Codex · [\d.]+ s · \d[\d,]* tokens \([\d,]+ in, [\d,]+ out\) · context [\d.]+ % left · verdict: CONSENSUS$/);
    }
    const sent = prompts(h.log());
    assert.equal(sent.length, calls.length);
    assert.match(sent[0], /Is the cache safe\?/);
    assert.match(sent[3], /git diff 'main'|git diff main/);
    assert.match(sent[5], /session engine/);
    assert.doesNotMatch(sent[5], /VERDICT: CONSENSUS — <conclusion>/, "explore has no debate frame");
    // One agent, one session, reused by every ask.
    const news = h.log().filter((l) => l.method === "session/new");
    assert.equal(news.length, 1);
    assert.equal(h.agentPids().length, 1);

    const permit = await h.call("permit", { decision: "allow" });
    assert.equal(permit.isError, true);
    assert.match(textOf(permit), /Nothing to permit: Codex is not waiting on any permission/);

    const status = await h.call("status");
    assert.ok(!status.isError);
    assert.match(textOf(status), /Session: fake-\d+-1 · mode read-only/);
    assert.match(textOf(status), /Queued asks: 0/);

    const reset = await h.call("reset");
    assert.match(textOf(reset), /dropped; the next ask starts a fresh session/);
    const after = await h.call("consult", { question: "again" });
    assert.match((after.structuredContent as any).answer, /turn 1 of session fake-\d+-2/);
  } finally {
    await h.close();
  }
});

test("progress: streamed tail, throttled to ~4 a second, strictly increasing, with a final update", async () => {
  const h = await startServer();
  try {
    const seen: { progress: number; message?: string; at: number }[] = [];
    const started = Date.now();
    const result = await h.call("consult", { question: "stream please [[fake:stream:25]]" }, { onprogress: (p) => seen.push({ ...p, at: Date.now() }) });
    const elapsed = Date.now() - started;
    assert.ok(!result.isError, textOf(result));
    assert.ok(seen.length >= 3, `got ${seen.length} progress notifications`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].progress > seen[i - 1].progress, "strictly increasing");
    // 25 chunks over ~1 s would be ~50 updates unthrottled; at most one per 250 ms plus start and final.
    assert.ok(seen.length <= Math.ceil(elapsed / 250) + 3, `${seen.length} notifications in ${elapsed} ms`);
    assert.ok(seen.some((p) => /chunk \d+/.test(p.message ?? "")), "answer tail is streamed");
    // The final "Codex finished." goes out only when it would not follow another notification within the interval.
    assert.match(seen.at(-1)?.message ?? "", /Codex finished\.|chunk \d+|VERDICT/);
  } finally {
    await h.close();
  }
});

test("no progress token, no progress notifications", async () => {
  const h = await startServer();
  try {
    let count = 0;
    h.client.fallbackNotificationHandler = async (n) => {
      if (n.method === "notifications/progress") count += 1;
    };
    const result = await h.client.callTool({ name: "consult", arguments: { question: "quiet [[fake:stream:5]]" } });
    assert.ok(!result.isError);
    assert.equal(count, 0);
  } finally {
    await h.close();
  }
});

test("CODEX_FUSION_MAX_PARALLEL_TURNS=1: two concurrent asks are serialised; the second hears its queue position", async () => {
  const h = await startServer({ CODEX_FUSION_MAX_PARALLEL_TURNS: "1" });
  try {
    const secondProgress: string[] = [];
    const first = h.call("consult", { question: "first [[fake:slow:600]]" });
    await eventually(() => prompts(h.log()).length === 1);
    const second = h.call("consult", { question: "second" }, { onprogress: (p) => secondProgress.push(p.message ?? "") });
    const [a, b] = await Promise.all([first, second]);
    assert.ok(!a.isError && !b.isError);
    const log = h.log();
    const promptTimes = log.filter((l) => l.method === "session/prompt").map((l) => l.t);
    const firstStop = log.find((l) => l.event === "stop")!.t;
    assert.equal(promptTimes.length, 2);
    assert.ok(promptTimes[1] >= firstStop, "the second prompt was sent only after the first turn ended");
    assert.ok(secondProgress.some((m) => /Queued behind 1 other ask/.test(m)), secondProgress.join(" | "));
    assert.match((b.structuredContent as any).answer, /turn 2 of session/);
  } finally {
    await h.close();
  }
});

test("an agent crash mid-turn: clear error with its stderr, then a respawn that reloads the session", async () => {
  const h = await startServer();
  try {
    await h.call("consult", { question: "warm up" });
    const crashed = await h.call("consult", { question: "boom [[fake:crash]]" });
    assert.equal(crashed.isError, true);
    assert.match(textOf(crashed), /The Codex agent exited \(code 3\): .*simulated crash.* — the next call starts it again and reloads the session/);
    const next = await h.call("consult", { question: "are you back?" });
    assert.ok(!next.isError, textOf(next));
    const structured = next.structuredContent as any;
    assert.match(structured.contextNote, /reloaded the previous session: context kept/);
    assert.match(structured.answer, /turn 3 of session fake-\d+-1/, "the reloaded session remembers both earlier turns");
    assert.equal(h.agentPids().length, 2);
    assert.ok(h.log().some((l) => l.method === "session/load"));
  } finally {
    await h.close();
  }
});

test("an agent that cannot reload sessions: respawn says context was lost", async () => {
  const h = await startServer({ FAKE_AGENT_NO_LOAD: "1" });
  try {
    await h.call("consult", { question: "warm up" });
    await h.call("consult", { question: "bye [[fake:exit-after]]" });
    await eventually(() => h.log().some((l) => l.event === "exit"));
    // Wait until the server has noticed the exit, as a caller would see in status.
    for (let i = 0; i < 50 && !/not running/.test(textOf(await h.call("status"))); i++) await new Promise((r) => setTimeout(r, 20));
    const next = await h.call("consult", { question: "hello again" });
    assert.ok(!next.isError, textOf(next));
    assert.match((next.structuredContent as any).contextNote, /cannot reload sessions: context lost/);
    assert.match(textOf(next), /^Note: The Codex agent was restarted/);
  } finally {
    await h.close();
  }
});

test("error paths: each is isError with one line saying what to do, and the server keeps serving", async (t) => {
  await t.test("agent command not found", async () => {
    const h = await startServer({ CODEX_FUSION_ACP_COMMAND: "definitely-not-a-codex-agent --flag" });
    try {
      const result = await h.call("consult", { question: "hi" });
      assert.equal(result.isError, true);
      assert.match(textOf(result), /^Error agent_missing: Codex agent command not found: `definitely-not-a-codex-agent` — install it with `npm install -g @agentclientprotocol\/codex-acp`/);
      const status = await h.call("status");
      assert.match(textOf(status), /Last error: Codex agent command not found/);
    } finally {
      await h.close();
    }
  });
  await t.test("authentication required", async () => {
    const h = await startServer({ FAKE_AGENT_REQUIRE_AUTH: "1" });
    try {
      const result = await h.call("consult", { question: "hi" });
      assert.equal(result.isError, true);
      assert.match(textOf(result), /not signed in — run `codex login`.*OPENAI_API_KEY/);
    } finally {
      await h.close();
    }
  });
  await t.test("invalid arguments name the field", async () => {
    const h = await startServer();
    try {
      const missing = await h.call("consult", {});
      assert.equal(missing.isError, true);
      assert.match(textOf(missing), /question/);
      const badEffort = await h.call("consult", { question: "x", effort: "maximum" });
      assert.equal(badEffort.isError, true);
      assert.match(textOf(badEffort), /effort/);
      const badDecision = await h.call("permit", { decision: "sure" });
      assert.equal(badDecision.isError, true);
      assert.match(textOf(badDecision), /decision/);
      const ok = await h.call("consult", { question: "still alive?" });
      assert.ok(!ok.isError);
    } finally {
      await h.close();
    }
  });
  await t.test("unknown model lists the valid ones; model and effort go through config options", async () => {
    const h = await startServer();
    try {
      const bad = await h.call("consult", { question: "x", model: "gpt-0" });
      assert.equal(bad.isError, true);
      assert.match(textOf(bad), /Unknown model "gpt-0" — valid values: gpt-5\.5, gpt-5\.5-mini/);
      const good = await h.call("consult", { question: "x", model: "gpt-5.5-mini", effort: "high" });
      assert.ok(!good.isError, textOf(good));
      const sets = h.log().filter((l) => l.method === "session/set_config_option").map((l) => `${l.params.configId}=${l.params.value}`);
      assert.ok(sets.includes("model=gpt-5.5-mini") && sets.includes("reasoning_effort=high"), sets.join(","));
      // The next ask without options goes back to the session's defaults.
      await h.call("consult", { question: "defaults again" });
      const later = h.log().filter((l) => l.method === "session/set_config_option").map((l) => `${l.params.configId}=${l.params.value}`);
      assert.ok(later.length > sets.length, "defaults restored");
    } finally {
      await h.close();
    }
  });
  await t.test("an agent without model options refuses model with a clear error", async () => {
    const h = await startServer({ FAKE_AGENT_NO_CONFIG: "1" });
    try {
      const bad = await h.call("consult", { question: "x", model: "gpt-5.5" });
      assert.equal(bad.isError, true);
      assert.match(textOf(bad), /does not offer a model setting/);
    } finally {
      await h.close();
    }
  });
  await t.test("model/API failure reported as a system error", async () => {
    const h = await startServer();
    try {
      const result = await h.call("consult", { question: "x [[fake:system-error]]" });
      assert.equal(result.isError, true);
      assert.match(textOf(result), /^Error model_error: Codex reported a model\/API error: .*stream disconnected before completion/);
      const next = await h.call("consult", { question: "fine now" });
      assert.ok(!next.isError);
    } finally {
      await h.close();
    }
  });
  await t.test("idle timeout cancels a silent agent within the bound", async () => {
    const h = await startServer();
    try {
      const started = Date.now();
      const result = await h.call("consult", { question: "x [[fake:silent]]", timeoutSec: 1 });
      const took = Date.now() - started;
      assert.equal(result.isError, true);
      assert.match(textOf(result), /Codex sent nothing for too long.*timeoutSec/);
      // Never before its bound (how soon after it is the benchmark's business, not a loaded machine's).
      assert.ok(took >= 1000, `took ${took} ms`);
      assert.ok(h.log().some((l) => l.method === "session/cancel"));
      const next = await h.call("consult", { question: "after the timeout" });
      assert.ok(!next.isError, "the session survives a cooperative timeout");
      assert.equal(h.agentPids().length, 1);
    } finally {
      await h.close();
    }
  });
  await t.test("invalid configuration fails at start-up naming the variable", () => {
    for (const [name, value, pattern] of [
      ["CODEX_FUSION_TURN_TIMEOUT_MS", "soon", /CODEX_FUSION_TURN_TIMEOUT_MS: expected a whole number/],
      ["CODEX_FUSION_ALLOW_WRITES", "maybe", /CODEX_FUSION_ALLOW_WRITES: expected 1\/true/],
      ["CODEX_FUSION_ACP_COMMAND", "[1,2]", /CODEX_FUSION_ACP_COMMAND: a JSON value must be a non-empty array/],
      ["CODEX_FUSION_WORKSPACE", "/no/such/dir", /CODEX_FUSION_WORKSPACE: workspace \/no\/such\/dir is not a directory/],
    ] as const) {
      const run = spawnSync(process.execPath, [SERVER], { env: { PATH: process.env.PATH, [name]: value }, input: "", encoding: "utf8", timeout: 10_000 });
      assert.equal(run.status, 2, `${name} exits 2`);
      assert.match(run.stderr, pattern);
      assert.equal(run.stdout, "", "stdout carries protocol only");
    }
  });
});

test("CODEX_FUSION_LOG gets one JSON line per turn", async () => {
  const dir = tempDir("fusion-log-");
  const file = path.join(dir, "turns.jsonl");
  const h = await startServer({ CODEX_FUSION_LOG: file });
  try {
    await h.call("consult", { question: "log me [[fake:stream:3]]" });
    await eventually(() => fs.existsSync(file) && fs.readFileSync(file, "utf8").endsWith("\n"));
    const lines = fs.readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 1);
    assert.equal(lines[0].tool, "consult");
    assert.equal(lines[0].stopReason, "end_turn");
    assert.equal(lines[0].verdict, "consensus");
    assert.ok(lines[0].activity.includes("Read src/app.ts"));
    assert.match(lines[0].answer, /chunk 3/);
  } finally {
    await h.close();
  }
});

test("no orphans: closing stdin ends the agent and its children", async () => {
  const h = await startServer({ CODEX_FUSION_CANCEL_GRACE_MS: "200" });
  const pending = h.call("consult", { question: "spawn [[fake:grandchild]]" }).catch(() => undefined);
  assert.ok(await eventually(() => grandchildPids(h.log()).length === 1));
  const pids = [...h.agentPids(), ...grandchildPids(h.log())];
  assert.ok(pids.every(isAlive));
  await h.close();
  await pending;
  assert.ok(await eventually(() => pids.every((pid) => !isAlive(pid)), 5000), `still alive: ${pids.filter(isAlive)}`);
});

test("no orphans: SIGTERM to the server ends an agent that ignores stdin close", async () => {
  const h = await startServer({ FAKE_AGENT_IGNORE_STDIN_CLOSE: "1" });
  void h.call("consult", { question: "spawn [[fake:grandchild]]" }).catch(() => undefined);
  assert.ok(await eventually(() => grandchildPids(h.log()).length === 1));
  const pids = [...h.agentPids(), ...grandchildPids(h.log())];
  process.kill(h.serverPid()!, "SIGTERM");
  assert.ok(await eventually(() => pids.every((pid) => !isAlive(pid)), 5000), `still alive: ${pids.filter(isAlive)}`);
  await h.close();
});

test("the fake agent fixture is built", () => {
  assert.ok(fs.existsSync(FAKE_AGENT), "run npm run build first");
});
