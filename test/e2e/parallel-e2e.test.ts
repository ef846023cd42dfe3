// End to end with the REAL codex-acp against the fake model: two overlapping asks both answer (the second on a
// session forked from the first's), the fork sees the earlier conversation, and the role preamble appears once per
// session (the session's system prompt → Codex's developer instructions), never in the asks' own text.
// Run: node esbuild.mjs && node --import tsx --test test/e2e/parallel-e2e.test.ts
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { isAlive, startServer, textOf, type Harness } from "../integration/harness";
import { codexAcpCommand, codexAgentUsable, makeCodexHome } from "../fixtures/codex-home";
import { startFakeModel, VERDICT_CONSENSUS, type FakeModel, type RecordedRequest } from "../fixtures/fake-model";

const usable = codexAgentUsable();
const ROLE = "You are Codex, an independent peer reviewer";
const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

function sc(result: CallToolResult): Record<string, any> {
  assert.ok(!result.isError, textOf(result));
  return result.structuredContent as Record<string, any>;
}

function userMessages(request: RecordedRequest): string[] {
  return (request.body?.input ?? [])
    .filter((item: any) => item?.type === "message" && item?.role === "user")
    .map((item: any) => (Array.isArray(item.content) ? item.content.map((c: any) => c?.text ?? "").join("") : String(item.content ?? "")));
}

/** The model turns whose last user message carries `marker`. */
function turnsFor(model: FakeModel, marker: string): RecordedRequest[] {
  return model.requests.filter((r) => r.kind === "turn" && (userMessages(r).at(-1) ?? "").includes(marker));
}

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

async function start(model: FakeModel): Promise<Harness> {
  const home = await makeCodexHome(model.url);
  const workspace = realpathSync(mkdtempSync(path.join(tmpdir(), "fusion-e2e-par-")));
  spawnSync("git", ["init", "-q"], { cwd: workspace });
  writeFileSync(path.join(workspace, "README.md"), "hello readme\n");
  const h = await startServer({ ...home.env, CODEX_FUSION_WORKSPACE: workspace, CODEX_FUSION_ACP_COMMAND: JSON.stringify(codexAcpCommand()) });
  cleanups.push(async () => {
    await h.close();
    await until(() => h.serverPid() === null || !isAlive(h.serverPid()!), 30_000);
    await home.cleanup();
    rmSync(workspace, { recursive: true, force: true });
  });
  return h;
}

test("real codex-acp: two overlapping asks both answer; the fork sees the earlier conversation; the preamble once per session", { timeout: 240_000 }, async (t) => {
  if (!usable.ok) return t.skip(usable.why);
  const model = await startFakeModel();
  cleanups.push(() => model.close());
  const h = await start(model);

  const first = sc(await h.call("consult", { question: "E2E-FIRST: is the README fine? [[model:text]]" }));
  assert.ok(String(first.answer).includes(VERDICT_CONSENSUS), first.answer);
  const mainId = first.sessionId;

  const slow = h.call("consult", { question: "E2E-SLOW: take a while. [[model:slow:3000]]" });
  assert.ok(await until(() => turnsFor(model, "E2E-SLOW").length > 0, 60_000), "the slow ask reached the model");
  const quick = sc(await h.call("consult", { question: "E2E-QUICK: and this one? [[model:text]]" }));
  const during = (await h.call("status")).structuredContent as Record<string, any>;
  const slowDone = sc(await slow);
  t.diagnostic(`quick answered while ${during.turns.length} turn(s) still ran; slow took ${slowDone.durationMs} ms, quick ${quick.durationMs} ms`);

  assert.ok(String(quick.answer).includes(VERDICT_CONSENSUS), quick.answer);
  assert.ok(String(slowDone.answer).includes(VERDICT_CONSENSUS), slowDone.answer);
  assert.equal(during.turns.length, 1, `the slow turn was still running when the quick answer came: ${JSON.stringify(during.turns)}`);
  assert.equal(slowDone.sessionId, mainId, "the slow ask ran on the main session");
  assert.notEqual(quick.sessionId, mainId, "the quick ask ran on a fork");

  // The fork's request to the model carries the earlier conversation of the main session.
  const [quickRequest] = turnsFor(model, "E2E-QUICK");
  assert.ok(quickRequest, "the quick ask reached the model");
  assert.ok(userMessages(quickRequest).some((m) => m.includes("E2E-FIRST")), "the forked session sees the earlier question");

  // The preamble: in the session's instructions once per request, in no ask's own text.
  for (const marker of ["E2E-FIRST", "E2E-SLOW", "E2E-QUICK"]) {
    for (const request of turnsFor(model, marker)) {
      const occurrences = JSON.stringify(request.body).split(ROLE).length - 1;
      assert.equal(occurrences, 1, `${marker}: the role preamble appears ${occurrences} times in the request`);
      assert.ok(!userMessages(request).some((m) => m.includes(ROLE)), `${marker}: no user message carries the preamble`);
    }
  }
});
