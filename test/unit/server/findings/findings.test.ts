// The verdict line and the findings parser, shape by shape (the measured corpus is in findings-corpus.test.ts).
import { test } from "node:test";
import assert from "node:assert/strict";
import { collapseRepeat, parseAnswer, type Finding } from "../../../../server/findings";
import { findLocation, leadingLocation, trailingLocation, workspacePath } from "../../../../server/findings/location";
import { readTag } from "../../../../server/findings/tags";
import { splitTitle } from "../../../../server/findings/text";

/** [severity, file, line, title] of each finding. */
const brief = (findings: Finding[]) => findings.map((f) => [f.severity, f.file, f.line, f.title]);

const REVIEW_ANSWER = `I read the diff against \`main\` and the surrounding code in \`server/agent\`.

## Findings

- [blocker] server/agent/session.ts:88 — \`cancel()\` resolves before the child exits, so a second \`prompt()\` can race the old process. Await the \`exit\` event first.
- [major] server/agent/session.ts:131 — the stderr buffer grows without bound on chatty agents; cap it (64 KiB is plenty).
- [minor] server/tools/ask.ts:17 — \`timeoutMs\` is parsed but never passed through.

The retry logic itself looks right to me:

\`\`\`ts
for (let i = 0; i < 3; i++) {
  // VERDICT: OPEN — this is code, not the answer
}
\`\`\`

Overall the structure is fine once the race is fixed.

VERDICT: OPEN — cancel() must await process exit before the session is reused
`;

test("parses a realistic review answer: verdict and exact findings", () => {
  const r = parseAnswer(REVIEW_ANSWER);
  assert.equal(r.verdict, "open");
  assert.equal(r.verdictText, "cancel() must await process exit before the session is reused");
  assert.equal(r.findings.length, 3);
  assert.deepEqual(r.findings[0], {
    severity: "blocker",
    file: "server/agent/session.ts",
    line: 88,
    title: "`cancel()` resolves before the child exits, so a second `prompt()` can race the old process.",
    body: "Await the `exit` event first.",
  });
  assert.deepEqual(
    r.findings.map((f) => [f.severity, f.file, f.line]),
    [
      ["blocker", "server/agent/session.ts", 88],
      ["major", "server/agent/session.ts", 131],
      ["minor", "server/tools/ask.ts", 17],
    ],
  );
});

test("verdict: plain consensus with em dash", () => {
  const r = parseAnswer("Looks good.\n\nVERDICT: CONSENSUS — ship it");
  assert.equal(r.verdict, "consensus");
  assert.equal(r.verdictText, "ship it");
});

test("verdict: en dash, hyphen, double hyphen and colon separators", () => {
  for (const sep of ["–", "-", "--", ":"]) {
    const r = parseAnswer(`Some text.\nVERDICT: OPEN ${sep} the migration order`);
    assert.equal(r.verdict, "open", sep);
    assert.equal(r.verdictText, "the migration order", sep);
  }
});

test("verdict: bold around the keyword part", () => {
  const r = parseAnswer("**VERDICT: CONSENSUS** — keep the queue, drop the lock");
  assert.equal(r.verdict, "consensus");
  assert.equal(r.verdictText, "keep the queue, drop the lock");
});

test("verdict: bold label only, hyphen separator", () => {
  const r = parseAnswer("**VERDICT:** OPEN - y");
  assert.equal(r.verdict, "open");
  assert.equal(r.verdictText, "y");
});

test("verdict: whole line wrapped in italics or backticks", () => {
  assert.deepEqual(
    [parseAnswer("*VERDICT: CONSENSUS — fine as is*").verdictText, parseAnswer("`VERDICT: OPEN — naming`").verdictText],
    ["fine as is", "naming"],
  );
});

test("verdict: blockquote, list marker and heading prefixes", () => {
  assert.equal(parseAnswer("> VERDICT: CONSENSUS — agreed").verdict, "consensus");
  assert.equal(parseAnswer("- VERDICT: OPEN — tests").verdict, "open");
  assert.equal(parseAnswer("1. **Verdict:** open — tests").verdict, "open");
  assert.equal(parseAnswer("### VERDICT: CONSENSUS — ok").verdictText, "ok");
});

