// End to end: review_diff with a `target` runs Codex's own trained reviewer — the built server (dist/server.js) over
// stdio → the REAL codex-acp (→ codex app-server) → the scripted fake Responses API, which answers Codex's review
// request (its rubric names `overall_correctness`) with the JSON object a real reviewer writes. Proves: the slash
// command reaches Codex's review mode for uncommitted changes, a base branch and a commit; the doubled rendering is
// one answer; every priority, range and body comes back as findings; the verdict is null and the result says why;
// the debate continues with reply in the same session; bad combinations are refused before anything runs.
// Run: node esbuild.mjs && node --import tsx --test test/e2e/native-review.test.ts
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startServer, textOf, type Harness } from "../integration/harness";
import { codexAcpCommand, codexAgentUsable, makeCodexHome } from "../fixtures/codex-home";
import { REVIEW_FINDINGS, startFakeModel, VERDICT_CONSENSUS, type FakeModel } from "../fixtures/fake-model";

const usable = codexAgentUsable();
let model: FakeModel | undefined;
let home: Awaited<ReturnType<typeof makeCodexHome>> | undefined;
let server: Harness | undefined;
let workspace = "";
let headSha = "";

function git(...args: string[]): string {
  const r = spawnSync("git", ["-c", "user.name=e2e", "-c", "user.email=e2e@example.invalid", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", ...args], { cwd: workspace, encoding: "utf8" });
  assert.equal(r.status, 0, `git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout.trim();
}

function sc(result: CallToolResult): Record<string, any> {
  assert.ok(!result.isError, `the call failed: ${textOf(result)}`);
  assert.ok(result.structuredContent, `no structuredContent: ${textOf(result)}`);
  return result.structuredContent as Record<string, any>;
}

/** The user text of the review requests the fake model received since `from`. */
function reviewRequests(from: number): string[] {
  return model!.requests
    .slice(from)
    .filter((r) => r.kind === "review")
    .map((r) => JSON.stringify(r.body?.input ?? []));
}

before(async () => {
  if (!usable.ok) return;
  model = await startFakeModel();
  home = await makeCodexHome(model.url);
  workspace = realpathSync(mkdtempSync(path.join(tmpdir(), "fusion-native-review-")));
  git("init", "-q");
  writeFileSync(path.join(workspace, "app.js"), "const items = [];\nconsole.log(items.length);\n");
  git("add", ".");
  git("commit", "-q", "-m", "initial");
  git("checkout", "-q", "-b", "feature");
  writeFileSync(path.join(workspace, "app.js"), "const items = [];\nconst first = items[0];\nconsole.log(first.name);\n");
  git("commit", "-q", "-am", "read the first item");
  headSha = git("rev-parse", "HEAD");
  writeFileSync(path.join(workspace, "app.js"), "const items = [];\nconst first = items[0];\nconsole.log(first.name);\nconst x = 42;\nsetTimeout(() => {}, 42);\n");
  server = await startServer({ ...home.env, CODEX_FUSION_WORKSPACE: workspace, CODEX_FUSION_ACP_COMMAND: JSON.stringify(codexAcpCommand()) });
});

after(async () => {
  await server?.close();
  await model?.close();
  await home?.cleanup().catch(() => undefined);
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

test("review_diff target uncommitted: Codex's reviewer, one answer, every priority, range and body; verdict null and why", { skip: usable.ok ? false : usable.why, timeout: 180_000 }, async () => {
  const from = model!.requests.length;
  const result = sc(await server!.call("review_diff", { target: "uncommitted" }, { timeout: 120_000 }));
  assert.equal(reviewRequests(from).length, 1, "the fake model got one review request");
  assert.equal(result.reviewer, "codex");
  assert.equal(result.verdict, null);
  assert.ok(result.notes?.some((n: string) => /no VERDICT line/.test(n)), JSON.stringify(result.notes));
  // codex-acp renders the review twice in the turn; the answer holds it once.
  assert.equal(result.answer.split("Full review comments:").length - 1, 1, result.answer);
  assert.match(result.answer, /^The change indexes a list that can be empty\./);
  assert.deepEqual(
    result.findings,
    REVIEW_FINDINGS.map((f) => ({
      severity: f.priority === 1 ? "major" : "minor",
      priority: f.priority,
      title: f.title.replace(/^\[P\d\] /, ""),
      body: f.body,
      file: f.file,
      line: f.start,
      ...(f.end > f.start ? { endLine: f.end } : {}),
    })),
  );
});

test("the debate continues with reply in the same session, which has the review in its history", { skip: usable.ok ? false : usable.why, timeout: 180_000 }, async () => {
  const from = model!.requests.length;
  const result = sc(await server!.call("reply", { message: "Is the empty-list finding real if items is always filled by load()?" }, { timeout: 120_000 }));
  assert.equal(result.verdict, "consensus");
  assert.match(result.answer, new RegExp(VERDICT_CONSENSUS));
  const turn = model!.requests.slice(from).find((r) => r.kind === "turn");
  assert.ok(turn, "the reply reached the model");
  assert.match(JSON.stringify(turn.body.input), /Guard the empty list before indexing/, "the review is in the session's history");
});

test("target branch and commit reach Codex's review mode with the base branch or the commit", { skip: usable.ok ? false : usable.why, timeout: 240_000 }, async () => {
  let from = model!.requests.length;
  const branch = sc(await server!.call("review_diff", { target: "branch", base: "main" }, { timeout: 120_000 }));
  assert.equal(branch.reviewer, "codex");
  assert.equal(branch.findings.length, REVIEW_FINDINGS.length);
  const [branchRequest] = reviewRequests(from);
  assert.match(branchRequest ?? "", /main/, "the review request names the base branch");
  from = model!.requests.length;
  const commit = sc(await server!.call("review_diff", { target: "commit", commit: headSha }, { timeout: 120_000 }));
  assert.equal(commit.reviewer, "codex");
  assert.match(reviewRequests(from)[0] ?? "", new RegExp(headSha.slice(0, 7)), "the review request names the commit");
});

test("instructions go to Codex's reviewer as a custom review; a clean review has no findings", { skip: usable.ok ? false : usable.why, timeout: 180_000 }, async () => {
  const from = model!.requests.length;
  const result = sc(await server!.call("review_diff", { target: "uncommitted", instructions: "Focus on error handling. [[model:review-clean]]" }, { timeout: 120_000 }));
  assert.equal(result.reviewer, "codex");
  assert.deepEqual(result.findings, []);
  assert.match(result.answer, /The change looks correct\./);
  assert.match(reviewRequests(from)[0] ?? "", /Focus on error handling/);
});

test("combinations that cannot run are refused with the fix, before Codex is asked", { skip: usable.ok ? false : usable.why, timeout: 60_000 }, async () => {
  const from = model!.requests.length;
  for (const [args, why] of [
    [{ target: "branch" }, /needs `base`/],
    [{ target: "commit" }, /needs `commit`/],
    [{ target: "uncommitted", diff: "+x" }, /cannot be combined/],
    [{ target: "branch", base: "--output=/tmp/x" }, /not a git ref/],
    [{ commit: "HEAD" }, /needs target "commit"/],
  ] as const) {
    const result = await server!.call("review_diff", args as Record<string, unknown>);
    assert.equal(result.isError, true, JSON.stringify(args));
    assert.match(textOf(result), why);
  }
  assert.equal(model!.requests.length, from, "nothing reached the model");
});
