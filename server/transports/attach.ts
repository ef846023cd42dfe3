// Stdio attach: forwards every JSON-RPC message between a stdio client (e.g. Claude Code in the editor's
// terminal) and the HTTP server the editor runs, so both share one Codex session. Messages pass through
// untouched, so progress notifications and cancellations keep working; a modern client's are adapted first.
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { isJSONRPCRequest, type JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { SERVER_IDENTITY } from "../mcpServer";
import { ModernBridge } from "../tasks/bridge";
import type { DiscoveryRecord } from "./discovery";
import { SafeStdioTransport } from "./stdio";

/** Whether the discovered server answers with this token (a quick check before committing to it). */
export async function serverAnswers(record: DiscoveryRecord, timeoutMs = 1500): Promise<boolean> {
  try {
    const response = await fetch(new URL("/healthz", record.url), {
      headers: { authorization: `Bearer ${record.token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    return response.ok;
  } catch {
    return false;
  }
}

export async function runAttach(record: DiscoveryRecord, maxMessageBytes: number, onClosed: () => void): Promise<void> {
  // A modern (2026-07-28) client is served by the bridge; the editor's server below it speaks 2025-11-25 (ADR 0071).
  const local = new ModernBridge(new SafeStdioTransport(maxMessageBytes), SERVER_IDENTITY);
  const remote = new StreamableHTTPClientTransport(new URL(record.url), {
    requestInit: { headers: { authorization: `Bearer ${record.token}` } },
  });
  let closing = false;
  const close = () => {
    if (closing) return;
    closing = true;
    void Promise.allSettled([remote.terminateSession(), remote.close(), local.close()]).then(onClosed);
  };

  local.onmessage = (message: JSONRPCMessage) => {
    remote.send(message).catch((error: Error) => {
      // The editor's server went away: answer the request instead of leaving the client hanging.
      if (isJSONRPCRequest(message)) {
        void local.send({ jsonrpc: "2.0", id: message.id, error: { code: -32000, message: `Codex Fusion server at ${record.url} is unreachable (${error.message}); restart the editor's server or run with --standalone` } });
      }
      process.stderr.write(`codex-fusion-mcp attach: ${error.message}\n`);
    });
  };
  remote.onmessage = (message: JSONRPCMessage) => void local.send(message);
  remote.onerror = (error: Error) => process.stderr.write(`codex-fusion-mcp attach: ${error.message}\n`);
  local.onclose = close;
  remote.onclose = close;

  await remote.start();
  await local.start();
  process.stderr.write(`codex-fusion-mcp: attached to the editor's server for ${record.workspace} (pid ${record.pid})\n`);
}
