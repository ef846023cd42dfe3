// The MCP prompts Claude Code shows as /mcp__codex-fusion__… (server/tools/prompts.ts): each names the tool to call
// and what to pass, and says how to act on Codex's answer.
import { test } from "node:test";
import assert from "node:assert/strict";
import { brainstormPromptText, reviewPromptText, secondOpinionPromptText } from "../../../../server/tools/prompts";

test("review: review_diff without a diff, against HEAD by default or the given base", () => {
  const head = reviewPromptText({});
  assert.match(head, /call the codex-fusion review_diff tool without a diff, so Codex inspects the working tree itself against HEAD, untracked files included/);
  assert.match(reviewPromptText({ base: " main " }), /against `main` \(pass base: "main"\)/);
  assert.equal(reviewPromptText({ base: "  " }), head);
  assert.match(head, /blockers first/);
  assert.match(head, /If there are no changes to review, say so and stop/);
});

test("second opinion: review_plan with the plan in full and the conversation's decisions in context, no implementing", () => {
  const text = secondOpinionPromptText();
  assert.match(text, /call the codex-fusion review_plan tool with the plan written out in full/);
  assert.match(text, /the decisions we made here/);
  assert.match(text, /If we have not made a plan yet, say so and stop/);
  assert.match(text, /Do not start implementing/);
});

test("brainstorm: never quotes a fragment of a problem Claude Code split into words", () => {
  assert.match(brainstormPromptText({ problem: "how" }), /problem: the problem I gave with this command, in full \(it starts with "how"\)/);
  assert.match(brainstormPromptText({}), /problem: the problem we are discussing, stated in full/);
});

test("every prompt tells Claude to weigh Codex's answer and settle an OPEN verdict with reply", () => {
  for (const text of [reviewPromptText({}), secondOpinionPromptText(), brainstormPromptText({})]) {
    assert.match(text, /Weigh what Codex says rather than obeying it/);
    assert.match(text, /If the verdict is OPEN, settle it with reply/);
  }
});
