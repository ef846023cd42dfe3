// The schemas of what `delegate` hands out: a change Codex made in its own copy of the workspace, as a patch and a
// file list, with the commands it ran. The MCP outputSchema, the editor's views and the tests take their types here.
import { z } from "zod";
import { errorSchema, pendingPermissionSchema, tokensSchema } from "./results";

/** One file the change touches, with the facts a reviewer must not miss. */
export const changedFileSchema = z.object({
  /** Relative to the repository root, forward slashes. */
  path: z.string(),
  status: z.enum(["added", "modified", "deleted", "type_changed"]),
  /** Lines added and removed; null for a binary file. */
  added: z.number().int().nullable(),
  removed: z.number().int().nullable(),
  binary: z.boolean(),
  /** The guardian's protected pattern the path falls under (CI, hooks, agent or editor config…), or null. */
  protectedPath: z.string().nullable(),
  /** The change makes this path a symlink. */
  symlink: z.boolean(),
  /** The change makes this file executable. */
  executable: z.boolean(),
});

/** A command Codex ran in the copy, as its tool calls reported it. */
export const delegateCommandSchema = z.object({
  command: z.string(),
  /** null when the agent did not report one (still running, or its final update never came). */
  exitCode: z.number().int().nullable(),
});

export const verifyOutcomeSchema = z.object({
  command: z.string(),
  /** Whether Codex ran it (as far as its tool calls show). */
  ran: z.boolean(),
  exitCode: z.number().int().nullable(),
  passed: z.boolean().nullable(),
});

/** What `delegate` (and `reply` on a delegate, and `permit` on its turn) returns as structuredContent. */
export const delegateResultSchema = z.object({
  /** The change's id: name it in `reply` (`change`) or in the editor's Apply / Discard. */
  changeId: z.string(),
  state: z.enum(["proposed", "no_changes", "waiting_for_permission", "failed"]),
  next: z.string(),
  /** Codex's own account of what it did (its answer). */
  summary: z.string(),
  files: z.array(changedFileSchema),
  /** Set when any file is protected, becomes a symlink or executable: a person must look at those first. */
  attention: z.array(z.string()),
  /** The unified, binary-safe patch against the state the copy started from (cut when very long: see patchFile). */
  patch: z.string(),
  patchTruncated: z.boolean(),
  /** The whole patch as a file, for `git apply` (null when there is no change). */
  patchFile: z.string().nullable(),
  /** Where `git apply` runs: the repository root the patch is relative to. */
  repoRoot: z.string(),
  /** The copy of the repository root, where Codex's version of each file is (read it, never write it). */
  copyRoot: z.string(),
  commands: z.array(delegateCommandSchema),
  verify: verifyOutcomeSchema.nullable(),
  stopReason: z.string(),
  durationMs: z.number(),
  sessionId: z.string().nullable(),
  tokens: tokensSchema.optional(),
  pendingPermission: pendingPermissionSchema.optional(),
  notes: z.array(z.string()).optional(),
  error: errorSchema.optional(),
});

export type ChangedFile = z.infer<typeof changedFileSchema>;
export type DelegateCommand = z.infer<typeof delegateCommandSchema>;
export type VerifyOutcome = z.infer<typeof verifyOutcomeSchema>;
export type DelegateResult = z.infer<typeof delegateResultSchema>;
export type { CopySummary } from "./copySummary";
