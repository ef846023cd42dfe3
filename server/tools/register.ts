// Registers the ten tools on one MCP server instance (one instance per connected client). What each returns is
// shaped in results.ts: the same content as text and as structuredContent, since clients forward one or the other.
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type { AskTool } from "../protocol/constants";
import type { CodexSession } from "../agent/session";
import { runAsk } from "./ask";
import { ASK_TOOL_TABLE } from "./askTools";
import { ProgressReporter } from "../progress";
import { DESCRIPTIONS } from "./descriptions";
import { errorResult, outcomeResult } from "./results";
import { inputs, type AskInput } from "./schemas";
import { serverStatusSchema, turnResultSchema } from "../protocol/results";
import { ASK_TOOLS } from "../protocol/constants";
import { statusText } from "../protocol/statusText";
import { permitDelegate, registerDelegate, replyToDelegate } from "./delegate";

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export function progressFor(extra: Extra): ProgressReporter {
  const token = extra._meta?.progressToken;
  if (token === undefined) return new ProgressReporter(null);
  return new ProgressReporter((progress, message) =>
    extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress, message } }),
  );
}

let nextCaller = 1;

/** Registers the tools for one connected client: its asks are one caller's conversation (`reply` continues it). */
export function registerTools(server: McpServer, session: CodexSession): void {
  const clientName = () => server.server.getClientVersion()?.name ?? null;
  const caller = `mcp-${nextCaller++}`;
  // The client went away: the session it continued on (a fork) is closed once idle.
  server.server.onclose = () => session.forgetCaller(caller);
  const context = () => ({ pendingCount: session.broker.list().length });
  const delegateContext = { caller, client: clientName, progress: progressFor };

  const ask = (tool: AskTool) => async (args: AskInput, extra: Extra) => {
    const delegateReply = tool === "reply" ? await replyToDelegate(session, args, { ...delegateContext, extra }) : (session.delegates.noteAsk(caller), null);
    if (delegateReply) return delegateReply;
    const progress = progressFor(extra);
    try {
      const outcome = await runAsk(session, tool, args, { client: clientName(), caller, signal: extra.signal, progress });
      progress.finish(outcome.kind === "permission" ? "Codex is waiting for a permission decision." : "Codex finished.");
      return outcomeResult(outcome, context());
    } catch (error) {
      progress.stop();
      return errorResult({ code: "internal", message: `Internal error in ${tool}: ${error instanceof Error ? error.message : String(error)} — call status, then try again.` });
    }
  };

  for (const tool of ASK_TOOLS) {
    const spec = ASK_TOOL_TABLE[tool];
    server.registerTool(
      tool,
      {
        title: spec.title,
        description: spec.description,
        inputSchema: spec.schema,
        outputSchema: turnResultSchema.shape,
        annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
      },
      ask(tool),
    );
  }

  registerDelegate(server, session, delegateContext);

  server.registerTool(
    "permit",
    {
      title: "Answer Codex's permission request",
      description: DESCRIPTIONS.permit,
      inputSchema: inputs.permit,
      outputSchema: turnResultSchema.shape,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ decision, note, id }, extra) => {
      const delegatePermit = await permitDelegate(session, { decision, note, id }, { ...delegateContext, extra });
      if (delegatePermit) return delegatePermit;
      const progress = progressFor(extra);
      const outcome = await session.permit({ decision, note, id, caller, signal: extra.signal, progress });
      progress.finish(outcome.kind === "permission" ? "Codex is waiting for a permission decision." : "Codex finished.");
      return outcomeResult(outcome, context());
    },
  );

  server.registerTool(
    "status",
    {
      title: "Codex Fusion status",
      description: DESCRIPTIONS.status,
      outputSchema: serverStatusSchema.shape,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async () => {
      const status = session.status();
      return { content: [{ type: "text", text: statusText(status) }], structuredContent: status };
    },
  );

  server.registerTool(
    "reset",
    {
      title: "Reset the Codex session",
      description: DESCRIPTIONS.reset,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async () => ({ content: [{ type: "text", text: await session.reset() }] }),
  );
}
