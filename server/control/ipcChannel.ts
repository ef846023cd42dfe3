// The editor's control channel, carried over the IPC pipe of a child process started by the extension: events out,
// typed requests in (server/protocol/control.ts pairs each method with its params and result). Only the parent that
// spawned us can reach the pipe, so it needs no token.
import type { CodexSession } from "../agent/session";
import {
  controlMethods,
  controlRequestMessageSchema,
  type ControlMethod,
  type ControlParams,
  type ControlResult,
  type ServerMessage,
} from "../protocol/control";
import { EDITOR_CLIENT } from "../protocol/constants";
import type { ProtocolError } from "../protocol/errors";
import { runAsk } from "../tools/ask";
import { ASK_TOOL_TABLE } from "../tools/askTools";
import { ProgressReporter } from "../progress";
import { continueEarlier, listEarlier } from "../sessions/commands";
import { editorDelegate } from "./editorDelegate";

type Send = (message: ServerMessage) => void;
type Handlers = { [M in ControlMethod]: (params: ControlParams<M>) => Promise<ControlResult<M>> };

/** A command that failed for a reason the editor decides on (by its code). */
class CommandError extends Error {
  constructor(readonly failure: ProtocolError) {
    super(failure.message);
  }
}

function handlers(session: CodexSession): Handlers {
  return {
    async decidePermission({ id, decision, note }) {
      const outcome = session.broker.decide(id, decision, "editor", note);
      if (!outcome.ok) throw new CommandError({ code: outcome.code, message: outcome.reason });
      return {};
    },
    async cancelTurn({ id }) {
      return { cancelled: session.cancelTurnById(id) };
    },
    async resetSession() {
      return { message: await session.reset() };
    },
    async getStatus() {
      return session.status();
    },
    async listSessions() {
      return { sessions: await listEarlier(session) };
    },
    async continueSession({ sessionId }) {
      const outcome = await continueEarlier(session, sessionId);
      if (!outcome.ok) throw new CommandError(outcome.error);
      return { message: outcome.message };
    },
    delegate: ({ args }) => editorDelegate(session, args),
    async discardChange({ changeId }) {
      return { discarded: await session.delegates.discard(changeId) };
    },
    async ask({ tool, args }) {
      const parsed = ASK_TOOL_TABLE[tool].schema.safeParse(args);
      if (!parsed.success) {
        const why = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
        throw new CommandError({ code: "invalid_argument", message: `Invalid arguments for ${tool}: ${why}` });
      }
      // The editor's commands are one caller: its Reply continues the editor's last ask, never Claude's.
      const outcome = await runAsk(session, tool, parsed.data, { client: EDITOR_CLIENT, caller: EDITOR_CLIENT, progress: new ProgressReporter(null) });
      switch (outcome.kind) {
        case "error":
          return { turnId: null, status: "failed", result: null, error: outcome.error };
        case "failed":
          return { turnId: outcome.turnId, status: "failed", result: outcome.result, error: outcome.error };
        default:
          return { turnId: outcome.turnId, status: outcome.kind, result: outcome.result, error: null };
      }
    },
  };
}

export function attachIpcControl(session: CodexSession, send: Send, onMessage: (handler: (message: unknown) => void) => void): void {
  const table = handlers(session);
  session.on("control", send);
  onMessage((message) => {
    const request = controlRequestMessageSchema.safeParse(message);
    if (!request.success) return; // not ours (or not a request): the pipe carries nothing else we answer
    const { requestId, method } = request.data;
    const reply = (outcome: { ok: true; result: unknown } | { ok: false; error: ProtocolError }) => send({ type: "response", requestId, ...outcome });
    const params = controlMethods[method].params.safeParse(request.data.params ?? {});
    if (!params.success) {
      reply({ ok: false, error: { code: "invalid_argument", message: `Invalid params for ${method}: ${params.error.issues.map((issue) => issue.message).join("; ")}` } });
      return;
    }
    const handler = table[method] as (params: unknown) => Promise<unknown>;
    handler(params.data).then(
      (result) => reply({ ok: true, result }),
      (error: unknown) => reply({ ok: false, error: error instanceof CommandError ? error.failure : { code: "internal", message: error instanceof Error ? error.message : String(error) } }),
    );
  });
}
