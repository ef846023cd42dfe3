// MCP revision 2026-07-28 ("modern"), the parts this server needs beside the 1.x SDK (ADR 0071): what marks a modern
// request, the per-request client identity it carries in `_meta`, the `server/discover` answer, and the Tasks
// extension's identifiers. Everything below the bridge still speaks 2025-11-25.
import type { JSONRPCMessage, JSONRPCRequest } from "@modelcontextprotocol/sdk/types.js";

export const MODERN_VERSION = "2026-07-28";
/** What the bridge tells the 1.x server (or the editor's) in the initialize it makes on a modern client's behalf. */
export const LEGACY_VERSION = "2025-11-25";

export const META = {
  protocolVersion: "io.modelcontextprotocol/protocolVersion",
  clientCapabilities: "io.modelcontextprotocol/clientCapabilities",
  clientInfo: "io.modelcontextprotocol/clientInfo",
  serverInfo: "io.modelcontextprotocol/serverInfo",
} as const;

export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";
export const TASK_METHODS = ["tasks/get", "tasks/cancel", "tasks/update", "tasks/list"] as const;

export interface ServerIdentity {
  info: { name: string; title?: string; version: string };
  capabilities: Record<string, unknown>;
  instructions?: string;
}

type Meta = Record<string, unknown>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function metaOf(message: JSONRPCMessage): Meta {
  const params = "params" in message && isObject(message.params) ? message.params : {};
  return isObject(params._meta) ? params._meta : {};
}

/** A request of the modern revision: it names the revision in its `_meta` (or is one only that revision has). */
export function isModernRequest(message: JSONRPCRequest): boolean {
  return message.method === "server/discover" || metaOf(message)[META.protocolVersion] === MODERN_VERSION;
}

/** Whether the client offered the Tasks extension on this very request (the only offer that counts). */
export function offersTasks(message: JSONRPCRequest): boolean {
  const capabilities = metaOf(message)[META.clientCapabilities];
  return isObject(capabilities) && isObject(capabilities.extensions) && TASKS_EXTENSION in capabilities.extensions;
}

/** The initialize the bridge sends below itself for a modern client, from that client's per-request identity. */
export function initializeParamsFor(message: JSONRPCRequest): Record<string, unknown> {
  const meta = metaOf(message);
  const declared = meta[META.clientInfo];
  const info = isObject(declared) ? declared : { name: "mcp-client", version: "0" };
  const offered = meta[META.clientCapabilities];
  const { extensions: _extensions, ...capabilities } = isObject(offered) ? offered : {};
  return { protocolVersion: LEGACY_VERSION, capabilities, clientInfo: info };
}

/** The `server/discover` answer: this revision, the server's capabilities plus the Tasks extension. */
export function discoverResult(identity: ServerIdentity): Record<string, unknown> {
  return {
    resultType: "complete",
    supportedVersions: [MODERN_VERSION],
    capabilities: { ...identity.capabilities, extensions: { [TASKS_EXTENSION]: {} } },
    ...(identity.instructions ? { instructions: identity.instructions } : {}),
    _meta: { [META.serverInfo]: identity.info },
  };
}

/** A modern result: `resultType` is required on every one; the server names itself in `_meta`. */
export function modernResult(result: Record<string, unknown>, identity: ServerIdentity): Record<string, unknown> {
  const meta = isObject(result._meta) ? result._meta : {};
  return { resultType: "complete", ...result, _meta: { ...meta, [META.serverInfo]: identity.info } };
}
