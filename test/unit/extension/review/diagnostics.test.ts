// Where a finding goes in the editor (a workspace file, outside, missing, nowhere) and how Problems ranks it.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { severityLevel } from "../../../../extension/review/diagnostics";
import { placeFinding, resolveFindingPath } from "../../../../extension/review/placement";

const posix = path.posix;

test("severity: blocker → error, major → warning, minor → information", () => {
  assert.equal(severityLevel("blocker"), "error");
  assert.equal(severityLevel("major"), "warning");
  assert.equal(severityLevel("minor"), "information");
});

test("placement: workspace files are placed; outside the workspace and missing files are listed only", () => {
  const existing = new Set(["/repo/src/a.ts", "/ws/lib/x.ts", "/abs/elsewhere.ts"]);
  const opts = { roots: ["/repo", "/ws"], exists: (file: string) => existing.has(file), pathApi: posix };
  assert.deepEqual(placeFinding({ file: "src/a.ts" }, opts), { kind: "file", path: "/repo/src/a.ts" });
  assert.deepEqual(placeFinding({ file: "lib/x.ts" }, opts), { kind: "file", path: "/ws/lib/x.ts" });
  assert.deepEqual(placeFinding({ file: "/repo/src/a.ts" }, opts), { kind: "file", path: "/repo/src/a.ts" });
  assert.deepEqual(placeFinding({ file: "/abs/elsewhere.ts" }, opts), { kind: "outside", path: "/abs/elsewhere.ts" });
  assert.deepEqual(placeFinding({ file: "../outside.ts" }, opts), { kind: "outside", path: "/outside.ts" });
  assert.deepEqual(placeFinding({ file: "gone.ts" }, opts), { kind: "missing", path: "/repo/gone.ts" });
  assert.deepEqual(placeFinding({}, opts), { kind: "none" });
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