test("verdict: keywords are case-insensitive and trailing whitespace is ignored", () => {
  const r = parseAnswer("Verdict: Consensus — use the existing helper   \t\n\n");
  assert.equal(r.verdict, "consensus");
  assert.equal(r.verdictText, "use the existing helper");
});

test("verdict: emphasis inside the conclusion is stripped, snake_case kept", () => {
  const r = parseAnswer("VERDICT: CONSENSUS — rename **`max_retries`** and _then_ merge");
  assert.equal(r.verdictText, "rename max_retries and then merge");
});

test("verdict: keyword with nothing after it gives null text", () => {
  const r = parseAnswer("All good.\n\n**VERDICT: CONSENSUS**");
  assert.equal(r.verdict, "consensus");
  assert.equal(r.verdictText, null);
});

test("verdict: the last verdict line wins", () => {
  const answer = [
    "Initially I thought:",
    "VERDICT: OPEN — the cache key",
    "",
    "But after reading src/cache.ts:40 the key includes the tenant, so:",
    "",
    "VERDICT: CONSENSUS — the cache key is fine",
  ].join("\n");
  const r = parseAnswer(answer);
  assert.equal(r.verdict, "consensus");
  assert.equal(r.verdictText, "the cache key is fine");
});

test("verdict: lines inside fenced code blocks (``` and ~~~) do not count", () => {
  const answer = [
    "The prompt asks for this format:",
    "```",
    "VERDICT: CONSENSUS — example",
    "```",
    "~~~~text",
    "VERDICT: OPEN — also example",
    "~~~~",
    "I have not reached a conclusion yet.",
  ].join("\n");
  const r = parseAnswer(answer);
  assert.equal(r.verdict, null);
  assert.equal(r.verdictText, null);
});

test("verdict: a verdict after a closed fence counts, one inside a later unclosed fence does not", () => {
  const r = parseAnswer("```ts\nx()\n```\nVERDICT: OPEN — first\n```\nVERDICT: CONSENSUS — inside\n");
  assert.equal(r.verdict, "open");
  assert.equal(r.verdictText, "first");
});

test("verdict: absent, or only mentioned mid-sentence", () => {
  for (const a of ["", "No verdict here.", "I will give my VERDICT: CONSENSUS — later, not now", "VERDICTS are hard", "VERDICT: OPENING move"]) {
    const r = parseAnswer(a);
    assert.equal(r.verdict, null, a);
    assert.equal(r.verdictText, null, a);
  }
});

test("verdict: CRLF line endings", () => {
  const r = parseAnswer("Fine.\r\n\r\nVERDICT: CONSENSUS — merge\r\n");
  assert.equal(r.verdictText, "merge");
});

test("findings: bold bracket tag with path:line: separator", () => {
  const r = parseAnswer("* **[BLOCKER]** src/a.ts:12: token is logged in plain text");
  assert.deepEqual(r.findings, [{ severity: "blocker", file: "src/a.ts", line: 12, title: "token is logged in plain text", body: "" }]);
});

test("findings: numbered item without a file", () => {
  const r = parseAnswer("1. [minor] text without file\n2. [major] README.md — install step is wrong");
  assert.deepEqual(brief(r.findings), [
    ["minor", undefined, undefined, "text without file"],
    ["major", "README.md", undefined, "install step is wrong"],
  ]);
});

test("findings: bold severity word with backticked location", () => {
  const r = parseAnswer("- **Major**: `src/x.py:40` - the loop swallows `KeyError`");
  assert.deepEqual(brief(r.findings), [["major", "src/x.py", 40, "the loop swallows `KeyError`"]]);
});

