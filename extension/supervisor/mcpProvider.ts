// Registers the server with VS Code's MCP support (agent mode), as a Streamable HTTP server on loopback with the
// server's bearer token. The server runs as the extension's child (supervisor.ts); VS Code only connects to it.
import * as vscode from "vscode";
import type { ServerEndpoint } from "./serverConnection";
import type { Supervisor } from "./supervisor";
import type { ExtensionLog } from "../log";

export const MCP_PROVIDER_ID = "codexFusion";
const LABEL = "Codex Fusion";
/** How long VS Code's eager listing may wait for a server that is still starting. */
const PROVIDE_WAIT_MS = 15_000;
/** How long starting the MCP server (VS Code's "Start Server", or a tool call) may wait for ours. */
const RESOLVE_WAIT_MS = 60_000;

export class CodexMcpProvider implements vscode.McpServerDefinitionProvider<vscode.McpHttpServerDefinition>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeMcpServerDefinitions = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The endpoint in the definitions VS Code last received; a change to it is announced. */
  private announced: string | null = null;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly log: ExtensionLog,
  ) {
    this.subscriptions.push(
      this.changed,
      supervisor.onDidChangeEndpoint((endpoint) => {
        // A restarted server listens on a new port with a new token: VS Code must reconnect with the new definition.
        if (endpoint && key(endpoint) !== this.announced) this.changed.fire();
      }),
      supervisor.onDidChangePhase((phase) => {
        // No folder (or gave up): the list becomes empty; back from there: the server appears again.
        if ((phase === "stopped" || phase === "error") && this.announced !== null) {
          this.announced = null;
          this.changed.fire();
        }
      }),
    );
  }

  async provideMcpServerDefinitions(): Promise<vscode.McpHttpServerDefinition[]> {
    let endpoint = this.supervisor.endpoint;
    const { phase } = this.supervisor;
    if (!endpoint && (phase === "starting" || phase === "stopped")) {
      // Wait for the start (or start it: this can run before activate's own start) rather than hand out a placeholder
      // that would change moments later and make VS Code stop its connection. No folder: nothing starts, the list is empty.
      endpoint = await this.supervisor.whenReady(PROVIDE_WAIT_MS, { start: phase === "stopped" }).catch(() => null);
    }
    if (!endpoint) {
      this.announced = null;
      return [];
    }
    this.announced = key(endpoint);
    return [this.definition(endpoint)];
  }

  async resolveMcpServerDefinition(server: vscode.McpHttpServerDefinition, token: vscode.CancellationToken): Promise<vscode.McpHttpServerDefinition> {
    // VS Code is about to connect: make sure our server runs (starting it if it stopped) and hand over the live endpoint.
    try {
      const endpoint = await this.supervisor.whenReady(RESOLVE_WAIT_MS, { start: true, cancelled: token });
      server.uri = vscode.Uri.parse(endpoint.url);
      server.headers = authorization(endpoint);
      return server;
    } catch (error) {
      this.log.warn(`VS Code's MCP client could not get the server: ${(error as Error).message}`);
      throw error;
    }
  }

  private definition(endpoint: ServerEndpoint): vscode.McpHttpServerDefinition {
    return new vscode.McpHttpServerDefinition(LABEL, vscode.Uri.parse(endpoint.url), authorization(endpoint), this.supervisor.version ?? undefined);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** Registers the provider when the editor has the MCP API (VS Code ≥ 1.101); logs and skips otherwise. */
export function registerMcpProvider(supervisor: Supervisor, log: ExtensionLog): vscode.Disposable[] {
  const provider = new CodexMcpProvider(supervisor, log);
  const lm = vscode.lm as Partial<typeof vscode.lm> | undefined;
  if (typeof lm?.registerMcpServerDefinitionProvider !== "function") {
    log.warn("This editor has no MCP server API; Codex Fusion is not offered to agent mode (Claude Code can still connect).");
    return [provider];
  }
  return [provider, lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, provider)];
}

function authorization(endpoint: ServerEndpoint): Record<string, string> {
  return { Authorization: `Bearer ${endpoint.token}` };
}

function key(endpoint: ServerEndpoint): string {
  return `${endpoint.url} ${endpoint.token}`;
}
