// The one shape every HTTP-level refusal takes: a JSON-RPC error with no id (the request never reached MCP).
import type { Response } from "express";

/** -32000: JSON-RPC's "server error" range, what the MCP SDK itself answers transport-level failures with. */
const SERVER_ERROR = -32000;

export function sendJsonRpcError(res: Response, status: number, message: string): void {
  if (res.headersSent) return;
  res.status(status).json({ jsonrpc: "2.0", error: { code: SERVER_ERROR, message }, id: null });
}