test("findings: '(line N)' form, path:line:col and path:line-range", () => {
  const r = parseAnswer(
    ["- [minor] src/a.ts (line 7) — unused import", "- [major] lib/b.rs:33:9 — unchecked unwrap", "- [minor] c/d.go:10-14 — dead branch"].join("\n"),
  );
  assert.deepEqual(
    r.findings.map((f) => [f.file, f.line, f.endLine, f.title]),
    [
      ["src/a.ts", 7, undefined, "unused import"],
      ["lib/b.rs", 33, undefined, "unchecked unwrap"],
      ["c/d.go", 10, 14, "dead branch"],
    ],
  );
});

test("findings: markdown link location and GitHub #L anchors", () => {
  const r = parseAnswer("- [major] [src/api.ts:21](src/api.ts#L21) — missing await\n- [minor] src/ui.tsx#L5 — stale comment");
  assert.deepEqual(
    r.findings.map((f) => [f.file, f.line, f.title]),
    [
      ["src/api.ts", 21, "missing await"],
      ["src/ui.tsx", 5, "stale comment"],
    ],
  );
});

test("findings: severity synonyms (critical, high, medium, low, nit)", () => {
  const r = parseAnswer(
    ["- [critical] a/x.ts:1 — a", "- [HIGH] a/x.ts:2 — b", "- [medium] a/x.ts:3 — c", "- (low) a/x.ts:4 — d", "- Nit: rename `tmp`"].join("\n"),
  );
  assert.deepEqual(
    r.findings.map((f) => f.severity),
    ["blocker", "major", "minor", "minor", "minor"],
  );
  assert.equal(r.findings[4]!.title, "rename `tmp`");
});

test("findings: location first, tag second", () => {
  const r = parseAnswer("- `src/q.ts:9` [major] — retries forever");
  assert.deepEqual(brief(r.findings), [["major", "src/q.ts", 9, "retries forever"]]);
});

test("findings: location mentioned mid-sentence is still extracted", () => {
  const r = parseAnswer("- [major] The handler in src/routes/user.ts:52 swallows the error.");
  assert.deepEqual(brief(r.findings), [["major", "src/routes/user.ts", 52, "The handler in src/routes/user.ts:52 swallows the error."]]);
});

const SECTIONED_ANSWER = `Thanks — I went through the plan and the code it touches.

### Blockers
These need fixing before anything else:
- \`server/guardian/policy.ts:44\` — \`allow\` is checked before \`deny\`, so a deny rule can never win.
  The test at test/unit/server/guardian/policy.test.ts:10 only covers allow rules.
- The same ordering bug exists in the CLI path; I could not find a test for it.

### Major issues
1. server/transports/stdio.ts:70 - no backpressure handling on \`write()\`.
   - Fix: wait for \`drain\` when \`write()\` returns false.

**Minor / nits**
- Typo in the log message at server/log.ts:3.
- [major] server/log.ts:9 — explicit tags win over the section.

### What I agree with
- Splitting the guardian from the transport.
- Keeping prompts pure.

VERDICT: OPEN — the deny-before-allow ordering in policy.ts
`;

test("findings: items under severity headings take the heading's severity", () => {
  const r = parseAnswer(SECTIONED_ANSWER);
  const brief = r.findings.map((f) => [f.severity, f.file, f.line]);
  assert.deepEqual(brief, [
    ["blocker", "server/guardian/policy.ts", 44],
    ["blocker", undefined, undefined],
    ["major", "server/transports/stdio.ts", 70],
    ["minor", "server/log.ts", 3],
    ["major", "server/log.ts", 9],
  ]);
  assert.equal(r.verdict, "open");
});

test("findings: continuation lines and nested details become the finding's body", () => {
  const r = parseAnswer(SECTIONED_ANSWER);
  assert.equal(r.findings[0]!.title, "`allow` is checked before `deny`, so a deny rule can never win.");
  assert.equal(r.findings[0]!.body, "The test at test/unit/server/guardian/policy.test.ts:10 only covers allow rules.");
  assert.equal(r.findings[2]!.title, "no backpressure handling on `write()`.");
  assert.equal(r.findings[2]!.body, "Fix: wait for `drain` when `write()` returns false.");
});

