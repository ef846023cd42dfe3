// MCP prompts: Claude Code lists them as slash commands (/mcp__codex-fusion__review, …). Each expands into
// instructions that make Claude call the right tool with the right context and then act on what Codex says.
// The builders are pure; registerPrompts wires them to one MCP server instance.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

export interface ReviewPromptArgs {
  base?: string;
}

export interface BrainstormPromptArgs {
  problem?: string;
}

const given = (value: string | undefined): string | undefined => (value && value.trim() !== "" ? value.trim() : undefined);

/** How Claude settles what Codex said, shared by the three prompts. */
const RECONCILE =
  "Weigh what Codex says rather than obeying it: adopt what you agree with, and push back with the reply tool, with evidence, " +
  "on what you don't. If the verdict is OPEN, settle it with reply (about three exchanges at most), then decide yourself.";

export function reviewPromptText(args: ReviewPromptArgs): string {
  const base = given(args.base);
  const against = base ? ` against \`${base}\` (pass base: "${base}")` : " against HEAD, untracked files included";
  return [
    `Have Codex review my current changes: call the codex-fusion review_diff tool without a diff, so Codex inspects the working tree itself${against}. ` +
      "If I said what to focus on, pass it as instructions.",
    "If there are no changes to review, say so and stop.",
    `Then go through Codex's findings, blockers first: fix the ones you agree with, and say which ones you reject and why. ${RECONCILE}`,
    "End with a short summary: what Codex found, what you changed, and what is still open.",
  ].join("\n\n");
}

export function secondOpinionPromptText(): string {
  return [
    "Get Codex's second opinion on the plan we just made in this conversation: call the codex-fusion review_plan tool with the plan written out in full " +
      "(steps, files to touch, tests), and put in context what Codex cannot read in the files: the goal, the constraints, and the decisions we made here. " +
      "If I named something to look at hardest, say so in context.",
    "If we have not made a plan yet, say so and stop.",
    `${RECONCILE} Do not start implementing: show me the revised plan, what changed in it, and why.`,
  ].join("\n\n");
}

/**
 * Claude Code splits a slash command's text on spaces, one word per argument, so `problem` may hold only the first
 * word of what the person typed (the model sees all of it): the expansion says so rather than quoting a fragment.
 */
export function brainstormPromptText(args: BrainstormPromptArgs): string {
  const problem = given(args.problem);
  const what = problem
    ? `the problem I gave with this command, in full (it starts with "${problem}")`
    : "the problem we are discussing, stated in full";
  return [
    `Brainstorm with Codex: call the codex-fusion brainstorm tool with problem: ${what}. ` +
      "Put the constraints every approach must respect in constraints, and say which approach you lean towards, if any.",
    `Then compare Codex's approaches with your own and recommend one, with its main trade-off. ${RECONCILE}`,
  ].join("\n\n");
}

const userMessage = (text: string) => ({ messages: [{ role: "user" as const, content: { type: "text" as const, text } }] });

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    "review",
    {
      title: "Review my changes with Codex",
      description: "Codex reviews the uncommitted changes (optionally against a base ref); Claude fixes what it agrees with.",
      argsSchema: { base: z.string().optional().describe("Git ref to compare against, e.g. main. Default: HEAD.") },
    },
    (args) => userMessage(reviewPromptText(args)),
  );
  server.registerPrompt(
    "second-opinion",
    {
      title: "Codex's second opinion on our plan",
      description: "Claude sends the plan from this conversation to Codex's review_plan and revises it.",
    },
    () => userMessage(secondOpinionPromptText()),
  );
  server.registerPrompt(
    "brainstorm",
    {
      title: "Brainstorm a problem with Codex",
      description: "Codex proposes 2-4 approaches with trade-offs; Claude compares them with its own.",
      argsSchema: { problem: z.string().optional().describe("The problem to explore. Default: the one under discussion.") },
    },
    (args) => userMessage(brainstormPromptText(args)),
  );
}
