// Codex's findings block: read first (schema-checked), cut from the answer people and models read, and hidden from
// the streamed progress; a malformed or missing block falls back to the free reader, and the result says which.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readAnswer, VisibleStream } from "../../../../server/findings";
import { splitFindingsBlock } from "../../../../server/findings/block";
import { renderFindings } from "../../../../server/findings/render";
import { FINDINGS_FENCE } from "../../../../server/protocol/findingsReport";
import { answerText } from "../../../../server/tools/results";

const F = "```";
const block = (json: string, fence = F) => `${fence}${FINDINGS_FENCE}\n${json}\n${fence}`;
const REPORT = JSON.stringify({
  findings: [
    { title: "Cache key omits the tenant", body: "Two tenants share an entry.\n\nAdd `tenantId`.", severity: "blocker", priority: 0, file: "/ws/src/cache/keys.ts", line: 14, endLine: 19 },
    { title: "Retry never ends", body: "Cap it.", severity: "major", file: "src/http/retry.ts", line: 40 },
  ],
  verdict: "open",
});
const PROSE = "Two problems.\n\n- [blocker] Cache key omits the tenant — src/cache/keys.ts:14-19\n  Two tenants share an entry.";

test("a valid block is the findings (paths made workspace-relative), and it is cut from the answer", () => {
  const read = readAnswer(`${PROSE}\n\n${block(REPORT)}\n\nVERDICT: OPEN — the cache key`, { workspace: "/ws" });
  assert.equal(read.findingsSource, "block");
  assert.equal(read.blockProblem, null);
  assert.deepEqual(read.findings, [
    { severity: "blocker", priority: 0, title: "Cache key omits the tenant", body: "Two tenants share an entry.\n\nAdd `tenantId`.", file: "src/cache/keys.ts", line: 14, endLine: 19 },
    { severity: "major", title: "Retry never ends", body: "Cap it.", file: "src/http/retry.ts", line: 40 },
  ]);
  assert.equal(read.answer, `${PROSE}\n\nVERDICT: OPEN — the cache key`);
  assert.ok(!read.answer.includes(FINDINGS_FENCE));
  assert.equal(read.verdict, "open");
  assert.equal(read.verdictText, "the cache key");
});

test("the block's verdict stands in when the VERDICT line is missing; the line wins when both are there", () => {
  assert.equal(readAnswer(`ok\n${block(REPORT)}`).verdict, "open");
  assert.equal(readAnswer(`ok\n${block(REPORT)}\nVERDICT: CONSENSUS — fine`).verdict, "consensus");
});

test("a malformed block falls back to the free reader, is still cut, and says why", () => {
  for (const [bad, why] of [
    ["{not json", /JSON did not parse/],
    [JSON.stringify({ findings: [{ title: "x", body: "", severity: "urgent", file: "a.ts", line: 1 }] }), /severity/],
    [JSON.stringify({ findings: [{ title: "x", body: "", severity: "major", file: "a.ts", line: 0 }] }), /line/],
    [JSON.stringify({ findings: [], extra: 1 }), /schema/],
  ] as const) {
    const read = readAnswer(`${PROSE}\n\n${block(bad)}`);
    assert.equal(read.findingsSource, "text", bad);
    assert.match(read.blockProblem ?? "", why, bad);
    assert.equal(read.findings.length, 1);
    assert.equal(read.findings[0]!.file, "src/cache/keys.ts");
    assert.ok(!read.answer.includes(FINDINGS_FENCE), bad);
  }
});

test("no block: the free reader ('text'), or nothing ('none'); an empty block is a valid 'no findings'", () => {
  assert.equal(readAnswer(PROSE).findingsSource, "text");
  assert.equal(readAnswer(PROSE).blockProblem, null);
  assert.equal(readAnswer("All good.\nVERDICT: CONSENSUS — ship it").findingsSource, "none");
  const empty = readAnswer(`${PROSE}\n${block('{"findings":[]}')}`);
  assert.equal(empty.findingsSource, "block");
  assert.deepEqual(empty.findings, []);
});

test("an unclosed block (a cut-off answer) is removed to the end; tildes and longer fences work; the last valid block wins", () => {
  const cut = splitFindingsBlock(`${PROSE}\n\n${F}${FINDINGS_FENCE}\n{"findings":[`);
  assert.equal(cut.answer, PROSE);
  assert.equal(cut.report, null);
  assert.match(cut.problem ?? "", /JSON did not parse|not closed/);
  assert.equal(splitFindingsBlock(`a\n${block(REPORT, "~~~~")}\nb`).report?.findings.length, 2);
  const two = splitFindingsBlock(`${block('{"findings":[]}')}\nmid\n${block(REPORT)}`);
  assert.equal(two.blocks, 2);
  assert.equal(two.report?.findings.length, 2);
  assert.equal(two.answer, "mid");
  // An ordinary code block is never taken for the report, nor touched.
  const code = `x\n${F}json\n{"findings":[]}\n${F}\n`;
  assert.equal(splitFindingsBlock(code).answer, code);
  assert.equal(splitFindingsBlock(code).blocks, 0);
});