test("findings: bullets under non-severity headings or in plain prose are ignored", () => {
  const r = parseAnswer(SECTIONED_ANSWER);
  assert.ok(!r.findings.some((f: Finding) => /Splitting|Keeping prompts/.test(f.title)));
  const prose = parseAnswer("Here is my take:\n\n- Use a queue.\n- Keep the API.\n\n## Low-level design\n- Store offsets in a map.");
  assert.deepEqual(prose.findings, []);
});

test("findings: placeholder items like 'None.' under a severity heading are skipped", () => {
  const r = parseAnswer("### Blockers\n- None.\n\n### Major\n- No issues found\n\n### Minor\n- [minor] a/b.ts:1 — real one");
  assert.deepEqual(brief(r.findings), [["minor", "a/b.ts", 1, "real one"]]);
});

test("findings: a prose paragraph after a section's list ends that section", () => {
  const r = parseAnswer("### Minor\n- a/b.ts:2 — small thing\n\nOverall I like it. Open questions:\n\n- Should we cache?");
  assert.deepEqual(
    r.findings.map((f) => f.title),
    ["small thing"],
  );
});

test("findings: heading counts like 'High severity (2)' and emoji headings", () => {
  const r = parseAnswer("## 🔴 High severity (2)\n- x/y.ts:1 — one\n- x/y.ts:2 — two\n## 🟢 Nits\n- x/y.ts:3 — three");
  assert.deepEqual(
    r.findings.map((f) => [f.severity, f.line]),
    [
      ["major", 1],
      ["major", 2],
      ["minor", 3],
    ],
  );
});

test("findings: markdown table rows with a severity column", () => {
  const r = parseAnswer(
    ["| # | Severity | Location | Issue |", "|---|:--:|---|---|", "| 1 | **major** | `src/t.ts:5` | unbounded retry |", "| 2 | minor | docs | wording |"].join("\n"),
  );
  assert.deepEqual(brief(r.findings), [
    ["major", "src/t.ts", 5, "unbounded retry"],
    ["minor", undefined, undefined, "wording"],
  ]);
});

test("findings: tagged lines inside code fences are ignored", () => {
  const r = parseAnswer("Expected format:\n```\n- [major] path/to/file.ts:LINE — text\n```\n- [minor] real/file.ts:2 — real");
  assert.deepEqual(
    r.findings.map((f) => f.file),
    ["real/file.ts"],
  );
});

test("findings: paragraph-style bracket tags without a list marker", () => {
  const r = parseAnswer("[major] src/z.ts:4 — leaks the handle\n\n**[minor]** src/z.ts:9 — comment is stale");
  assert.deepEqual(
    r.findings.map((f) => [f.severity, f.line]),
    [
      ["major", 4],
      ["minor", 9],
    ],
  );
});

test("findings: prose words that resemble severities or paths are not findings", () => {
  const r = parseAnswer(
    ["- High-level: the plan is fine.", "- Low risk overall.", "- Critical path is the parser.", "- e.g. use the existing helper"].join("\n"),
  );
  assert.deepEqual(r.findings, []);
  // Object-prototype names must not be mistaken for severity words.
  const proto = parseAnswer("## Constructor\n- a/b.ts:1 — x\n\n| toString | a/b.ts:2 | y |\n\n__proto__:\n- a/b.ts:3 — z");
  assert.deepEqual(proto.findings, []);
});

test("findings: capped at 100", () => {
  const many = Array.from({ length: 250 }, (_, i) => `- [minor] src/f${i}.ts:${i + 1} — issue ${i}`).join("\n");
  const r = parseAnswer(`${many}\n\nVERDICT: OPEN — too many issues`);
  assert.equal(r.findings.length, 100);
  assert.equal(r.findings[99]!.file, "src/f99.ts");
  assert.equal(r.verdict, "open", "verdict after the cap is still read");
});

