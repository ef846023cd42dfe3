// The findings parser measured on a corpus of realistic review answers (test/fixtures/review-corpus.ts): Codex's own
// reviewer, the format we ask for, and the drift models write. Done when ≥ 95 % of the findings come back with their
// file and line, nothing spurious comes back, and Codex's native format is parsed completely.
import { test } from "node:test";
import assert from "node:assert/strict";
import { collapseRepeat, parseAnswer, type Finding } from "../../../../server/findings";
import { CORPUS, WORKSPACE, WORKSPACE_FILES, type CorpusAnswer } from "../../../fixtures/review-corpus";

const OPTIONS = { workspace: WORKSPACE, files: WORKSPACE_FILES };
/** As the server reads it: review_diff's answers as reviews (located items are findings without a level). */
const options = (c: CorpusAnswer) => ({ ...OPTIONS, review: c.ask !== "other" });

interface Score {
  expected: number;
  located: number;
  spurious: Finding[];
  wrong: string[];
}

function score(c: CorpusAnswer): Score {
  const findings = parseAnswer(c.answer, options(c)).findings;
  const used = new Set<number>();
  const wrong: string[] = [];
  let located = 0;
  for (const [severity, file, line, endLine, title] of c.findings) {
    const i = findings.findIndex((f, k) => !used.has(k) && f.file === file && f.line === line && (file !== undefined || f.title.includes(title)));
    if (i < 0) {
      wrong.push(`${c.name}: missing ${file}:${line} ${title}`);
      continue;
    }
    used.add(i);
    if (file !== undefined && line !== undefined) located += 1;
    const f = findings[i]!;
    if (f.severity !== severity) wrong.push(`${c.name}: ${file}:${line} severity ${f.severity}, expected ${severity}`);
    if (f.endLine !== endLine) wrong.push(`${c.name}: ${file}:${line} endLine ${f.endLine}, expected ${endLine}`);
    if (!f.title.includes(title)) wrong.push(`${c.name}: ${file}:${line} title "${f.title}" lacks "${title}"`);
  }
  return { expected: c.findings.filter(([, file, line]) => file !== undefined && line !== undefined).length, located, spurious: findings.filter((_, k) => !used.has(k)), wrong };
}

test("the corpus covers every shape, several answers each, at least 100 answers; every answer added after our own names its public source", () => {
  assert.ok(CORPUS.length >= 100, `${CORPUS.length} answers`);
  assert.ok(CORPUS.filter((c) => c.source).length >= 61, "answers shaped after a named public source");
  const shapes = new Map<string, number>();
  for (const c of CORPUS) shapes.set(c.shape, (shapes.get(c.shape) ?? 0) + 1);
  for (const shape of ["native", "ours", "bracket", "severity-words", "numbered-bold", "severity-headings", "table", "blocks", "emoji", "located-in-words", "absolute", "json", "prose", "codex-pr", "directive", "security", "coderabbit", "gemini", "sourcery", "codex-refs", "links", "heading-location", "agents-md", "json-other", "claude-review", "verdict", "negative", "dedupe"]) {
    assert.ok((shapes.get(shape) ?? 0) >= 2, `shape ${shape}: ${shapes.get(shape) ?? 0} answers`);
  }
});

test("findings come back with their file and line (≥ 95 %), right severity, range and title; nothing spurious", () => {
  let expected = 0;
  let located = 0;
  const spurious: string[] = [];
  const wrong: string[] = [];
  for (const c of CORPUS) {
    const s = score(c);
    expected += s.expected;
    located += s.located;
    spurious.push(...s.spurious.map((f) => `${c.name}: ${f.severity} ${f.file}:${f.line} ${f.title}`));
    wrong.push(...s.wrong);
  }
  const rate = located / expected;
  process.stderr.write(`findings corpus: ${located}/${expected} located (${(rate * 100).toFixed(1)} %), ${spurious.length} spurious, ${CORPUS.length} answers\n`);
  assert.ok(rate >= 0.95, `${located}/${expected} located:\n${wrong.join("\n")}`);
  assert.deepEqual(spurious, []);
  assert.deepEqual(wrong, []);
});

test("every verdict is read as a careful reader reads it (CONSENSUS, OPEN or none)", () => {
  const wrong = CORPUS.filter((c) => c.verdict !== undefined).flatMap((c) => {
    const got = parseAnswer(c.answer, options(c)).verdict;
    return got === c.verdict ? [] : [`${c.name}: ${got}, expected ${c.verdict}`];
  });
  assert.ok(CORPUS.filter((c) => c.verdict !== undefined).length >= 50);
  assert.deepEqual(wrong, []);
});

test("Codex's native review output is parsed completely: every priority, range and body", () => {
  for (const c of CORPUS.filter((a) => a.priorities)) {
    const findings = parseAnswer(collapseRepeat(c.answer), options(c)).findings;
    assert.deepEqual(
      findings.map((f) => f.priority),
      c.priorities,
      c.name,
    );
  }
  const first = parseAnswer(CORPUS[0]!.answer, { workspace: WORKSPACE }).findings;
  assert.deepEqual(first[0], {
    severity: "blocker",
    priority: 0,
    title: "Cache key omits the tenant id",
    body: "`cacheKey()` builds the key from the URL only. Two tenants requesting the same URL now share one entry, so tenant B can be served tenant A's private response.\n\nInclude `tenantId` in the key (it is already available on `ctx`).",
    file: "src/cache/keys.ts",
    line: 14,
    endLine: 19,
  });
  // Every native finding has a non-empty body (the indented lines under its title).
  for (const c of CORPUS.filter((a) => a.shape === "native")) {
    for (const f of parseAnswer(c.answer, { workspace: WORKSPACE }).findings) assert.notEqual(f.body, "", `${c.name}: ${f.title}`);
  }
});

test("linear on long answers: 40,000 lines of review text parse well within a generous limit", { timeout: 120_000 }, () => {
  // A parser that rescans earlier lines per line (quadratic) would need ~10⁹ line visits here and not finish in time;
  // how fast the linear one is belongs to test/bench/findings.ts.
  const one = CORPUS.map((c) => c.answer).join("\n\n");
  const copies = Math.ceil(40_000 / one.split("\n").length);
  const long = Array.from({ length: copies }, () => one).join("\n\n");
  const r = parseAnswer(long, { workspace: WORKSPACE });
  // The copies repeat the same findings, which count once.
  assert.equal(r.findings.length, parseAnswer(one, { workspace: WORKSPACE }).findings.length);
  assert.ok(long.split("\n").length >= 40_000);
  // Unterminated constructs at scale: an open fence, an endless body, a table without end, one giant line.
  for (const tail of ["```\n", "- [major] a.ts:1 — x\n", "| Severity | File |\n|---|---|\n"]) {
    assert.doesNotThrow(() => parseAnswer(tail + "  continued line\n".repeat(50_000)));
  }
  assert.doesNotThrow(() => parseAnswer(`- [major] ${"src/".repeat(100_000)}a.ts:1 — x`));
});
