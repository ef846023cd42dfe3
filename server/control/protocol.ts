// The one definition of every message between the server and the editor (shared by server/ and extension/).
// Types, one constant and tiny guards: importing this file pulls in no runtime from either side.

/** How the editor's own asks are labelled in turn events. */
export const EDITOR_CLIENT = "VS Code (Codex Fusion)";

export type PermissionDecision = "allow" | "allow_session" | "deny";
/** Who settled a permission request. */
export type PermissionSource = "claude" | "editor" | "policy" | "timeout" | "withdrawn";
export type PermissionCategory = "read" | "edit" | "command" | "network" | "other";

/** A permission request as shown to a person or a model. */
export interface PermissionView {
  id: string;
  turnId: string | null;
  kind: string;
  category: PermissionCategory;
  title: string;
  /** What Codex wants, in one line: "run `npm test` in ./pkg", "edit 3 files in src/". */
  summary: string;
  command: string | null;
  cwd: string | null;
  paths: string[];
  /** Why the guardian asks instead of allowing. */
  reason: string;
  /** What Codex said it wants it for, when the agent says. */
  justification: string | null;
  /** A short preview of the change for edits (unified-ish text), when known. */
  diffPreview: string | null;
  options: { optionId: string; name: string; kind: string }[];
  createdAt: number;
}

export type Severity = "blocker" | "major" | "minor";

export interface Finding {
  severity: Severity;
  file?: string;
  line?: number;
  text: string;
}

export type Verdict = "consensus" | "open" | null;

/** What every ask returns as structuredContent. */
export interface TurnResult {
  answer: string;
  verdict: Verdict;
  verdictText: string | null;
  findings: Finding[];
  stopReason: string;
  durationMs: number;
  tokens?: { input?: number; output?: number; total?: number };
  sessionId: string | null;
  /** Set when the agent was restarted before this turn: whether Codex kept its context. */
  contextNote?: string;
  /** Set when the turn is paused waiting for a decision. */
  pendingPermission?: PermissionView;
  notes?: string[];
}

export type AskTool = "consult" | "review_plan" | "review_diff" | "brainstorm" | "explore" | "reply";

export interface ServerStatus {
  workspace: string;
  agentCommand: string[];
  agentAlive: boolean;
  agentPid: number | null;
  sessionId: string | null;
  mode: string | null;
  modeWarning: string | null;
  turn: { id: string; tool: string; client: string | null; elapsedMs: number; waitingForPermission: boolean } | null;
  queued: number;
  pendingPermissions: PermissionView[];
  guardian: { allowExternalReads: boolean; allowWrites: boolean; allowCommands: boolean };
  lastError: string | null;
  advice: string | null;
}

/** Server → editor. */
export type ControlEvent =
  | { type: "turnStarted"; id: string; tool: string; client: string | null; summary: string; startedAt: number }
  | { type: "turnProgress"; id: string; answerTail: string; thoughtTail: string; activity: string | null; elapsedMs: number }
  | { type: "turnFinished"; id: string; tool: string; client: string | null; summary: string; result: TurnResult; activity: string[]; isError: boolean; error: string | null }
  | { type: "permissionPending"; request: PermissionView }
  | { type: "permissionResolved"; id: string; decision: PermissionDecision; source: PermissionSource; note?: string }
  | { type: "serverState"; state: "ready" | "busy" | "error"; status: ServerStatus }
  | { type: "listening"; url: string; token: string; pid: number; version: string }
  | { type: "response"; requestId: number; ok: boolean; result?: unknown; error?: string };

/** Editor → server. Each carries a requestId answered by a `response` event. */
export type ControlCommand =
  | { type: "decidePermission"; requestId: number; id: string; decision: PermissionDecision; note?: string }
  | { type: "cancelTurn"; requestId: number }
  | { type: "resetSession"; requestId: number }
  | { type: "getStatus"; requestId: number }
  /** Runs an ask through the server like any other client (the editor's own commands). */
  | { type: "ask"; requestId: number; tool: AskTool; args: Record<string, unknown> };

/** The result of an `ask` command: what an MCP client would get, already shaped. */
export interface AskResponse {
  isError: boolean;
  text: string;
  result: TurnResult | null;
}

/** A command before the channel numbers it. */
export type ControlRequest = ControlCommand extends infer C ? (C extends ControlCommand ? Omit<C, "requestId"> : never) : never;

export function isControlCommand(value: unknown): value is ControlCommand {
  if (typeof value !== "object" || value === null) return false;
  const { type, requestId } = value as { type?: unknown; requestId?: unknown };
  return typeof requestId === "number" && (type === "decidePermission" || type === "cancelTurn" || type === "resetSession" || type === "getStatus" || type === "ask");
}