test("never throws on odd input, and finishes on pathological lines", { timeout: 60_000 }, () => {
  for (const bad of [undefined, null, 42, {}, "\u0000\u0000", "```", "- [", "|||", "#"]) {
    assert.doesNotThrow(() => parseAnswer(bad as unknown as string));
  }
  // A quadratic parser would not finish this within the test's limit; how fast a linear one is belongs to the benchmark.
  assert.doesNotThrow(() => parseAnswer(`- [major] ${"a.".repeat(50_000)}:1 ${"/x".repeat(50_000)}\n${"*".repeat(100_000)}`));
});

// ── the finding format we ask for, Codex's own review format, and the pieces ────────────────────────────────────

test("our format: title first, location last, body indented below (blank lines inside kept)", () => {
  const r = parseAnswer("- [major] Unbounded retry — src/net/retry.ts:40-52\n  It loops forever on 503.\n  \n  Cap the attempts.\n- [minor] Typo — README.md:3\n\nVERDICT: OPEN — cap it");
  assert.deepEqual(r.findings, [
    { severity: "major", title: "Unbounded retry", body: "It loops forever on 503.\n\nCap the attempts.", file: "src/net/retry.ts", line: 40, endLine: 52 },
    { severity: "minor", title: "Typo", body: "", file: "README.md", line: 3 },
  ]);
  assert.equal(r.verdict, "open");
});

test("Codex's review format: priorities P0–P3, absolute paths made workspace-relative, x-y ranges with x = y", () => {
  const answer = [
    "The patch breaks empty lists.",
    "",
    "Full review comments:",
    "",
    "- [P0] Data loss on save — /ws/src/store.ts:10-12",
    "  Overwrites the file before the backup is written.",
    "",
    "- [P1] Guard the empty list — /ws/src/list.ts:2-3",
    "  `items[0]` throws.",
    "",
    "- [P2] Slow path on every call — /ws/src/list.ts:20-20",
    "  Memoise it.",
    "",
    "- [P3] Name the constant — /elsewhere/lib.ts:5-5",
    "  Use a name.",
  ].join("\n");
  const r = parseAnswer(answer, { workspace: "/ws" });
  assert.deepEqual(
    r.findings.map((f) => [f.priority, f.severity, f.file, f.line, f.endLine, f.title, f.body]),
    [
      [0, "blocker", "src/store.ts", 10, 12, "Data loss on save", "Overwrites the file before the backup is written."],
      [1, "major", "src/list.ts", 2, 3, "Guard the empty list", "`items[0]` throws."],
      [2, "minor", "src/list.ts", 20, undefined, "Slow path on every call", "Memoise it."],
      [3, "minor", "/elsewhere/lib.ts", 5, undefined, "Name the constant", "Use a name."],
    ],
  );
  assert.equal(r.verdict, null, "Codex's reviewer writes no verdict line");
});

test("Codex's review rendered twice in one turn: collapseRepeat keeps one copy, and the parser de-duplicates anyway", () => {
  const once = "Explanation.\n\nReview comment:\n\n- [P1] Guard it — /ws/a.js:2-3\n  Body.";
  assert.equal(collapseRepeat(once + once), once);
  assert.equal(collapseRepeat(`${once}\n\n${once}\n`), once);
  assert.equal(collapseRepeat(once), once);
  assert.equal(collapseRepeat("abcabd"), "abcabd");
  assert.equal(parseAnswer(once + once, { workspace: "/ws" }).findings.length, 1);
});

test("findings as JSON: Codex's review object, a fenced block, flat objects; other JSON is ignored", () => {
  const codex = { findings: [{ title: "[P2] Slow", body: "b", priority: 2, code_location: { absolute_file_path: "/ws/x.ts", line_range: { start: 4, end: 6 } } }], overall_correctness: "patch is correct" };
  assert.deepEqual(parseAnswer(JSON.stringify(codex), { workspace: "/ws" }).findings, [{ severity: "minor", priority: 2, title: "Slow", body: "b", file: "x.ts", line: 4, endLine: 6 }]);
  const fenced = "Here:\n```json\n[{\"severity\": \"major\", \"file\": \"src/a.ts\", \"line\": 3, \"title\": \"Leak\"}]\n```";
  assert.deepEqual(brief(parseAnswer(fenced).findings), [["major", "src/a.ts", 3, "Leak"]]);
  assert.deepEqual(parseAnswer('```json\n[{"title": "Approach A", "effort": "low"}]\n```\n{"name": "x"}').findings, []);
  assert.deepEqual(parseAnswer("```json\n{not json\n```").findings, []);
});

