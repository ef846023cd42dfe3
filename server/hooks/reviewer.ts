// Where a hook's Codex review runs: in the editor's server when one runs for this workspace (found through its
// discovery file, reached over HTTP, so the review shares the editor's Codex session and shows in the editor), else
// in a Codex session of the hook's own, started for this review and ended after it. Both are driven as an MCP client,
// so the review goes through exactly the tools Claude uses.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Config } from "../config";
import { CodexSession } from "../agent/session";
import { createMcpServer } from "../mcpServer";
import { findLiveServer } from "../transports/discovery";
import { serverAnswers } from "../transports/attach";
import { VERSION } from "../version";
import { turnResultSchema, type TurnResult } from "../protocol/results";
import type { ReviewOutcome } from "./gate";

export { GATE_CLIENT } from "../protocol/askers";
import { GATE_CLIENT } from "../protocol/askers";

export interface Reviewer {
  /** "editor": the editor's server; "standalone": a session of the hook's own. */
  where: "editor" | "standalone";
  client: Client;
  close(): Promise<void>;
}

export async function connectReviewer(config: Config): Promise<Reviewer> {
  const client = new Client({ name: GATE_CLIENT, version: VERSION });
  const record = findLiveServer(config.stateDir, config.workspace);
  if (record && (await serverAnswers(record))) {
    const transport = new StreamableHTTPClientTransport(new URL(record.url), { requestInit: { headers: { authorization: `Bearer ${record.token}` } } });
    await client.connect(transport);
    return {
      where: "editor",
      client,
      // End the MCP session on the editor's server too, rather than leave it to expire.
      close: async () => {
        await transport.terminateSession().catch(() => undefined);
        await client.close().catch(() => undefined);
      },
    };
  }
  const session = new CodexSession(config);
  const server = createMcpServer(session);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    where: "standalone",
    client,
    close: async () => {
      await client.close().catch(() => undefined);
      await session.shutdown().catch(() => undefined);
    },
  };
}

/** A paused review is answered with deny: nobody can grant Codex anything while Claude waits to stop. */
const DENY_NOTE = "The review gate runs while Claude waits to stop, so nobody can grant permissions now: review from the diff and what you can read.";
const MAX_PERMISSIONS = 10;

/** One review call (review_diff for the gate, review_plan for the plan checkpoint) followed through any permission pauses, within `timeoutMs` in all. */
export async function runReview(reviewer: Reviewer, args: Record<string, unknown>, timeoutMs: number, tool: "review_diff" | "review_plan" = "review_diff"): Promise<ReviewOutcome> {
  const deadline = AbortSignal.timeout(timeoutMs);
  // The deadline cancels the call (the server then cancels Codex's turn); the SDK's own timeout only backs it up.
  const backstop = timeoutMs + 10_000;
  const call = (name: string, callArgs: Record<string, unknown>) =>
    reviewer.client.callTool({ name, arguments: callArgs }, undefined, { signal: deadline, timeout: backstop, maxTotalTimeout: backstop }) as Promise<CallToolResult>;
  try {
    let result = await call(tool, args);
    for (let asked = 0; paused(result) && asked < MAX_PERMISSIONS; asked++) result = await call("permit", { decision: "deny", note: DENY_NOTE });
    return outcomeOf(result);
  } catch (error) {
    if (deadline.aborted) return { kind: "error", message: `The review did not finish within ${Math.round(timeoutMs / 1000)} s.` };
    return { kind: "error", message: `The review failed: ${(error as Error).message}` };
  }
}

function paused(result: CallToolResult): boolean {
  return !result.isError && turnResultSchema.safeParse(result.structuredContent).data?.pendingPermission !== undefined;
}

function outcomeOf(result: CallToolResult): ReviewOutcome {
  const text = result.content.map((item) => (item.type === "text" ? item.text : "")).join("\n");
  if (result.isError) return { kind: "error", message: text };
  const parsed = turnResultSchema.safeParse(result.structuredContent);
  if (!parsed.success) return { kind: "error", message: "The review came back without a result." };
  const review: TurnResult = parsed.data;
  if (review.pendingPermission) return { kind: "error", message: "Codex kept asking for permissions the gate cannot grant." };
  return { kind: "result", result: review };
}
