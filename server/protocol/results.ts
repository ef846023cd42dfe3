// The schemas of what the server hands out: permission requests as shown to people and models, findings, the
// result of every ask (MCP structuredContent, the editor's turn events) and the server's status. Every TypeScript
// type here is derived from its schema; the MCP outputSchemas are these same objects.
import { z } from "zod";
import { ASK_TOOLS } from "./constants";
import { ERROR_CODES } from "./errors";
import { contextUsageSchema, continuityStatusSchema, usageStatusSchema } from "./continuity";
import { copySummarySchema } from "./copySummary";

export const askToolSchema = z.enum(ASK_TOOLS);

export const errorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });

export const permissionDecisionSchema = z.enum(["allow", "allow_session", "deny"]);
/** Who settled a permission request. */
export const permissionSourceSchema = z.enum(["claude", "editor", "policy", "timeout", "withdrawn"]);
/** What a permission request asks for: network (any protocol), an MCP tool call, a sandbox widening, or by tool kind. */
export const permissionCategorySchema = z.enum(["read", "edit", "command", "network", "mcp", "sandbox", "other"]);

/** A permission request as shown to a person or a model. */
export const permissionViewSchema = z.object({
  id: z.string(),
  turnId: z.string().nullable(),
  kind: z.string(),
  category: permissionCategorySchema,
  title: z.string(),
  /** What Codex wants, in one line: "run `npm test` in ./pkg", "edit 3 files in src/". */
  summary: z.string(),
  command: z.string().nullable(),
  cwd: z.string().nullable(),
  paths: z.array(z.string()),
  /** Why the guardian asks instead of allowing. */
  reason: z.string(),
  /** What Codex said it wants it for, when the agent says. */
  justification: z.string().nullable(),
  /** A short preview of the change for edits, when known. */
  diffPreview: z.string().nullable(),
  options: z.array(z.object({ optionId: z.string(), name: z.string(), kind: z.string() })),
  createdAt: z.number(),
});

export const severitySchema = z.enum(["blocker", "major", "minor"]);

/**
 * One review finding. `priority` is Codex's own P0–P3 when the answer used one (0 = P0, most urgent); it maps onto
 * `severity` as P0→blocker, P1→major, P2 and P3→minor. `file` is workspace-relative (forward slashes) when it is inside
 * the workspace, else as Codex wrote it; `line`/`endLine` are 1-based and inclusive.
 */
export const findingSchema = z.object({
  severity: severitySchema,
  priority: z.number().int().min(0).max(3).optional(),
  /** One line: what is wrong. */
  title: z.string(),
  /** Markdown: why, and the fix. May be empty. */
  body: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  endLine: z.number().int().positive().optional(),
});

/**
 * Who reviewed a review_diff: "codex" — Codex's own trained reviewer (its /review mode), which writes no VERDICT line,
 * so `verdict` is null by design (continue with reply to get one); "prompt" — Codex Fusion's review prompt, verdict
 * from its VERDICT line.
 */
export const reviewerSchema = z.enum(["codex", "prompt"]);

/** Where a result's findings came from: Codex's findings block (server/protocol/findingsReport.ts), the free reader of the answer text, or nowhere (neither found any). */
export const findingsSourceSchema = z.enum(["block", "text", "none"]);

export const verdictSchema = z.enum(["consensus", "open"]).nullable();

/** The turn's tokens as the agent reports them: input (uncached), cached input, output, reasoning, total. */
export const tokensSchema = z.object({
  input: z.number().optional(),
  cached: z.number().optional(),
  output: z.number().optional(),
  reasoning: z.number().optional(),
  total: z.number().optional(),
});

/**
 * The part of a permission request a calling model needs to decide it (what `permit` answers): no option ids, no
 * timestamps — the model answers with allow | allow_session | deny, never with the agent's options.
 */
export const pendingPermissionSchema = permissionViewSchema.pick({
  id: true,
  /** The turn that waits on it (the same turn continues once it is decided). */
  turnId: true,
  kind: true,
  category: true,
  summary: true,
  command: true,
  cwd: true,
  paths: true,
  reason: true,
  justification: true,
  diffPreview: true,
});