test("locations: the shapes models write", () => {
  const cases: Array<[string, ReturnType<typeof findLocation>]> = [
    ["see src/a.ts:12 for it", { file: "src/a.ts", line: 12 }],
    ["in `src/a.ts` (line 12)", { file: "src/a.ts", line: 12 }],
    ["in `src/a.ts` (lines 12–14)", { file: "src/a.ts", line: 12, endLine: 14 }],
    ["`pkg/x.go`, lines 20–26", { file: "pkg/x.go", line: 20, endLine: 26 }],
    ["src/a.ts at line 7", { file: "src/a.ts", line: 7 }],
    ["on line 44 of `src/app.ts` the promise", { file: "src/app.ts", line: 44 }],
    ["[src/api.ts:21](src/api.ts#L21)", { file: "src/api.ts", line: 21 }],
    // A link's target is the place, like a path in backticks.
    ["[api](src/api.ts) link only", { file: "src/api.ts" }],
    ["[retry.ts](src/http/retry.ts#L40-L52)", { file: "src/http/retry.ts", line: 40, endLine: 52 }],
    ["[Order Form.tsx](file:///ws/src/Order%20Form.tsx#L12)", { file: "/ws/src/Order Form.tsx", line: 12 }],
    ["see https://github.com/o/r/blob/abc123/src/cart/total.ts#L40-L44 here", { file: "src/cart/total.ts", line: 40, endLine: 44 }],
    ["`src/ui/Order Form.tsx:30` runs twice", { file: "src/ui/Order Form.tsx", line: 30 }],
    ["`docs/User Guide.md` L12–L18", { file: "docs/User Guide.md", line: 12, endLine: 18 }],
    ["src/pages/Rankings.tsx (18-21)", { file: "src/pages/Rankings.tsx", line: 18, endLine: 21 }],
    ["b/server/index.js#L10C3", { file: "b/server/index.js", line: 10 }],
    ["a.ts#L9-L11", { file: "a.ts", line: 9, endLine: 11 }],
    ["a.ts:L9-L11", { file: "a.ts", line: 9, endLine: 11 }],
    ["lib/b.rs:33:9", { file: "lib/b.rs", line: 33 }],
    ["/abs/path/file.ts:41-48", { file: "/abs/path/file.ts", line: 41, endLine: 48 }],
    ["C:\\src\\a.ts:5", { file: "C:\\src\\a.ts", line: 5 }],
    ["Makefile:12", { file: "Makefile", line: 12 }],
    ["`README.md`", { file: "README.md" }],
    ["README.md mentioned in prose", null],
    ["https://example.com/a.ts:12", null],
    ["`not a path at all` and `a sentence.`", null],
    ["at 10:30 we met", null],
    ["e.g. this, i.e. that", null],
    ["and/or this", null],
  ];
  for (const [text, expected] of cases) assert.deepEqual(findLocation(text), expected, text);
});

test("leading and trailing locations", () => {
  assert.deepEqual(leadingLocation("`src/a.ts:12` — text"), { loc: { file: "src/a.ts", line: 12 }, rest: "text", marked: true, separated: true });
  assert.equal(leadingLocation("README.md is missing a step"), null, "a bare path without a line needs a separator");
  assert.deepEqual(leadingLocation("README.md — typo")?.loc, { file: "README.md" });
  assert.deepEqual(trailingLocation("Guard the list — /ws/a.js:2-3"), { loc: { file: "/ws/a.js", line: 2, endLine: 3 }, before: "Guard the list" });
  assert.deepEqual(trailingLocation("Missing await (`src/a.ts:12`)"), { loc: { file: "src/a.ts", line: 12 }, before: "Missing await" });
  assert.equal(trailingLocation("a — b — not a path"), null);
});

