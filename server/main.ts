// CLI: flags → config → transport. Nothing else lives here.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { ConfigError, loadConfig } from "./config";
import { CodexSession } from "./agent/session";
import { createMcpServer } from "./mcpServer";
import { turnLogger } from "./log";
import { VERSION } from "./version";

const USAGE = `codex-fusion-mcp ${VERSION} — the Codex Fusion MCP server (Claude proposes, Codex reviews, Claude reconciles)

Usage: codex-fusion-mcp [--help] [--version]
  (no flags)   serve MCP over stdio

Environment: CODEX_FUSION_WORKSPACE, CODEX_FUSION_ACP_COMMAND, CODEX_FUSION_TURN_TIMEOUT_MS,
CODEX_FUSION_PERMISSION_TIMEOUT_MS, CODEX_FUSION_CANCEL_GRACE_MS, CODEX_FUSION_LOG, CODEX_FUSION_MODEL,
CODEX_FUSION_EFFORT, CODEX_FUSION_ALLOW_EXTERNAL_READS, CODEX_FUSION_ALLOW_WRITES, CODEX_FUSION_ALLOW_COMMANDS.
See the README for what each does.
`;

// stdout belongs to the protocol: anything a library logs goes to stderr.
console.log = console.info = console.debug = console.warn = console.error;

function which(command: string): string | null {
  const exts = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext.toLowerCase());
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

async function main(): Promise<void> {
  let flags;
  try {
    flags = parseArgs({ options: { help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" } }, strict: true }).values;
  } catch (error) {
    process.stderr.write(`codex-fusion-mcp: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (flags.help) return void process.stdout.write(USAGE);
  if (flags.version) return void process.stdout.write(`${VERSION}\n`);

  let config;
  try {
    config = loadConfig({ env: process.env, cwd: process.cwd(), which, isDirectory: (p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`codex-fusion-mcp: invalid configuration — ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const session = new CodexSession(config);
  if (config.logFile) session.on("control", turnLogger(config.logFile));

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await session.shutdown().catch(() => undefined);
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(130));
  process.on("SIGTERM", () => void stop(143));
  process.on("exit", () => session.killNow());
  // A bad call must never take the server down: log and keep serving.
  process.on("uncaughtException", (error) => process.stderr.write(`codex-fusion-mcp: unexpected error: ${error.stack ?? error}\n`));
  process.on("unhandledRejection", (error) => process.stderr.write(`codex-fusion-mcp: unhandled rejection: ${(error as Error)?.stack ?? error}\n`));

  const server = createMcpServer(session);
  const transport = new StdioServerTransport();
  transport.onclose = () => void stop(0);
  process.stdin.on("end", () => void stop(0));
  await server.connect(transport);
}

void main();
