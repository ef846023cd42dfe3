// The floor for §10: the least an MCP server on Node can do to answer `consult` from an ACP agent — the MCP SDK's
// McpServer and stdio transport, the ACP SDK's client and ndjson stream, one session, the question passed through,
// the answer's text returned (no prompt, no findings, no structuredContent, no guardian). What this adds over
// direct ACP is what Node and the two SDKs cost by themselves; what dist/server.js adds beyond it is its own.
// Bundled by esbuild.mjs to out/bench-floor-server.js; the agent's argv comes as JSON in CODEX_FUSION_ACP_COMMAND.
import { spawn } from "node:child_process";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { bareAcpClient } from "./bareAcpClient";

const argv = JSON.parse(process.env.CODEX_FUSION_ACP_COMMAND ?? "[]") as string[];
const agent = spawn(argv[0]!, argv.slice(1), { stdio: ["pipe", "pipe", "ignore"] });
process.stdin.once("end", () => agent.kill());

const acpClient = bareAcpClient(agent, "bench-floor");
let session: Promise<string> | undefined;

const server = new McpServer({ name: "bench-floor", version: "1.0.0" });
server.registerTool("consult", { description: "Ask the agent.", inputSchema: { question: z.string() } }, async ({ question }) => {
  session ??= acpClient.openSession(process.cwd());
  const { answer } = await acpClient.prompt(await session, question);
  return { content: [{ type: "text", text: answer }] };
});
void server.connect(new StdioServerTransport());
