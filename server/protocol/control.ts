// The control channel between the editor and its server child (over the child's IPC pipe): events the server sends,
// and commands the editor sends, each command paired with its params and its result — the shape of MCP's
// request → result map. The server validates params with these schemas; both sides take their types from them.
import { z } from "zod";
import { ERROR_CODES } from "./errors";
import {
  askToolSchema,
  errorSchema,
  permissionDecisionSchema,
  permissionSourceSchema,
  permissionViewSchema,
  serverStatusSchema,
  turnResultSchema,
} from "./results";
import { earlierSessionSchema } from "./continuity";
import { delegateResultSchema } from "./delegate";

// ── commands (editor → server) ───────────────────────────────────────────────────────────────────────────

/**
 * The result of an `ask` command: the ask's own outcome (not an MCP tool result). `finished`: Codex answered;
 * `permission`: the turn waits for a decision (result.pendingPermission) and ends later, as the `turnFinished` event of
 * `turnId`; `failed`: `error` says why (with what Codex said before, when a turn ran).
 */
export const askOutcomeSchema = z.object({
  /** The turn the ask ran as; null when it never started one (refused, or cancelled while it waited). */
  turnId: z.string().nullable(),
  status: z.enum(["finished", "permission", "failed"]),
  /** The answer, verdict and findings so far; null when no turn ran. */
  result: turnResultSchema.nullable(),
  error: errorSchema.nullable(),
});

/** The result of a `delegate` command: the change Codex proposes (or why there is none), already shaped. */
/** The editor's delegate, its own outcome (like `ask`'s): the proposed change, or why there is none. */
export const delegateResponseSchema = z.object({
  result: delegateResultSchema.nullable(),
  error: errorSchema.nullable(),
});

const noParams = z.object({}).strict();

export const controlMethods = {
  decidePermission: {
    params: z.object({ id: z.string().min(1), decision: permissionDecisionSchema, note: z.string().optional() }),
    result: z.object({}),
  },
  /** Cancels one turn: the given one, else the oldest running. */
  cancelTurn: { params: z.object({ id: z.string().min(1).optional() }).strict(), result: z.object({ cancelled: z.boolean() }) },
  resetSession: { params: noParams, result: z.object({ message: z.string() }) },
  getStatus: { params: noParams, result: serverStatusSchema },
  /** The workspace's sessions as Codex keeps them, newest first (null when the agent cannot list them). */
  listSessions: { params: noParams, result: z.object({ sessions: z.array(earlierSessionSchema).nullable() }) },
  /** Drops the current session; the next ask continues the chosen earlier one (Continue Earlier Session…). */
  continueSession: { params: z.object({ sessionId: z.string().min(1) }).strict(), result: z.object({ message: z.string() }) },
  /** Runs an ask through the server like any other client (the editor's own commands). */
  ask: { params: z.object({ tool: askToolSchema, args: z.record(z.string(), z.unknown()) }), result: askOutcomeSchema },
  /** Codex does a task in an isolated copy of the workspace (the delegate tool's args); the server never writes the workspace. */
  delegate: { params: z.object({ args: z.record(z.string(), z.unknown()) }), result: delegateResponseSchema },
  /** Removes a delegate's copy: its change was applied by the editor, or discarded. */
  discardChange: { params: z.object({ changeId: z.string().min(1) }).strict(), result: z.object({ discarded: z.boolean() }) },
} as const;

export type ControlMethod = keyof typeof controlMethods;
export type ControlParams<M extends ControlMethod> = z.infer<(typeof controlMethods)[M]["params"]>;
export type ControlResult<M extends ControlMethod> = z.infer<(typeof controlMethods)[M]["result"]>;
export type AskOutcome = z.infer<typeof askOutcomeSchema>;
export type DelegateResponse = z.infer<typeof delegateResponseSchema>;

/** What the editor writes to the pipe. */
export interface ControlRequestMessage<M extends ControlMethod = ControlMethod> {
  type: "request";
  requestId: number;
  method: M;
  params: ControlParams<M>;
}

export const controlRequestMessageSchema = z.object({
  type: z.literal("request"),
  requestId: z.number().int(),
  method: z.enum(Object.keys(controlMethods) as [ControlMethod, ...ControlMethod[]]),
  params: z.unknown(),
});

// ── events and responses (server → editor) ───────────────────────────────────────────────────────────────

export const controlEventSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("turnStarted"),
    id: z.string(),
    tool: askToolSchema,
    client: z.string().nullable(),
    summary: z.string(),
    startedAt: z.number(),
    /** The Codex session it runs on, and whether that is a fork of the main one (a parallel turn). */
    sessionId: z.string().nullable().optional(),
    forked: z.boolean().optional(),
  }),
  z.object({ type: z.literal("turnProgress"), id: z.string(), answerTail: z.string(), thoughtTail: z.string(), activity: z.string().nullable(), elapsedMs: z.number() }),
  z.object({
    type: z.literal("turnFinished"),
    id: z.string(),
    tool: askToolSchema,
    client: z.string().nullable(),
    summary: z.string(),
    result: turnResultSchema,
    activity: z.array(z.string()),
    isError: z.boolean(),
    error: z.string().nullable(),
    errorCode: z.enum(ERROR_CODES).nullable(),
  }),
  /** A request held for a decision (Claude's permit, the person in the editor, or the timeout). */
  z.object({ type: z.literal("permissionPending"), request: permissionViewSchema }),
  /** A held request was decided, timed out or withdrawn. */
  z.object({
    type: z.literal("permissionResolved"),
    id: z.string(),
    turnId: z.string().nullable(),
    decision: permissionDecisionSchema,
    source: permissionSourceSchema,
    note: z.string().optional(),
  }),
  /** The guardian's policy decided a request without waiting for anyone: never pending, one event. */
  z.object({ type: z.literal("permissionDecidedByPolicy"), request: permissionViewSchema, decision: permissionDecisionSchema, note: z.string() }),
  z.object({ type: z.literal("serverState"), state: z.enum(["ready", "busy", "error"]), status: serverStatusSchema }),
  z.object({ type: z.literal("listening"), url: z.string(), token: z.string(), pid: z.number(), version: z.string() }),
]);

export type ControlEvent = z.infer<typeof controlEventSchema>;

export type ControlResponseMessage =
  | { type: "response"; requestId: number; ok: true; result: unknown }
  | { type: "response"; requestId: number; ok: false; error: z.infer<typeof errorSchema> };

/** Everything the server writes to the pipe. */
export type ServerMessage = ControlEvent | ControlResponseMessage;
