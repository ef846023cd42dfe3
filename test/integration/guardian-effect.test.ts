// The guardian judges what a write does (issue 22), end to end: the built server, the fake agent sending each request
// of the effect corpus over real stdio as written (malformed parts and all, its diffs in the tool_call before), on a
// workspace with hard links, a `.git` file, core.hooksPath, protected paths below folders and two links to its own
// root. Every flag on — the most a person can widen: what the README says is asked is held, ordinary edits are applied.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer, textOf } from "./harness";
import { promised } from "../fixtures/guardian/corpus";
import { buildEffectTree, effectCorpus, type EffectCase } from "../fixtures/guardian/effectCorpus";

const ALL = { allowExternalReads: true, allowWrites: true, allowCommands: true };
let tmp = "";
let ws = "";
let cases: EffectCase[] = [];

before(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "guardian-effect-int-")));
  const tree = await buildEffectTree(tmp);
  ws = tree.ws;
  cases = effectCorpus(tree);
});

after(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

test("every flag on: the effect corpus over real stdio — held when the README says asked, applied when allowed", async () => {
  const h = await startServer({ CODEX_FUSION_WORKSPACE: ws, CODEX_FUSION_ALLOW_WRITES: "1", CODEX_FUSION_ALLOW_EXTERNAL_READS: "1", CODEX_FUSION_ALLOW_COMMANDS: "1" });
  const wrong: string[] = [];
  try {
    for (const [i, c] of cases.entries()) {
      const file = path.join(tmp, `request-${i}.json`);
      await fs.writeFile(file, JSON.stringify({ toolCall: c.toolCall, diffPaths: c.diffPaths }));
      const result = await h.call("consult", { question: `case ${i} [[fake:permission-raw:${file}]]` });
      const pending = (result.structuredContent as { pendingPermission?: { reason: string } | null }).pendingPermission;
      const got = pending ? "ask" : /applied raw \(option allow_once\)/.test(textOf(result)) ? "allow" : `neither: ${textOf(result).slice(0, 200)}`;
      if (got !== promised(c.promise, ALL)) wrong.push(`${c.name}: ${got}${pending ? ` (${pending.reason})` : ""}`);
      if (pending) await h.call("permit", { decision: "deny" });
    }
  } finally {
    await h.close();
  }
  assert.deepEqual(wrong, []);
  assert.ok(cases.length >= 30, String(cases.length));
});
