// MCP Streamable HTTP on loopback: stateful MCP sessions (and sessionless 2026-07-28 callers, httpModern.ts), SSE
// responses (headers go out at once), several clients sharing the workspace's one Codex session. Guards: loopback Host + port, Origin, bearer token, body cap.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type * as http from "node:http";
import express from "express";
import { hostHeaderValidation } from "@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js";
import { requireBearerAuth } from "@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { isInitializeRequest, isJSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CodexSession } from "../agent/session";
import { createMcpServer } from "../mcpServer";
import { ModernBridge } from "../tasks/bridge";
import { SERVER_IDENTITY } from "../mcpServer";
import { ModernHttpExchanges, callerKey, isModernHttpMessage } from "./httpModern";
import { LOOPBACK_HOSTNAMES, isLoopbackBind, portAndOriginGuard, tokenVerifier } from "./httpGuards";
import { sendJsonRpcError } from "./jsonRpcError";

export const MAX_BODY = "8mb";

export interface HttpServerHandle {
  url: string;
  port: number;
  clients(): number;
  close(): Promise<void>;
}

/**
 * A client that drops the connection while its call runs would otherwise leave Codex working for nobody and
 * the session's queue blocked: treat the hang-up as the MCP cancellation the client never sent.
 */
function cancelOnDisconnect(req: express.Request, res: express.Response, transport: StreamableHTTPServerTransport): void {
  const messages: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
  const ids = messages.filter(isJSONRPCRequest).map((message) => message.id);
  if (ids.length === 0) return;
  res.on("close", () => {
    if (res.writableFinished) return;
    for (const requestId of ids) {
      transport.onmessage?.({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId, reason: "client disconnected" } });
    }
  });
}

interface McpSession {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  lastUsed: number;
  /** Requests (and open SSE streams) not finished yet: a session with any is never idle. */
  inFlight: number;
}

/** A modern (2026-07-28) caller: no MCP session, one bridge and server per caller key (ADR 0074). */
interface ModernCaller {
  exchanges: ModernHttpExchanges;
  bridge: ModernBridge;
  lastUsed: number;
}

/** Counts the request against the session until its response is done (a GET stream stays open while listened to). */
function track(entry: McpSession, res: express.Response): void {
  entry.inFlight += 1;
  entry.lastUsed = Date.now();
  res.on("close", () => {
    entry.inFlight -= 1;
    entry.lastUsed = Date.now();
  });
}

export async function startHttpServer(session: CodexSession, options: { host: string; port: number; token: string; sessionIdleMs: number }): Promise<HttpServerHandle> {
  if (!isLoopbackBind(options.host)) throw new Error(`refusing to listen on ${options.host}: the HTTP transport binds loopback only (127.0.0.1, ::1 or localhost)`);
  const sessions = new Map<string, McpSession>();
  const callers = new Map<string, ModernCaller>();
  let port = options.port;
  // A client that went away without DELETE leaves its session behind: close sessions nobody has used for a while.
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const entry of sessions.values()) {
      if (entry.inFlight === 0 && now - entry.lastUsed > options.sessionIdleMs) void entry.transport.close().catch(() => undefined);
    }
    for (const caller of callers.values()) {
      if (caller.exchanges.pending() === 0 && !caller.bridge.busy() && now - caller.lastUsed > options.sessionIdleMs) void caller.bridge.close().catch(() => undefined);
    }
  }, Math.max(50, Math.min(options.sessionIdleMs / 2, 60_000)));
  sweeper.unref();

  const app = express();
  app.disable("x-powered-by");
  app.use(hostHeaderValidation(LOOPBACK_HOSTNAMES));
  app.use(portAndOriginGuard(() => port));
  app.use(requireBearerAuth({ verifier: tokenVerifier(options.token) }));
  app.use(express.json({ limit: MAX_BODY }));

  app.get("/healthz", (_req, res) => {
    res.json({ ok: true, pid: process.pid, clients: sessions.size + callers.size, modernCallers: callers.size });
  });

  app.post("/mcp", async (req, res) => {
    const id = req.header("mcp-session-id");
    if (!id && isModernHttpMessage(req.body, req.header("mcp-protocol-version"))) {
      await serveModern(req, res);
      return;
    }
    let entry = id ? sessions.get(id) : undefined;
    if (!entry) {
      if (id || !isInitializeRequest(req.body)) {
        sendJsonRpcError(res, id ? 404 : 400, id ? "Unknown MCP session; initialize again" : "Send initialize first");
        return;
      }
      const server = createMcpServer(session);
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (sessionId) => {
          if (created) sessions.set(sessionId, created);
        },
      });
      const created: McpSession = { transport, server, lastUsed: Date.now(), inFlight: 0 };
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await server.connect(transport);
      entry = created;
    }
    const transport = entry.transport;
    track(entry, res);
    cancelOnDisconnect(req, res, transport);
    await transport.handleRequest(req, res, req.body);
  });

  /** A modern request: to its caller's bridge (made on first use), answered on this very POST. */
  const serveModern = async (req: express.Request, res: express.Response) => {
    const key = callerKey(req.auth?.token ?? "", req.body);
    let caller = callers.get(key);
    if (!caller) {
      const exchanges = new ModernHttpExchanges();
      const bridge = new ModernBridge(exchanges, SERVER_IDENTITY);
      const created: ModernCaller = { exchanges, bridge, lastUsed: Date.now() };
      bridge.onclose = () => {
        if (callers.get(key) === created) callers.delete(key);
      };
      callers.set(key, created);
      await createMcpServer(session).connect(bridge);
      caller = created;
    }
    caller.lastUsed = Date.now();
    caller.exchanges.handle(req.body, res);
  };

  const existing = async (req: express.Request, res: express.Response) => {
    const id = req.header("mcp-session-id");
    const entry = id ? sessions.get(id) : undefined;
    if (!entry) {
      sendJsonRpcError(res, 404, "Unknown MCP session");
      return;
    }
    track(entry, res);
    await entry.transport.handleRequest(req, res);
  };
  app.get("/mcp", existing);
  app.delete("/mcp", existing);

  // Errors (e.g. a body over the cap) answer as JSON-RPC and never reach the process.
  app.use((error: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = error.status ?? 500;
    const message = error.type === "entity.too.large" ? `Request body over ${MAX_BODY}` : status === 400 ? "Invalid JSON" : "Internal error";
    sendJsonRpcError(res, status, message);
  });

  const listener: http.Server = await new Promise((resolve, reject) => {
    const server = app.listen(options.port, options.host, () => resolve(server));
    server.once("error", reject);
  });
  port = (listener.address() as AddressInfo).port;
  const hostForUrl = options.host === "::1" ? "[::1]" : options.host;
  return {
    url: `http://${hostForUrl}:${port}/mcp`,
    port,
    clients: () => sessions.size + callers.size,
    close: async () => {
      clearInterval(sweeper);
      await Promise.all([...sessions.values()].map(({ transport }) => transport.close().catch(() => undefined)));
      await Promise.all([...callers.values()].map(({ bridge }) => bridge.close().catch(() => undefined)));
      listener.closeAllConnections();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}