test("the streamed progress never shows the block, whatever the chunking; the text around it still shows", () => {
  const answer = `Thinking about it.\n\n${block(REPORT)}\nVERDICT: OPEN — the cache key`;
  for (const size of [1, 2, 3, 7, 64, answer.length]) {
    const stream = new VisibleStream();
    const tails: string[] = [];
    for (let i = 0; i < answer.length; i += size) {
      stream.append(answer.slice(i, i + size));
      tails.push(stream.tail(2000));
    }
    for (const tail of tails) assert.ok(!/findings|tenant|codex-fusion/.test(tail), `chunk ${size}: ${tail}`);
    assert.equal(stream.tail(2000), "Thinking about it. VERDICT: OPEN — the cache key");
  }
  // Mid-line text shows at once.
  const live = new VisibleStream();
  live.append("The loop in ");
  assert.equal(live.tail(100), "The loop in");
});

test("Claude's text result renders block findings once, readably; a text-read answer is left as written", () => {
  const read = readAnswer(`Two problems.\n\n${block(REPORT)}\nVERDICT: OPEN — the cache key`, { workspace: "/ws" });
  const result = { answer: read.answer, verdict: read.verdict, verdictText: read.verdictText, findings: read.findings, findingsSource: read.findingsSource, stopReason: "end_turn", durationMs: 1000, sessionId: null };
  const text = answerText(result);
  assert.ok(!text.includes(FINDINGS_FENCE));
  assert.match(text, /Findings \(2\):\n- \[P0 · blocker\] Cache key omits the tenant — src\/cache\/keys\.ts:14-19\n {2}Two tenants share an entry\.\n\n {2}Add `tenantId`\.\n- \[major\] Retry never ends — src\/http\/retry\.ts:40\n {2}Cap it\./);
  assert.equal(text.split("Cache key omits the tenant").length, 2, "once");
  assert.equal(renderFindings([]), "Findings: none.");
  assert.ok(!answerText({ ...result, findingsSource: "text" }).includes("Findings ("));
  // What Claude reads back through the free reader is the same findings.
  assert.deepEqual(readAnswer(text, { workspace: "/ws" }).findings.map((f) => [f.file, f.line, f.severity]), read.findings.map((f) => [f.file, f.line, f.severity]));
});

test("the workspace's file list comes from git in the background, and a bare name in an answer resolves against it", async () => {
  const { gitRepo } = await import("../../../fixtures/git-repo");
  const { WorkspaceFiles } = await import("../../../../server/findings/workspaceFiles");
  const { parseAnswer } = await import("../../../../server/findings");
  const workspace = gitRepo();
  const files = new WorkspaceFiles(workspace);
  assert.equal(files.list, undefined);
  files.refresh();
  const listed = async (): Promise<readonly string[]> => files.list ?? (await new Promise((resolve) => setTimeout(resolve, 20)), listed());
  const list = await listed();
  assert.ok(list.includes("src/app.ts"), list.join(","));
  const read = parseAnswer("Findings:\n- `app.ts:1` — the answer is wrong.", { workspace, files: list });
  assert.deepEqual(read.findings.map((f) => [f.file, f.line]), [["src/app.ts", 1]]);
  // Outside a repository the list stays unset and the reader reads paths as written.
  const none = new WorkspaceFiles("/");
  none.refresh();
  none.close();
  assert.equal(none.list, undefined);
});

test("outside a review, a place on its own line and its text are a finding only with a level or under a findings heading", async () => {
  const { parseAnswer } = await import("../../../../server/findings");
  const map = "**src/app.ts:12**\nRegisters the routes.\n\n**src/router.ts:5**\nMaps paths to handlers.";
  assert.deepEqual(parseAnswer(map).findings, []);
  assert.equal(parseAnswer(map, { review: true }).findings.length, 2, "in a review they are findings");
  assert.equal(parseAnswer(`## Findings\n\n${map}`).findings.length, 2);
  const rated = parseAnswer("**src/app.ts:12**\n![high](https://www.gstatic.com/codereviewagent/high-priority.svg)\n\nThe routes are registered twice.").findings;
  assert.deepEqual(rated.map((f) => [f.severity, f.file, f.line, f.title]), [["major", "src/app.ts", 12, "The routes are registered twice."]]);
});

test("the structured result says where the findings came from", async () => {
  const { structured } = await import("../../../../server/tools/results");
  const base = { answer: "a", verdict: null, verdictText: null, findings: [], stopReason: "end_turn", durationMs: 1, sessionId: null };
  assert.equal(structured({ ...base, findingsSource: "block" }, {}).findingsSource, "block");
  assert.equal("findingsSource" in structured(base, {}), false);
});
