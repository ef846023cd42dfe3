// review_diff with a `target` over MCP stdio against the scripted fake agent: Codex's own reviewer when the agent
// advertises /review (the slash command is the prompt's first text), the doubled rendering collapsed, findings with
// priorities; and the fallback to the review prompt, said in the result, when the agent advertises no commands.
import { test } from "node:test";
import assert from "node:assert/strict";
import { prompts, startServer, textOf } from "./harness";

test("an agent that advertises /review gets the slash command; its review comes back once, as findings", { timeout: 60_000 }, async () => {
  const h = await startServer();
  try {
    const result = await h.call("review_diff", { target: "uncommitted" });
    assert.ok(!result.isError, textOf(result));
    const structured = result.structuredContent as Record<string, any>;
    assert.equal(structured.reviewer, "codex");
    assert.equal(structured.verdict, null);
    assert.equal(structured.answer.split("Full review comments:").length - 1, 1, "one copy of the doubled rendering");
    assert.deepEqual(
      structured.findings.map((f: any) => [f.priority, f.severity, f.file, f.line, f.endLine, f.title]),
      [
        [1, "major", "src/app.ts", 12, 13, "Guard the retry count"],
        [3, "minor", "src/app.ts", 5, undefined, "Name the timeout"],
      ],
    );
    assert.match(structured.findings[0].body, /^`retries` comes from user input and is never checked\.\n\nClamp it/);
    assert.match(textOf(result), /no VERDICT line/);
    const branch = (await h.call("review_diff", { target: "branch", base: "main" })).structuredContent as Record<string, any>;
    assert.match(branch.answer, /^Reviewed the changes against main/);
    const commit = (await h.call("review_diff", { target: "commit", commit: "HEAD~1" })).structuredContent as Record<string, any>;
    assert.match(commit.answer, /^Reviewed commit HEAD~1/);
    assert.deepEqual(prompts(h.log()), ["/review", "/review-branch main", "/review-commit HEAD~1"]);
  } finally {
    await h.close();
  }
});

test("instructions or paths with a target become one custom /review that says what to review", { timeout: 60_000 }, async () => {
  const h = await startServer();
  try {
    await h.call("review_diff", { target: "branch", base: "origin/main", instructions: "Focus on errors.", paths: ["src"] });
    const [sent] = prompts(h.log());
    assert.match(sent ?? "", /^\/review Review the code changes against the base branch 'origin\/main'/);
    assert.match(sent ?? "", /Only these paths are in scope: src\.\nFocus: Focus on errors\.$/);
  } finally {
    await h.close();
  }
});

test("an agent without /review: the review prompt reviews the same changes, and the result says so", { timeout: 60_000 }, async () => {
  const h = await startServer({ FAKE_AGENT_NO_COMMANDS: "1" });
  try {
    const result = await h.call("review_diff", { target: "branch", base: "main" });
    assert.ok(!result.isError, textOf(result));
    const structured = result.structuredContent as Record<string, any>;
    assert.equal(structured.reviewer, "prompt");
    assert.equal(structured.verdict, "consensus", "the review prompt's VERDICT line");
    assert.ok(structured.notes.some((n: string) => /does not offer Codex's \/review-branch command/.test(n)), JSON.stringify(structured.notes));
    const [sent] = prompts(h.log());
    assert.match(sent ?? "", /git diff main\.\.\.HEAD/);
    assert.doesNotMatch(sent ?? "", /^\//);
    // A second review in the same session does not wait for a list that never comes.
    const commit = (await h.call("review_diff", { target: "commit", commit: "abc1234" })).structuredContent as Record<string, any>;
    assert.equal(commit.reviewer, "prompt");
    assert.match(prompts(h.log())[1] ?? "", /git show abc1234/);
  } finally {
    await h.close();
  }
});
