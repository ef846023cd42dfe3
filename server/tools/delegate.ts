// The `delegate` tool: Codex does a task in an isolated copy of the workspace and hands back the change as a patch
// (server/copies/). Also how `reply` and `permit` reach a delegate: the caller's latest call was one, or names it.
import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type { CallToolResult, ServerNotification, ServerRequest } from "@modelcontextprotocol/sdk/types.js";
import type { CodexSession } from "../agent/session";
import type { DelegateOutcome } from "../copies/delegates";
import { delegateAsTurnResult, delegateErrorResult, delegateToolResult } from "../copies/delegateResult";
import { delegateResultSchema } from "../protocol/delegate";
import type { PermissionDecision } from "../protocol/results";
import type { ProgressReporter } from "../progress";
import { DELEGATE_DESCRIPTION } from "./delegateDescription";
import { MAX_INPUT_CHARS, askOptions } from "./schemas";
import type { AskInput } from "./schemas";

export const delegateInput = {
  task: z.string().trim().min(1, "task must not be empty").max(MAX_INPUT_CHARS, "task is too long — point Codex at the files instead (it reads the copy itself)").describe("What to do, and how to know it is done: Codex changes the files of its own copy of the workspace to do it."),
  paths: z.array(z.string().min(1)).max(200).optional().describe("Files or folders to focus on."),
  verify: z.string().trim().min(1).max(2000).optional().describe("A command Codex should run in its copy to check its work (e.g. `npm test`); the result says how it went."),
  ...askOptions,
};

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

interface Context {
  caller: string;
  client: () => string | null;
  progress: (extra: Extra) => ProgressReporter;
}

function finish(outcome: DelegateOutcome, progress: ProgressReporter, shape: (outcome: Extract<DelegateOutcome, { kind: "result" }>["result"]) => CallToolResult): CallToolResult {
  if (outcome.kind === "error") {
    progress.stop();
    return delegateErrorResult(outcome.error);
  }
  progress.finish(outcome.result.state === "waiting_for_permission" ? "Codex is waiting for a permission decision." : "Codex finished.");
  return shape(outcome.result);
}

export function registerDelegate(server: McpServer, session: CodexSession, context: Context): void {
  server.registerTool(
    "delegate",
    {
      title: "Codex: do a task in a copy of the workspace",
      description: DELEGATE_DESCRIPTION,
      inputSchema: delegateInput,
      outputSchema: delegateResultSchema.shape,
      // Not read-only: the copy is bookkept in the repository's .git, and Codex runs commands in it.
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    },
    async (args, extra) => {
      const progress = context.progress(extra);
      const outcome = await session.delegates.delegate({ ...args, caller: context.caller, client: context.client(), timeoutMs: args.timeoutSec !== undefined ? args.timeoutSec * 1000 : undefined, signal: extra.signal, progress });
      return finish(outcome, progress, delegateToolResult);
    },
  );
}

/** `reply` on a delegate: the change named, or the caller's latest delegate when its latest call was one. Null: not a delegate's. */
export async function replyToDelegate(session: CodexSession, args: AskInput, context: Context & { extra: Extra }): Promise<CallToolResult | null> {
  const change = "change" in args && typeof args.change === "string" ? args.change : undefined;
  if (!session.delegates.continuesDelegate(context.caller, change)) return null;
  const progress = context.progress(context.extra);
  const outcome = await session.delegates.reply({ message: args.message ?? "", change, model: args.model, effort: args.effort, timeoutMs: args.timeoutSec !== undefined ? args.timeoutSec * 1000 : undefined, caller: context.caller, client: context.client(), signal: context.extra.signal, progress });
  return finish(outcome, progress, delegateAsTurnResult);
}

/** `permit` on a delegate's permission request. Null: not a delegate's. */
export async function permitDelegate(session: CodexSession, args: { decision: PermissionDecision; note?: string; id?: string }, context: Context & { extra: Extra }): Promise<CallToolResult | null> {
  if (!session.delegates.ownsPermission(args.id, context.caller)) return null;
  const progress = context.progress(context.extra);
  const outcome = await session.delegates.permit({ decision: args.decision, note: args.note, id: args.id, caller: context.caller, signal: context.extra.signal, progress });
  return finish(outcome, progress, delegateAsTurnResult);
}
