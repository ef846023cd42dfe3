import { test } from "node:test";
import assert from "node:assert/strict";
import { ProgressReporter } from "../../../server/progress";
import { tailOf } from "../../../server/agent/turn/textAccumulator";

const tail = (text: string, max = 160) => tailOf(text, max);

test("throttles to one notification per interval, keeps the newest, strictly increasing, final update", async () => {
  const sent: [number, string][] = [];
  let now = 1_000;
  const reporter = new ProgressReporter(async (p, m) => void sent.push([p, m]), 50, () => now);
  for (let i = 0; i < 20; i++) reporter.update(`step ${i}`);
  assert.deepEqual(sent, [[1, "step 0"]]);
  now = 1_050;
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(sent.at(-1), [2, "step 19"], "the newest state is sent at the end of the interval");
  now = 1_120;
  reporter.finish("done");
  reporter.update("late");
  assert.deepEqual(sent.at(-1), [3, "done"]);
  assert.equal(sent.length, 3);
});

test("never two notifications within one interval: a final update that comes too soon is left to the result", () => {
  const sent: [number, string][] = [];
  let now = 1_000;
  const reporter = new ProgressReporter(async (p, m) => void sent.push([p, m]), 250, () => now);
  reporter.update("working");
  now += 1; // the same millisecond, nearly
  reporter.finish("done");
  assert.deepEqual(sent, [[1, "working"]]);
  reporter.update("late");
  assert.equal(sent.length, 1, "nothing after finish");
  // With nothing sent before, the final update goes out at once.
  const first: string[] = [];
  const fresh = new ProgressReporter(async (_p, m) => void first.push(m), 250, () => now);
  fresh.finish("done");
  assert.deepEqual(first, ["done"]);
});

test("no sender, no work; duplicate messages are not resent", () => {
  const silent = new ProgressReporter(null);
  silent.update("x");
  silent.finish("y");
  assert.equal(silent.sent, 0);
  const sent: string[] = [];
  let now = 0;
  const reporter = new ProgressReporter(async (_p, m) => void sent.push(m), 10, () => now);
  reporter.update("same");
  now = 100;
  reporter.update("same");
  assert.deepEqual(sent, ["same"]);
});

test("a failing sender never throws into the caller", async () => {
  const reporter = new ProgressReporter(() => Promise.reject(new Error("client gone")), 0);
  reporter.update("x");
  reporter.finish("y");
  await new Promise((r) => setImmediate(r));
});

test("tail keeps the end on a word boundary", () => {
  assert.equal(tail("short"), "short");
  const long = "word ".repeat(100);
  const t = tail(long, 30);
  assert.ok(t.startsWith("…") && t.length <= 31);
  assert.equal(tail("a\n\nb   c"), "a b c");
});
