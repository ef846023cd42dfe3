// CLI: flags → config → transport. Nothing else lives here.
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { ConfigError } from "./config";
import { configFromProcess } from "./processConfig";
import { CodexSession } from "./agent/session";
import { createMcpServer, SERVER_IDENTITY } from "./mcpServer";
import { ModernBridge } from "./tasks/bridge";
import { turnLogger } from "./log";
import { VERSION } from "./version";
import { isLoopbackBind } from "./transports/httpGuards";
import { canonicalWorkspace, findLiveServer, removeDiscovery, writeDiscovery } from "./transports/discovery";
import { attachIpcControl } from "./control/ipcChannel";
import { SafeStdioTransport } from "./transports/stdio";

const USAGE = `codex-fusion-mcp ${VERSION} — the Codex Fusion MCP server (Claude proposes, Codex reviews, Claude reconciles)

Usage: codex-fusion-mcp [options]
  (no flags)         serve MCP over stdio; if the editor already runs a server for this workspace,
                     attach to it so both share one Codex session
  --standalone       stdio, never attach: own Codex session
  --http             serve MCP Streamable HTTP on loopback (prints nothing on stdout; see the README)
  --port N           HTTP port (default: a free one)
  --host H           HTTP bind address: 127.0.0.1 (default), ::1 or localhost
  --help, --version
  hook stop [--timeout-sec N] [--max-rounds N]
                     Claude Code's Stop hook for the review gate: Codex reviews the turn's changes and
                     blocks the stop on a blocker (reads the hook input on stdin; see the README)
  hook plan [--timeout-sec N]
                     Claude Code's PostToolUse hook on ExitPlanMode for the plan checkpoint: Codex reviews
                     the approved plan and Claude gets the critique before it implements (never blocks)

Environment: CODEX_FUSION_WORKSPACE, CODEX_FUSION_ACP_COMMAND, CODEX_FUSION_TURN_TIMEOUT_MS,
CODEX_FUSION_PERMISSION_TIMEOUT_MS, CODEX_FUSION_CANCEL_GRACE_MS, CODEX_FUSION_MAX_PARALLEL_TURNS, CODEX_FUSION_LOG, CODEX_FUSION_MODEL,
CODEX_FUSION_EFFORT, CODEX_FUSION_ALLOW_EXTERNAL_READS, CODEX_FUSION_ALLOW_WRITES, CODEX_FUSION_ALLOW_COMMANDS,
CODEX_FUSION_TOKEN, CODEX_FUSION_STATE_DIR, CODEX_FUSION_TASK_INLINE_MS. See the README for what each does.
`;

// stdout belongs to the protocol: anything a library logs goes to stderr.
console.log = console.info = console.debug = console.warn = console.error;

function fail(message: string): never {
  process.stderr.write(`codex-fusion-mcp: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  if (process.argv[2] === "hook") {
    const { runHook } = await import("./hooks/cli");
    process.exit(await runHook(process.argv.slice(3)));
  }
  let flags;
  try {
    flags = parseArgs({
      options: {
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
        http: { type: "boolean" },
        standalone: { type: "boolean" },
        port: { type: "string" },
        host: { type: "string" },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (flags.help) return void process.stdout.write(USAGE);
  if (flags.version) return void process.stdout.write(`${VERSION}\n`);
  if ((flags.port || flags.host) && !flags.http) fail("--port and --host go with --http");
  const port = flags.port === undefined ? 0 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a whole number from 0 to 65535, got "${flags.port}"`);
  const host = flags.host ?? "127.0.0.1";
  if (!isLoopbackBind(host)) fail(`--host ${host} refused: the HTTP transport binds loopback only (127.0.0.1, ::1 or localhost)`);

  let config;
  try {
    config = configFromProcess();
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration — ${error.message}`);
    throw error;
  }

  // A bad call must never take the server down: log and keep serving.
  process.on("uncaughtException", (error) => process.stderr.write(`codex-fusion-mcp: unexpected error: ${error.stack ?? error}\n`));
  process.on("unhandledRejection", (error) => process.stderr.write(`codex-fusion-mcp: unhandled rejection: ${(error as Error)?.stack ?? error}\n`));

  if (!flags.http && !flags.standalone) {
    const record = findLiveServer(config.stateDir, config.workspace);
    // Loaded only when used: the HTTP stack costs start-up time that a plain stdio server should not pay.
    const { runAttach, serverAnswers } = record ? await import("./transports/attach") : { runAttach: null, serverAnswers: null };
    if (record && runAttach && serverAnswers && (await serverAnswers(record))) {
      await runAttach(record, config.maxMessageBytes, () => process.exit(0));
      process.on("SIGINT", () => process.exit(130));
      process.on("SIGTERM", () => process.exit(143));
      return;
    }
  }

  const session = new CodexSession(config);
  if (config.logFile) session.on("control", turnLogger(config.logFile));
  const cleanups: Array<() => Promise<void> | void> = [];

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch(() => undefined);
    await session.shutdown().catch(() => undefined);
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(130));
  process.on("SIGTERM", () => void stop(143));
  process.on("exit", () => session.killNow());

  if (flags.http) {
    const token = config.token ?? randomBytes(32).toString("base64url");
    const { startHttpServer } = await import("./transports/http");
    let handle;
    try {
      handle = await startHttpServer(session, { host, port, token, sessionIdleMs: config.httpSessionIdleMs });
    } catch (error) {
      fail(`cannot serve HTTP on ${host}:${port}: ${(error as Error).message}`);
    }
    const file = writeDiscovery(config.stateDir, { pid: process.pid, url: handle.url, token, workspace: canonicalWorkspace(config.workspace), version: VERSION, startedAt: new Date().toISOString() });
    cleanups.push(() => removeDiscovery(file), () => handle.close());
    process.on("exit", () => removeDiscovery(file));
    if (process.send) {
      const send = process.send.bind(process);
      attachIpcControl(session, (event) => void send(event), (handler) => process.on("message", handler));
      send({ type: "listening", url: handle.url, token, pid: process.pid, version: VERSION });
      // The editor owns us: when it goes away, so do we.
      process.on("disconnect", () => void stop(0));
    }
    process.stderr.write(`codex-fusion-mcp: serving MCP on ${handle.url} for ${config.workspace}\n`);
    return;
  }

  const server = createMcpServer(session);
  // Serves MCP 2026-07-28 and its Tasks extension beside the SDK's 2025-11-25 (ADR 0071).
  const transport = new ModernBridge(new SafeStdioTransport(config.maxMessageBytes), SERVER_IDENTITY);
  transport.onclose = () => void stop(0);
  process.stdin.on("end", () => void stop(0));
  await server.connect(transport);
}

void main();
