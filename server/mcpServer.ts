// One MCP server instance per connected client, all sharing the workspace's Codex session.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CodexSession } from "./agent/session";
import { SERVER_INSTRUCTIONS } from "./tools/descriptions";
import { registerTools } from "./tools/register";
import { registerPrompts } from "./tools/prompts";
import { VERSION } from "./version";

export function createMcpServer(session: CodexSession): McpServer {
  const server = new McpServer({ name: "codex-fusion", title: "Codex Fusion", version: VERSION }, { instructions: SERVER_INSTRUCTIONS, capabilities: { tools: {}, prompts: {} } });
  registerTools(server, session);
  registerPrompts(server);
  return server;
}
