// The six ask tools as one table: each one's title, description and input schema — the types of its arguments come
// from the schema. A plain data table: register.ts registers it with one loop, the control channel validates the
// editor's asks with the same schemas.
import { z } from "zod";
import type { AskTool } from "../protocol/constants";
import { DESCRIPTIONS } from "./descriptions";
import { inputs, type AskInput } from "./schemas";

export interface AskToolSpec {
  title: string;
  description: string;
  /** The tool's arguments as the MCP client and the editor send them. */
  schema: z.ZodType<AskInput>;
}

export const ASK_TOOL_TABLE: Record<AskTool, AskToolSpec> = {
  consult: { title: "Consult Codex", description: DESCRIPTIONS.consult, schema: z.object(inputs.consult) },
  review_plan: { title: "Codex: review a plan", description: DESCRIPTIONS.review_plan, schema: z.object(inputs.review_plan) },
  review_diff: { title: "Codex: review a diff", description: DESCRIPTIONS.review_diff, schema: z.object(inputs.review_diff) },
  brainstorm: { title: "Codex: brainstorm approaches", description: DESCRIPTIONS.brainstorm, schema: z.object(inputs.brainstorm) },
  explore: { title: "Codex: explore the codebase", description: DESCRIPTIONS.explore, schema: z.object(inputs.explore) },
  reply: { title: "Reply to Codex", description: DESCRIPTIONS.reply, schema: z.object(inputs.reply) },
};
