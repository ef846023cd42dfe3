// Who may talk to the HTTP transport: loopback Host with our port, a loopback Origin when one is sent,
// and the bearer token (checked by the MCP SDK's bearer middleware with our constant-time verifier).
import { timingSafeEqual, createHash } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { OAuthTokenVerifier } from "@modelcontextprotocol/sdk/server/auth/provider.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { InvalidTokenError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { sendJsonRpcError } from "./jsonRpcError";

export const LOOPBACK_HOSTNAMES = ["127.0.0.1", "localhost", "[::1]"];
const LOOPBACK_BINDS = new Set(["127.0.0.1", "::1", "localhost"]);

export function isLoopbackBind(host: string): boolean {
  return LOOPBACK_BINDS.has(host);
}

/** Compares digests, so neither the length nor the content of the token leaks through timing. */
export function tokensMatch(presented: string, expected: string): boolean {
  const a = createHash("sha256").update(presented).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

export function tokenVerifier(expected: string): OAuthTokenVerifier {
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      if (!tokensMatch(token, expected)) throw new InvalidTokenError("Invalid token");
      // A local shared secret: valid while the server lives (the SDK insists on an expiry).
      return { token, clientId: "local", scopes: [], expiresAt: Math.floor(Date.now() / 1000) + 3600 };
    },
  };
}


/** The SDK checks the Host name; this adds what it leaves out: our port, and a loopback Origin. */
export function portAndOriginGuard(port: () => number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const host = req.headers.host ?? "";
    const hostPort = /:(\d+)$/.exec(host)?.[1];
    if (hostPort !== String(port())) return sendJsonRpcError(res, 403, `Invalid Host: ${host}`);
    const origin = req.headers.origin;
    if (origin !== undefined) {
      let hostname: string;
      try {
        hostname = new URL(origin).hostname;
      } catch {
        return sendJsonRpcError(res, 403, `Invalid Origin: ${origin}`);
      }
      if (!LOOPBACK_HOSTNAMES.includes(hostname)) return sendJsonRpcError(res, 403, `Invalid Origin: ${origin}`);
    }
    next();
  };
}
