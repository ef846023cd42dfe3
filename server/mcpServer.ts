// One MCP server instance per connected client, all sharing the workspace's Codex session.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CodexSession } from "./agent/session";
import type { ServerIdentity } from "./tasks/modern";
import { SERVER_INSTRUCTIONS } from "./tools/descriptions";
import { registerTools } from "./tools/register";
import { registerPrompts } from "./tools/prompts";
import { VERSION } from "./version";

/** Who this server is and what it offers, for initialize (the SDK) and server/discover (the modern bridge) alike. */
export const SERVER_IDENTITY: ServerIdentity = {
  info: { name: "codex-fusion", title: "Codex Fusion", version: VERSION },
  capabilities: { tools: {}, prompts: {} },
  instructions: SERVER_INSTRUCTIONS,
};

export function createMcpServer(session: CodexSession): McpServer {
  const server = new McpServer({ ...SERVER_IDENTITY.info }, { instructions: SERVER_INSTRUCTIONS, capabilities: { tools: {}, prompts: {} } });
  registerTools(server, session);
  registerPrompts(server);
  return server;
}
