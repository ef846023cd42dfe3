// The floor for §10: the least an MCP server on Node can do to answer `consult` from an ACP agent — the MCP SDK's
// McpServer and stdio transport, the ACP SDK's client and ndjson stream, one session, the question passed through,
// the answer's text returned (no prompt, no findings, no structuredContent, no guardian). What this adds over
// direct ACP is what Node and the two SDKs cost by themselves; what dist/server.js adds beyond it is its own.
// Bundled by esbuild.mjs to out/bench-floor-server.js; the agent's argv comes as JSON in CODEX_FUSION_ACP_COMMAND.
import { spawn } from "node:child_process";
import { Readable, Writable } from "node:stream";
import * as acp from "@agentclientprotocol/sdk";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const argv = JSON.parse(process.env.CODEX_FUSION_ACP_COMMAND ?? "[]") as string[];
const agent = spawn(argv[0]!, argv.slice(1), { stdio: ["pipe", "pipe", "ignore"] });
process.stdin.once("end", () => agent.kill());

let answer = "";
const connection = acp
  .client({ name: "bench-floor" })
  .onNotification("session/update", (ctx) => {
    const update = ctx.params.update;
    if (update.sessionUpdate === "agent_message_chunk" && update.content.type === "text") answer += update.content.text;
  })
  .connect(acp.ndJsonStream(Writable.toWeb(agent.stdin!) as WritableStream<Uint8Array>, Readable.toWeb(agent.stdout!) as ReadableStream<Uint8Array>));

let session: Promise<string> | undefined;
async function openSession(): Promise<string> {
  await connection.agent.request("initialize", { protocolVersion: acp.PROTOCOL_VERSION, clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false } });
  const { sessionId } = await connection.agent.request("session/new", { cwd: process.cwd(), mcpServers: [] });
  return sessionId;
}

const server = new McpServer({ name: "bench-floor", version: "1.0.0" });
server.registerTool("consult", { description: "Ask the agent.", inputSchema: { question: z.string() } }, async ({ question }) => {
  session ??= openSession();
  const sessionId = await session;
  answer = "";
  await connection.agent.request("session/prompt", { sessionId, prompt: [{ type: "text", text: question }] });
  return { content: [{ type: "text", text: answer }] };
});
void server.connect(new StdioServerTransport());
