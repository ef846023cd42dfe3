// End to end: the machine-readable findings channel with the REAL codex-acp (→ codex app-server) against the scripted
// fake Responses API. The model answers review_diff with prose, the ```codex-fusion-findings block and a VERDICT
// line; the server reads the findings from the block (findingsSource "block") and no reader sees the block: not
// Claude's tool result (text or structuredContent), not its progress notifications, not the editor's turn events
// (the panel's live tail and its finished answer, the findings behind threads and Problems), not the editor's ask.
// Run: node esbuild.mjs && node --import tsx --test --test-concurrency=1 test/e2e/findings-block.test.ts
import assert from "node:assert/strict";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { eventually, startServer, textOf, type Harness } from "../integration/harness";
import { startHttp, type HttpServer } from "../integration/httpHarness";
import { codexAcpCommand, codexAgentUsable, makeCodexHome } from "../fixtures/codex-home";
import { FINDINGS_BLOCK, startFakeModel, type FakeModel } from "../fixtures/fake-model";
import { FINDINGS_FENCE } from "../../server/protocol/findingsReport";

const usable = codexAgentUsable();
let model: FakeModel | undefined;
let home: Awaited<ReturnType<typeof makeCodexHome>> | undefined;
let workspace = "";
const servers: Array<{ close(): Promise<void> }> = [];

const DIFF = "diff --git a/app.js b/app.js\n--- a/app.js\n+++ b/app.js\n@@ -1,2 +1,4 @@\n const items = [];\n-console.log(items.length);\n+const first = items[0];\n+console.log(first.name);\n+const x = 42;\n";
const ARGS = { diff: DIFF, instructions: "[[model:findings-block]]" };

/** The findings as the server hands them out: the block's, paths as given (they are workspace-relative). */
const EXPECTED = FINDINGS_BLOCK.findings.map((f) => ({ ...f }));

/** Nothing of the block: not its fence, not its JSON. */
function assertNoBlock(text: string, where: string): void {
  assert.ok(!text.includes(FINDINGS_FENCE), `${where} shows the findings block:\n${text}`);
  assert.ok(!text.includes('"findings"'), `${where} shows the block's JSON:\n${text}`);
}

before(async () => {
  if (!usable.ok) return;
  model = await startFakeModel();
  home = await makeCodexHome(model.url);
  workspace = realpathSync(mkdtempSync(path.join(tmpdir(), "fusion-findings-block-")));
  writeFileSync(path.join(workspace, "app.js"), "const items = [];\nconst first = items[0];\nconsole.log(first.name);\nconst x = 42;\n");
});

after(async () => {
  for (const server of servers) await server.close().catch(() => undefined);
  await model?.close();
  await home?.cleanup().catch(() => undefined);
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test("Claude's review_diff: findings come from the block, which is in neither the text, the structured result nor the progress", { skip: usable.ok ? false : usable.why, timeout: 180_000 }, async () => {
  const server: Harness = await startServer({ ...home!.env, CODEX_FUSION_WORKSPACE: workspace, CODEX_FUSION_ACP_COMMAND: JSON.stringify(codexAcpCommand()) });
  servers.push(server);
  const progress: string[] = [];
  const result = await server.call("review_diff", ARGS, { timeout: 120_000, onprogress: (p) => progress.push(p.message ?? "") });
  assert.ok(!result.isError, textOf(result));
  const sc = result.structuredContent as Record<string, any>;
  assert.equal(sc.findingsSource, "block");
  assert.deepEqual(sc.findings, EXPECTED);
  assert.equal(sc.verdict, "open");
  assert.equal(sc.notes, undefined, "no note about a block that could not be used");
  assertNoBlock(sc.answer, "structuredContent.answer");
  assert.match(sc.answer, /The change reads the first item/);
  assert.match(sc.answer, /VERDICT: OPEN/);
  const text = textOf(result);
  assertNoBlock(text, "the text result");
  // The findings are rendered once, readably, in the text Claude reads.
  assert.match(text, /Findings \(2\):\n- \[P1 · major\] First item read from an empty list — app\.js:2-3\n {2}`items\[0\]` is undefined/);
  // Progress is throttled, so a fast answer may show none of its text; whatever shows has no block (the streaming
  // filter itself is tested chunk by chunk in test/unit/server/findings/block.test.ts).
  assert.ok(progress.length > 0);
  for (const line of progress) assertNoBlock(line, "a progress notification");
  // The prompt asked for the block and showed Codex its JSON Schema.
  const turn = model!.requests.find((r) => r.kind === "turn" && JSON.stringify(r.body.input).includes("[[model:findings-block]]"));
  assert.ok(turn, "the review reached the model");
  const sent = JSON.stringify(turn.body);
  assert.ok(sent.includes(`Then write the ${FINDINGS_FENCE} block`), "the ask asks for the block");
  assert.ok(sent.includes("additionalProperties"), "the session frame shows the JSON Schema");
});

test("the editor's ask: its live tail, its finished turn (panel, threads, Problems) and its answer never show the block", { skip: usable.ok ? false : usable.why, timeout: 180_000 }, async () => {
  const server: HttpServer = await startHttp({ ...home!.env, CODEX_FUSION_ACP_COMMAND: JSON.stringify(codexAcpCommand()) }, { workspace });
  servers.push({ close: () => server.stop() });
  const response = await server.command("ask", { tool: "review_diff", args: ARGS });
  assert.ok(response.ok, JSON.stringify(response));
  const ask = (response as { ok: true; result: { status: string; result: Record<string, any> | null } }).result;
  assert.equal(ask.status, "finished");
  assert.equal(ask.result?.findingsSource, "block");
  assert.deepEqual(ask.result?.findings, EXPECTED);
  assertNoBlock(ask.result!.answer, "the editor's ask answer");
  // The turn's own event follows the answer (after the main session's bookkeeping).
  assert.ok(await eventually(() => server.events.some((e) => e.type === "turnFinished")), "the turn's turnFinished event arrives");
  const finished = server.events.filter((e) => e.type === "turnFinished");
  assert.equal(finished.length, 1);
  const done = finished[0] as Extract<(typeof finished)[number], { type: "turnFinished" }>;
  assertNoBlock(done.result.answer, "the panel's answer");
  assert.deepEqual(done.result.findings, EXPECTED, "threads and Problems are built from these");
  // The prompt named the person as the asker, not Claude.
  const turn = model!.requests.filter((r) => r.kind === "turn").at(-1);
  assert.match(JSON.stringify(turn?.body.input ?? []), /The developer asks from the editor: review the diff below/);
  const tails = server.events.flatMap((e) => (e.type === "turnProgress" ? [e.answerTail] : []));
  for (const tail of tails) assertNoBlock(tail, "the panel's live tail");
});
