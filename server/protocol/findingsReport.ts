// The machine-readable findings channel: the one fenced block Codex is asked to end a code answer with. Defined once
// here; the prompt shows it to Codex as JSON Schema, the server checks the block against it (server/findings/block.ts)
// and removes it from the answer people and models read. A block that is missing or fails the check falls back to
// the free reader, and the result says which was used (`findingsSource`).
import { z } from "zod";
import { severitySchema } from "./results";

/** The fence's info string: distinctive, so no ordinary code block is ever taken for the report. */
export const FINDINGS_FENCE = "codex-fusion-findings";

/** The most findings one report may carry (the same cap as the free reader's). */
export const MAX_REPORT_FINDINGS = 100;

export const reportFindingSchema = z
  .object({
    title: z.string().trim().min(1).max(300),
    body: z.string().max(20_000),
    severity: severitySchema,
    priority: z.number().int().min(0).max(3).optional(),
    file: z.string().trim().min(1).max(1000),
    line: z.number().int().positive(),
    endLine: z.number().int().positive().optional(),
  })
  .strict();

export const findingsReportSchema = z
  .object({
    findings: z.array(reportFindingSchema).max(MAX_REPORT_FINDINGS),
    verdict: z.enum(["consensus", "open"]).optional(),
  })
  .strict();

export type ReportFinding = z.infer<typeof reportFindingSchema>;
export type FindingsReport = z.infer<typeof findingsReportSchema>;

let jsonSchemaText: string | null = null;

/** The report's JSON Schema, compact, as the prompt shows it (computed once). */
export function findingsReportJsonSchema(): string {
  if (jsonSchemaText === null) {
    const schema = z.toJSONSchema(findingsReportSchema, { target: "draft-2020-12" });
    // Without the draft URL and the safe-integer bounds zod adds to every integer: shorter, and nothing lost.
    jsonSchemaText = JSON.stringify(schema, (key, value: unknown) => (key === "$schema" || (key === "maximum" && value === Number.MAX_SAFE_INTEGER) ? undefined : value));
  }
  return jsonSchemaText;
}