test("workspace-relative paths: inside → relative, outside → as given, file:// and ./ dropped, Windows case-insensitive", () => {
  assert.equal(workspacePath("/ws/src/a.ts", "/ws"), "src/a.ts");
  assert.equal(workspacePath("/ws/src/a.ts", "/ws/"), "src/a.ts");
  assert.equal(workspacePath("/wsx/a.ts", "/ws"), "/wsx/a.ts");
  assert.equal(workspacePath("file:///ws/a.ts", "/ws"), "a.ts");
  assert.equal(workspacePath("./a.ts", "/ws"), "a.ts");
  assert.equal(workspacePath("c:\\Repo\\src\\a.ts", "C:\\repo"), "src/a.ts");
  assert.equal(workspacePath("src/a.ts", undefined), "src/a.ts");
  // `..` is resolved before deciding: this one leads out of the workspace, so it stays absolute (listed, not opened).
  assert.equal(workspacePath("/ws/a/../../etc/passwd", "/ws"), "/ws/a/../../etc/passwd");
  assert.equal(workspacePath("/ws/a/../src/b.ts", "/ws"), "src/b.ts");
});

test("tags: brackets, P-tags, words with separators; weak bold and bare words", () => {
  const tag = (s: string) => {
    const t = readTag(s);
    return t && [t.severity, t.priority, t.strength, t.rest];
  };
  assert.deepEqual(tag("[major] x"), ["major", undefined, "strong", "x"]);
  assert.deepEqual(tag("**[P0]** x"), ["blocker", 0, "strong", "x"]);
  assert.deepEqual(tag("[P2 · major] x"), ["major", 2, "strong", "x"]);
  assert.deepEqual(tag("[P1] [minor] x"), ["minor", 1, "strong", "x"]);
  assert.deepEqual(tag("**Nit:** x"), ["minor", undefined, "strong", "x"]);
  assert.deepEqual(tag("High — x"), ["major", undefined, "strong", "x"]);
  assert.deepEqual(tag("minor: `code` first"), ["minor", undefined, "strong", "`code` first"]);
  assert.deepEqual(tag("**blocker** src/a.ts:1"), ["blocker", undefined, "weak", "src/a.ts:1"]);
  assert.deepEqual(tag("minor src/a.ts:3"), ["minor", undefined, "weak", "src/a.ts:3"]);
  assert.equal(readTag("High-level: fine"), null);
  assert.equal(readTag("Majority of cases"), null);
});

test("titles: a bold lead, else the first sentence; long text is cut on a word", () => {
  assert.deepEqual(splitTitle("**Race in cancel()** — the child may outlive it."), { title: "Race in cancel()", body: "the child may outlive it." });
  assert.deepEqual(splitTitle("One. Two. Three."), { title: "One.", body: "Two. Three." });
  assert.deepEqual(splitTitle("Use `a.b()` not `c`"), { title: "Use `a.b()` not `c`", body: "" });
  const long = splitTitle(`${"word ".repeat(60)}end`);
  assert.ok(long.title.length <= 161 && long.title.endsWith("…"));
});

test("the severity words issue 13 saw lost in real VS Code: bold or bare, without a colon", () => {
  const r = parseAnswer("- **blocker** src/app.ts:12 — retries unbounded\n- [major] src/app.ts:20 — swallowed\n- minor src/app.ts:3 — unused import");
  assert.deepEqual(brief(r.findings), [
    ["blocker", "src/app.ts", 12, "retries unbounded"],
    ["major", "src/app.ts", 20, "swallowed"],
    ["minor", "src/app.ts", 3, "unused import"],
  ]);
  // …but a weak tag without a location stays prose.
  assert.deepEqual(parseAnswer("- **High** effort, low risk\n- low priority overall").findings, []);
});
