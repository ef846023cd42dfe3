// One delegate's copy as `status` lists it (its own file: the status schema and the delegate schemas both use it).
import { z } from "zod";

export const copySummarySchema = z.object({
  changeId: z.string(),
  task: z.string(),
  /** Where Codex works: the copy of the workspace. */
  root: z.string(),
  running: z.boolean(),
  /** While it runs: what Codex is doing now (a decision it waits for, else its latest step), for the Codex Changes view. */
  activity: z.string().nullable().optional(),
  /** Files changed as of the delegate's last result. */
  files: z.number().int(),
  createdAt: z.number(),
});

export type CopySummary = z.infer<typeof copySummarySchema>;
