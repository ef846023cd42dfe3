// MCP 2026-07-28 over the HTTP transport (ADR 0074). Modern HTTP requests carry no Mcp-Session-Id, and two instances
// of one client send the same ids (both start at 0) and the same progress tokens. So each caller key (bearer token +
// clientInfo name and version: the only identity a request carries) gets one modern bridge over one MCP server, and
// every POST is its own exchange: its id and progress token are swapped for ones of the exchange's own on the way in
// and restored on the way out, so answers and progress go back on the POST they belong to.
import { randomUUID } from "node:crypto";
import type express from "express";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { isJSONRPCNotification, isJSONRPCRequest, type JSONRPCMessage, type ProgressToken, type RequestId } from "@modelcontextprotocol/sdk/types.js";
import { META, MODERN_VERSION, isModernRequest, metaOf } from "../tasks/modern";

/** One POST waiting for its answer: the client's own id and progress token, and where the answer goes. */
interface Exchange {
  clientId: RequestId;
  clientToken: ProgressToken | undefined;
  res: express.Response;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A sessionless POST of the modern revision: one request that names it, or a message under its protocol header. */
export function isModernHttpMessage(body: unknown, protocolHeader: string | undefined): body is JSONRPCMessage {
  if (!isObject(body) || body.jsonrpc !== "2.0") return false;
  const message = body as JSONRPCMessage;
  return (isJSONRPCRequest(message) && isModernRequest(message)) || protocolHeader === MODERN_VERSION;
}

/** Who is calling, as far as a modern request can tell: the bearer token and the client's declared name and version. */
export function callerKey(token: string, message: JSONRPCMessage): string {
  const info = metaOf(message)[META.clientInfo];
  const name = isObject(info) && typeof info.name === "string" ? info.name : "mcp-client";
  const version = isObject(info) && typeof info.version === "string" ? info.version : "0";
  return JSON.stringify([token, name, version]);
}

/** The client side of one caller's bridge: POSTs in, answers and their progress out as SSE on the same POST. */
export class ModernHttpExchanges implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private readonly byId = new Map<string, Exchange>();
  private readonly byToken = new Map<string, Exchange>();
  private closed = false;

  async start(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const exchange of this.byId.values()) exchange.res.end();
    this.byId.clear();
    this.byToken.clear();
    this.onclose?.();
  }

  /** Requests not answered yet: a caller with any is never idle. */
  pending(): number {
    return this.byId.size;
  }

  /** One POST. A notification is taken (202); a request is answered on this response as an SSE stream. */
  handle(message: JSONRPCMessage, res: express.Response): void {
    if (!isJSONRPCRequest(message)) {
      res.status(202).end();
      // Cancelling by the client's id is ambiguous across instances; only a request of this caller alone is matched.
      if (isJSONRPCNotification(message) && message.method === "notifications/cancelled") return this.cancelled(message);
      this.onmessage?.(message);
      return;
    }
    const id = `http-${randomUUID()}`;
    const params = isObject(message.params) ? message.params : {};
    const meta = metaOf(message);
    const given = meta.progressToken;
    const clientToken = typeof given === "string" || typeof given === "number" ? given : undefined;
    const exchange: Exchange = { clientId: message.id, clientToken, res };
    this.byId.set(id, exchange);
    if (clientToken !== undefined) this.byToken.set(id, exchange);
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive" });
    res.flushHeaders();
    // A client that hangs up before its answer wants nothing more: the same as its MCP cancellation.
    res.on("close", () => {
      if (!this.byId.delete(id)) return;
      this.byToken.delete(id);
      this.onmessage?.({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: "client disconnected" } });
    });
    const swapped = clientToken === undefined ? meta : { ...meta, progressToken: id };
    this.onmessage?.({ ...message, id, params: { ...params, _meta: swapped } });
  }

  /** From the bridge: answers end their POST; progress goes out on the POST that asked for it; the rest has no stream. */
  async send(message: JSONRPCMessage): Promise<void> {
    if ("id" in message && ("result" in message || "error" in message) && typeof message.id === "string") {
      const exchange = this.byId.get(message.id);
      if (!exchange) return;
      this.byId.delete(message.id);
      this.byToken.delete(message.id);
      this.write(exchange, { ...message, id: exchange.clientId } as JSONRPCMessage);
      exchange.res.end();
      return;
    }
    if (isJSONRPCNotification(message) && message.method === "notifications/progress" && isObject(message.params)) {
      const token = message.params.progressToken;
      const exchange = typeof token === "string" ? this.byToken.get(token) : undefined;
      if (exchange?.clientToken !== undefined) this.write(exchange, { ...message, params: { ...message.params, progressToken: exchange.clientToken } });
    }
  }

  private write(exchange: Exchange, message: JSONRPCMessage): void {
    if (!exchange.res.writableEnded) exchange.res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  private cancelled(message: JSONRPCMessage): void {
    const requestId = isObject(message) && "params" in message && isObject(message.params) ? message.params.requestId : undefined;
    const matches = [...this.byId.entries()].filter(([, exchange]) => exchange.clientId === requestId);
    if (matches.length !== 1) return;
    const [id] = matches[0]!;
    this.byId.delete(id);
    this.byToken.delete(id);
    matches[0]![1].res.end();
    this.onmessage?.({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: id, reason: "The client cancelled the request." } });
  }
}