/** What every ask returns as structuredContent. */
export const turnResultSchema = z.object({
  answer: z.string(),
  verdict: verdictSchema,
  verdictText: z.string().nullable(),
  findings: z.array(findingSchema),
  findingsSource: findingsSourceSchema.optional(),
  stopReason: z.string(),
  durationMs: z.number(),
  tokens: tokensSchema.optional(),
  /** Codex's context after this turn (used / window, percent left), when the agent reports it. */
  context: contextUsageSchema.optional(),
  sessionId: z.string().nullable(),
  /** Set when the agent was restarted before this turn: whether Codex kept its context. */
  contextNote: z.string().optional(),
  /** Set when the turn is paused waiting for a decision. */
  pendingPermission: pendingPermissionSchema.optional(),
  /** Set when the answer was too long to return whole: `answer` holds its start and end, `path` the whole text. */
  fullAnswer: z.object({ chars: z.number(), path: z.string().nullable() }).optional(),
  notes: z.array(z.string()).optional(),
  /**
   * What the caller should do next, in words, when there is something to do: answer a paused turn with `permit`,
   * settle an OPEN verdict, ask again after an early stop. Clients such as Claude Code hand the model this
   * structured result instead of the text, so the instruction must live here too.
   */
  next: z.string().optional(),
  /** Set when the turn failed: the code to decide on and one sentence saying what happened and what to do. */
  error: errorSchema.optional(),
  /** review_diff only. */
  reviewer: reviewerSchema.optional(),
});

export const turnSummarySchema = z.object({
  id: z.string(),
  tool: askToolSchema,
  client: z.string().nullable(),
  /** The first words of the ask. */
  summary: z.string(),
  elapsedMs: z.number(),
  waitingForPermission: z.boolean(),
  /** The Codex session the turn runs on (null while its session is being opened). */
  sessionId: z.string().nullable(),
  /** It runs on a session forked from the main one, beside another turn. */
  forked: z.boolean(),
});

export const guardianFlagsSchema = z.object({ allowExternalReads: z.boolean(), allowWrites: z.boolean(), allowCommands: z.boolean() });

/** The `status` tool's structuredContent and the editor's `getStatus` result. */
export const serverStatusSchema = z.object({
  workspace: z.string(),
  agentCommand: z.array(z.string()),
  agentAlive: z.boolean(),
  agentPid: z.number().nullable(),
  sessionId: z.string().nullable(),
  mode: z.string().nullable(),
  modeWarning: z.string().nullable(),
  /** The agent start-up or session set-up in progress, if any (asks wait for it). */
  startup: z.object({ phase: z.enum(["starting_agent", "opening_session"]), elapsedMs: z.number() }).nullable(),
  /** The oldest running turn (the same as `turns[0]`), for clients that show one. */
  turn: turnSummarySchema.nullable(),
  /** Every running turn, oldest first: more than one when asks run in parallel on forked sessions. */
  turns: z.array(turnSummarySchema),
  /** How many turns may run at once (CODEX_FUSION_MAX_PARALLEL_TURNS). */
  maxParallelTurns: z.number(),
  /** Sessions forked from the main one that are open (for parallel asks and the conversations that continue on them). */
  parallelSessions: z.number(),
  queued: z.number(),
  pendingPermissions: z.array(permissionViewSchema),
  guardian: guardianFlagsSchema,
  /** delegate's copies of the workspace, each holding a proposed change (or Codex working on one). */
  copies: z.array(copySummarySchema).optional(),
  lastError: z.string().nullable(),
  lastErrorCode: z.enum(ERROR_CODES).nullable(),
  advice: z.string().nullable(),
  /** Continuity across starts: what was continued, earlier sessions, how to continue in Codex (absent from older servers). */
  continuity: continuityStatusSchema.optional(),
  /** Context, tokens and Codex's rate-limit windows (absent from older servers). */
  usage: usageStatusSchema.optional(),
});

export type PermissionDecision = z.infer<typeof permissionDecisionSchema>;
export type PermissionSource = z.infer<typeof permissionSourceSchema>;
export type PermissionCategory = z.infer<typeof permissionCategorySchema>;
export type PermissionView = z.infer<typeof permissionViewSchema>;
export type PendingPermission = z.infer<typeof pendingPermissionSchema>;
export type Severity = z.infer<typeof severitySchema>;
export type Finding = z.infer<typeof findingSchema>;
export type FindingsSource = z.infer<typeof findingsSourceSchema>;
export type Reviewer = z.infer<typeof reviewerSchema>;
export type Verdict = z.infer<typeof verdictSchema>;
export type TurnResult = z.infer<typeof turnResultSchema>;
export type TurnSummary = z.infer<typeof turnSummarySchema>;
export type GuardianFlags = z.infer<typeof guardianFlagsSchema>;
export type ServerStatus = z.infer<typeof serverStatusSchema>;
