// The schemas of session continuity and usage: the per-workspace state file that lets a restarted server continue
// Codex's conversation, the earlier sessions a workspace has, and what the agent reports about context, tokens and
// Codex's rate-limit windows. Every type here is derived from its schema.
import { z } from "zod";

/** The workspace's main Codex session, as kept on disk between server starts. */
export const keptSessionSchema = z.object({
  sessionId: z.string().min(1),
  /** The agent command that made it: another agent (or another Codex home behind it) would not know the id. */
  agentCommand: z.array(z.string()),
  cwd: z.string(),
  title: z.string().nullable(),
  createdAt: z.number(),
  lastUsedAt: z.number(),
});

/** <state dir>/sessions/<hash of the workspace's real path>.json (0600). */
export const continuityFileSchema = z.object({
  version: z.literal(1),
  workspace: z.string(),
  /** The session to continue on the next start, or null after a reset. */
  current: keptSessionSchema.nullable(),
  /** When a person or model last asked to start fresh (reset). */
  resetAt: z.number().nullable(),
});

/** One of the workspace's sessions as Codex lists them (session/list filtered by the workspace). */
export const earlierSessionSchema = z.object({
  sessionId: z.string(),
  title: z.string().nullable(),
  /** ISO time of its last activity, when the agent says. */
  updatedAt: z.string().nullable(),
  /** It is the one this server drives now. */
  current: z.boolean(),
});

/** One of Codex's rate-limit windows (e.g. "5h limit", "Weekly limit"), as Codex's /status shows it. */
export const rateLimitWindowSchema = z.object({
  /** The limit's name and window, as Codex labels it: "codex 5h limit". */
  label: z.string(),
  usedPercent: z.number(),
  /** The window's length in minutes when the label says it (5h → 300), else null. */
  windowMinutes: z.number().nullable(),
  /** When the window resets, as Codex wrote it ("14:30", "14:30 on 9 Dec"), and as epoch ms when that could be read. */
  resets: z.string().nullable(),
  resetsAt: z.number().nullable(),
});

export const contextUsageSchema = z.object({
  /** Tokens in Codex's context now, and the model's window. */
  used: z.number(),
  size: z.number(),
  /** Percent of the window still free. */
  leftPercent: z.number(),
});

/** What `status` shows about cost and context. */
export const usageStatusSchema = z.object({
  context: contextUsageSchema.nullable(),
  /** The tokens of the main session's last finished turn. */
  lastTurnTokens: z
    .object({ input: z.number().optional(), cached: z.number().optional(), output: z.number().optional(), reasoning: z.number().optional(), total: z.number().optional() })
    .nullable(),
  /** Tokens of every turn this server ran, summed. */
  sessionTotalTokens: z.number(),
  rateLimits: z.array(rateLimitWindowSchema),
  /** When the rate limits were last read (epoch ms), null before the first read. */
  rateLimitsAt: z.number().nullable(),
});

/** What `status` shows about continuity. */
export const continuityStatusSchema = z.object({
  /** Set when the current session continues one from an earlier start: that session's last activity (epoch ms). */
  continuedFrom: z.number().nullable(),
  /** Why this start did not continue (context lost, another server drives it, state file unreadable), said once per start. */
  note: z.string().nullable(),
  /** How many other sessions Codex keeps for this workspace (null until listed, or when the agent cannot list). */
  earlierSessions: z.number().nullable(),
  /** The command that continues the current conversation in Codex itself. */
  resumeCommand: z.string().nullable(),
  /** Where the session is kept between starts. */
  stateFile: z.string(),
});

export type KeptSession = z.infer<typeof keptSessionSchema>;
export type ContinuityFile = z.infer<typeof continuityFileSchema>;
export type EarlierSession = z.infer<typeof earlierSessionSchema>;
export type RateLimitWindow = z.infer<typeof rateLimitWindowSchema>;
export type ContextUsage = z.infer<typeof contextUsageSchema>;
export type UsageStatus = z.infer<typeof usageStatusSchema>;
export type ContinuityStatus = z.infer<typeof continuityStatusSchema>;
