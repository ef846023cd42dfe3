import { test } from "node:test";
import assert from "node:assert/strict";
import { parseAnswer, type Finding } from "../../server/verdict";

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
    text: "`cancel()` resolves before the child exits, so a second `prompt()` can race the old process. Await the `exit` event first.",
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
  assert.deepEqual(r.findings, [{ severity: "blocker", file: "src/a.ts", line: 12, text: "token is logged in plain text" }]);
});

test("findings: numbered item without a file", () => {
  const r = parseAnswer("1. [minor] text without file\n2. [major] README.md — install step is wrong");
  assert.deepEqual(r.findings, [
    { severity: "minor", text: "text without file" },
    { severity: "major", file: "README.md", text: "install step is wrong" },
  ]);
});

test("findings: bold severity word with backticked location", () => {
  const r = parseAnswer("- **Major**: `src/x.py:40` - the loop swallows `KeyError`");
  assert.deepEqual(r.findings, [{ severity: "major", file: "src/x.py", line: 40, text: "the loop swallows `KeyError`" }]);
});

test("findings: '(line N)' form, path:line:col and path:line-range", () => {
  const r = parseAnswer(
    ["- [minor] src/a.ts (line 7) — unused import", "- [major] lib/b.rs:33:9 — unchecked unwrap", "- [minor] c/d.go:10-14 — dead branch"].join("\n"),
  );
  assert.deepEqual(
    r.findings.map((f) => [f.file, f.line, f.text]),
    [
      ["src/a.ts", 7, "unused import"],
      ["lib/b.rs", 33, "unchecked unwrap"],
      ["c/d.go", 10, "dead branch"],
    ],
  );
});

test("findings: markdown link location and GitHub #L anchors", () => {
  const r = parseAnswer("- [major] [src/api.ts:21](src/api.ts#L21) — missing await\n- [minor] src/ui.tsx#L5 — stale comment");
  assert.deepEqual(
    r.findings.map((f) => [f.file, f.line, f.text]),
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
  assert.equal(r.findings[4].text, "rename `tmp`");
});

test("findings: location first, tag second", () => {
  const r = parseAnswer("- `src/q.ts:9` [major] — retries forever");
  assert.deepEqual(r.findings, [{ severity: "major", file: "src/q.ts", line: 9, text: "retries forever" }]);
});

test("findings: location mentioned mid-sentence is still extracted", () => {
  const r = parseAnswer("- [major] The handler in src/routes/user.ts:52 swallows the error.");
  assert.deepEqual(r.findings, [
    { severity: "major", file: "src/routes/user.ts", line: 52, text: "The handler in src/routes/user.ts:52 swallows the error." },
  ]);
});

const SECTIONED_ANSWER = `Thanks — I went through the plan and the code it touches.

### Blockers
These need fixing before anything else:
- \`server/guardian/policy.ts:44\` — \`allow\` is checked before \`deny\`, so a deny rule can never win.
  The test at test/unit/policy.test.ts:10 only covers allow rules.
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

test("findings: continuation lines and nested bullets fold into the finding text", () => {
  const r = parseAnswer(SECTIONED_ANSWER);
  assert.match(r.findings[0].text, /deny rule can never win\. The test at test\/unit\/policy\.test\.ts:10 only covers allow rules\.$/);
  assert.equal(r.findings[2].text, "no backpressure handling on `write()`. Fix: wait for `drain` when `write()` returns false.");
});

test("findings: bullets under non-severity headings or in plain prose are ignored", () => {
  const r = parseAnswer(SECTIONED_ANSWER);
  assert.ok(!r.findings.some((f: Finding) => /Splitting|Keeping prompts/.test(f.text)));
  const prose = parseAnswer("Here is my take:\n\n- Use a queue.\n- Keep the API.\n\n## Low-level design\n- Store offsets in a map.");
  assert.deepEqual(prose.findings, []);
});

test("findings: placeholder items like 'None.' under a severity heading are skipped", () => {
  const r = parseAnswer("### Blockers\n- None.\n\n### Major\n- No issues found\n\n### Minor\n- [minor] a/b.ts:1 — real one");
  assert.deepEqual(r.findings, [{ severity: "minor", file: "a/b.ts", line: 1, text: "real one" }]);
});

test("findings: a prose paragraph after a section's list ends that section", () => {
  const r = parseAnswer("### Minor\n- a/b.ts:2 — small thing\n\nOverall I like it. Open questions:\n\n- Should we cache?");
  assert.deepEqual(
    r.findings.map((f) => f.text),
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
  assert.deepEqual(r.findings, [
    { severity: "major", file: "src/t.ts", line: 5, text: "unbounded retry" },
    { severity: "minor", text: "docs — wording" },
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
  assert.equal(r.findings[99].file, "src/f99.ts");
  assert.equal(r.verdict, "open", "verdict after the cap is still read");
});

test("never throws on odd input, and finishes on pathological lines", { timeout: 60_000 }, () => {
  for (const bad of [undefined, null, 42, {}, "\u0000\u0000", "```", "- [", "|||", "#"]) {
    assert.doesNotThrow(() => parseAnswer(bad as unknown as string));
  }
  // A quadratic parser would not finish this within the test's limit; how fast a linear one is belongs to the benchmark.
  assert.doesNotThrow(() => parseAnswer(`- [major] ${"a.".repeat(50_000)}:1 ${"/x".repeat(50_000)}\n${"*".repeat(100_000)}`));
});
