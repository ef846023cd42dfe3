// The findings reader on the held-out answers (test/fixtures/review-corpus-heldout.ts): shapes the main corpus does
// not have, written after the reader was generalised. The same bar as the main corpus: ≥ 95 % of findings with file
// and line, right severity, range and title, nothing spurious, every verdict right.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseAnswer } from "../../../../server/findings";
import { WORKSPACE, WORKSPACE_FILES } from "../../../fixtures/review-corpus";
import { HELDOUT } from "../../../fixtures/review-corpus-heldout";

const FILES = [...new Set([...WORKSPACE_FILES, ...HELDOUT.flatMap((c) => c.findings.flatMap(([, file]) => (file ? [file] : [])))])];

test("held-out answers: findings with file and line (≥ 95 %), nothing spurious, right severity, range, title and verdict", () => {
  let expected = 0;
  let located = 0;
  const problems: string[] = [];
  for (const c of HELDOUT) {
    const read = parseAnswer(c.answer, { workspace: WORKSPACE, files: FILES, review: c.ask !== "other" });
    const used = new Set<number>();
    for (const [severity, file, line, endLine, title] of c.findings) {
      if (file !== undefined && line !== undefined) expected += 1;
      const i = read.findings.findIndex((f, k) => !used.has(k) && f.file === file && f.line === line);
      if (i < 0) {
        problems.push(`${c.name}: missing ${file}:${line}`);
        continue;
      }
      used.add(i);
      if (file !== undefined && line !== undefined) located += 1;
      const f = read.findings[i]!;
      if (f.severity !== severity || f.endLine !== endLine || !f.title.includes(title)) problems.push(`${c.name}: ${f.severity} ${f.file}:${f.line}-${f.endLine} "${f.title}"`);
    }
    read.findings.forEach((f, k) => used.has(k) || problems.push(`${c.name}: spurious ${f.file}:${f.line} ${f.title}`));
    if (c.verdict !== undefined && read.verdict !== c.verdict) problems.push(`${c.name}: verdict ${read.verdict}`);
  }
  process.stderr.write(`findings held-out: ${located}/${expected} located, ${HELDOUT.length} answers\n`);
  assert.ok(located / expected >= 0.95, `${located}/${expected}`);
  assert.deepEqual(problems, []);
});
