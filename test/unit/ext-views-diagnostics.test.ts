import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { findingsToDiagnostics, resolveFindingPath, severityLevel } from "../../extension/diagnostics";
import type { Finding } from "../../server/protocol/results";

const posix = path.posix;

test("severity: blocker → error, major → warning, minor → information", () => {
  assert.equal(severityLevel("blocker"), "error");
  assert.equal(severityLevel("major"), "warning");
  assert.equal(severityLevel("minor"), "information");
});

test("findings → diagnostic specs: paths resolved, 1-based lines made 0-based, file-less findings unplaced", () => {
  const findings: Finding[] = [
    { severity: "blocker", file: "src/a.ts", line: 88, text: "cancel() resolves before the child exits" },
    { severity: "major", file: "./src/b.ts", line: 1, text: "unbounded buffer" },
    { severity: "minor", file: "README.md", text: "typo" },
    { severity: "major", text: "no tests for the retry path" },
    { severity: "minor", file: "/abs/elsewhere.ts", line: 0, text: "line 0 stays on the first line" },
  ];
  const { specs, unplaced } = findingsToDiagnostics(findings, { roots: ["/repo", "/ws"], pathApi: posix });
  assert.deepEqual(specs, [
    { file: "/repo/src/a.ts", line: 87, level: "error", message: "cancel() resolves before the child exits", code: "blocker" },
    { file: "/repo/src/b.ts", line: 0, level: "warning", message: "unbounded buffer", code: "major" },
    { file: "/repo/README.md", line: 0, level: "information", message: "typo", code: "minor" },
    { file: "/abs/elsewhere.ts", line: 0, level: "information", message: "line 0 stays on the first line", code: "minor" },
  ]);
  assert.deepEqual(unplaced, [{ severity: "major", text: "no tests for the retry path" }]);
});

test("paths: the first root where the file exists, diff prefixes stripped, else the first root", () => {
  const existing = new Set(["/ws/lib/x.ts", "/repo/src/y.ts"]);
  const opts = { roots: ["/repo", "/ws"], exists: (file: string) => existing.has(file), pathApi: posix };
  assert.equal(resolveFindingPath("lib/x.ts", opts), "/ws/lib/x.ts");
  assert.equal(resolveFindingPath("b/src/y.ts", opts), "/repo/src/y.ts");
  assert.equal(resolveFindingPath("`src/y.ts`", opts), "/repo/src/y.ts");
  assert.equal(resolveFindingPath("missing.ts", opts), "/repo/missing.ts");
  assert.equal(resolveFindingPath("  ", opts), null);
  assert.equal(resolveFindingPath("a.ts", { roots: [], pathApi: posix }), null);
  assert.equal(resolveFindingPath("C:\\ws\\a.ts", { roots: ["D:\\x"], pathApi: path.win32 }), "C:\\ws\\a.ts");
  assert.equal(resolveFindingPath("src/a.ts", { roots: ["C:\\ws"], pathApi: path.win32 }), "C:\\ws\\src\\a.ts");
});
