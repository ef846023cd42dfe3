// review_diff's `target` → the slash command for Codex's own reviewer, and the session's advertised commands.
import { test } from "node:test";
import assert from "node:assert/strict";
import { nativeReviewFor } from "../../../../server/tools/nativeReview";
import { AvailableCommands } from "../../../../server/agent/sessions/availableCommands";

test("targets become codex-acp's review commands", () => {
  assert.equal(nativeReviewFor({}), null);
  assert.deepEqual(nativeReviewFor({ target: "uncommitted" }), { review: { command: "/review", name: "review", summary: "Codex's reviewer: uncommitted changes" } });
  assert.deepEqual(nativeReviewFor({ target: "branch", base: " origin/main " }), { review: { command: "/review-branch origin/main", name: "review-branch", summary: "Codex's reviewer: this branch against origin/main" } });
  assert.deepEqual(nativeReviewFor({ target: "commit", commit: "HEAD~1" }), { review: { command: "/review-commit HEAD~1", name: "review-commit", summary: "Codex's reviewer: commit HEAD~1" } });
});

test("instructions and paths: one custom /review that names what to review", () => {
  const r = nativeReviewFor({ target: "commit", commit: "abc123", instructions: "Look at locking.", paths: ["src/a.ts"] });
  assert.ok(r && "review" in r);
  assert.equal(r.review.name, "review");
  assert.equal(r.review.command, "/review Review the code changes introduced by commit abc123 (`git show abc123`). Provide prioritized, actionable findings.\nOnly these paths are in scope: src/a.ts.\nFocus: Look at locking.");
  const u = nativeReviewFor({ target: "uncommitted", instructions: "x" });
  assert.ok(u && "review" in u && u.review.command.startsWith("/review Review the current code changes (staged, unstaged, and untracked files)."));
});

test("combinations that cannot run are refused with the fix", () => {
  const error = (args: Parameters<typeof nativeReviewFor>[0]) => {
    const r = nativeReviewFor(args);
    return r && "error" in r ? r.error : null;
  };
  assert.match(error({ target: "branch" }) ?? "", /needs `base`/);
  assert.match(error({ target: "commit", commit: " " }) ?? "", /needs `commit`/);
  assert.match(error({ target: "uncommitted", base: "main" }) ?? "", /`base` is for target "branch"/);
  assert.match(error({ target: "branch", base: "main", commit: "x" }) ?? "", /`commit` is for target "commit"/);
  assert.match(error({ target: "uncommitted", diff: "+x" }) ?? "", /cannot be combined/);
  assert.match(error({ commit: "HEAD" }) ?? "", /needs target "commit"/);
  for (const bad of ["--output=/tmp/x", "main..feature", "a b", "x;rm -rf /", "$(id)"]) assert.match(error({ target: "branch", base: bad }) ?? "", /not a git ref/, bad);
});

test("advertised commands: known at once when listed, a short wait for a new session, no second wait", async () => {
  const commands = new AvailableCommands();
  commands.update("s1", [{ name: "review" }, { name: "compact" }]);
  assert.equal(await commands.offers("s1", "review", 10_000), true);
  assert.equal(await commands.offers("s1", "review-branch", 10_000), false);
  // The list arrives while the ask waits for it.
  const waiting = commands.offers("s2", "review", 30_000);
  commands.update("s2", [{ name: "review" }]);
  assert.equal(await waiting, true);
  // An agent that never lists commands: false after the wait, and later asks do not wait again.
  assert.equal(await commands.offers("s3", "review", 1), false);
  let settled = false;
  const again = commands.offers("s3", "review", 60_000).then((value) => {
    settled = true;
    return value;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, true, "answered without waiting again");
  assert.equal(await again, false);
});
