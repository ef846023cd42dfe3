// The role preamble and debate frame go once per session: as its system prompt when the agent takes one, else at
// the head of its first prompt; later asks (on that session, on a fork of it, or after a reload) send only their
// own part. The fake agent logs every request it receives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DEBATE_FRAME, PREAMBLE, sessionPreamble } from "../../server/prompts";
import { eventually, prompts, startServer, textOf, type LogLine } from "./harness";

const count = (hay: string, needle: string) => hay.split(needle).length - 1;
const requests = (log: LogLine[], method: string) => log.filter((line) => line.event === "request" && line.method === method);
const systemText = (line: LogLine) => ((line.params.systemPrompt?.content ?? []) as { text?: string }[]).map((b) => b.text ?? "").join("");

test("an agent with a session system prompt: the preamble goes there (new and fork), never in a prompt", async () => {
  const h = await startServer();
  try {
    for (const question of ["first", "second"]) assert.ok(!(await h.call("consult", { question })).isError);
    const slow = h.call("consult", { question: "long [[fake:slow:1500]]" });
    assert.ok(await eventually(() => prompts(h.log()).length === 3));
    assert.ok(!(await h.call("consult", { question: "in parallel" })).isError, "a forked turn");
    await slow;
    const log = h.log();
    const [created] = requests(log, "session/new");
    assert.equal(systemText(created!), sessionPreamble());
    assert.equal(created!.params.systemPrompt.mode, "append");
    const [forked] = requests(log, "session/fork");
    assert.ok(forked, "the fourth ask ran on a fork");
    assert.equal(systemText(forked!), sessionPreamble(), "a fork keeps the preamble");
    const sent = prompts(log);
    assert.equal(sent.length, 4);
    for (const text of sent) {
      assert.ok(!text.includes("<role>"), "no prompt repeats the preamble");
      assert.ok(!text.includes("<debate>"));
    }
    assert.match(sent[1]!, /<question>\nsecond\n<\/question>/);
  } finally {
    await h.close();
  }
});

test("an agent without one: the preamble heads each session's first prompt only — not the second ask, a fork or a reload", async () => {
  const h = await startServer({ FAKE_AGENT_NO_SYSTEM_PROMPT: "1" });
  try {
    assert.ok(!(await h.call("consult", { question: "first" })).isError);
    assert.ok(!(await h.call("consult", { question: "second" })).isError);
    const slow = h.call("consult", { question: "long [[fake:slow:1500]]" });
    assert.ok(await eventually(() => prompts(h.log()).length === 3));
    assert.ok(!(await h.call("consult", { question: "in parallel" })).isError);
    await slow;
    const crashed = await h.call("consult", { question: "boom [[fake:crash]]" });
    assert.equal(crashed.isError, true, textOf(crashed));
    const back = await h.call("reply", { message: "after the restart" });
    assert.ok(!back.isError, textOf(back));
    const log = h.log();
    assert.equal(requests(log, "session/new")[0]!.params.systemPrompt, undefined, "nothing sent the agent cannot take");
    const sent = prompts(log);
    assert.equal(count(sent[0]!, PREAMBLE), 1, "the session's first prompt carries the role");
    assert.equal(count(sent[0]!, DEBATE_FRAME), 1, "and the debate frame");
    for (const [i, text] of sent.entries()) if (i > 0) assert.ok(!text.includes("<role>"), `prompt ${i + 1} repeats the preamble: ${text.slice(0, 80)}`);
    assert.ok(requests(log, "session/fork").length === 1 && requests(log, "session/load").length === 1, "a fork and a reload happened");
  } finally {
    await h.close();
  }
});
