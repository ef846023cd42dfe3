// The status bar item: the server's phase, the turns in progress (several run side by side on forked sessions), a
// permission waiting; click for the common actions.
// Also keeps three context keys up to date for `when` clauses: codexFusion.serverReady, codexFusion.turnInProgress,
// codexFusion.permissionPending.
import * as vscode from "vscode";
import type { ServerStatus } from "../../server/protocol/results";
import type { ControlEvent } from "../../server/protocol/control";
import type { Supervisor } from "./supervisor";
import { Commands, ContextKeys } from "../commandIds";
import { clip } from "../../server/protocol/text";
import { usageTooltipLines } from "../usage/usageView";


/** What the item shows, derived from the phase and the latest events. */
interface TurnView {
  tool: string;
  client: string | null;
  summary: string | null;
}

interface View {
  ready: boolean;
  /** Running turns by id, oldest first. */
  turns: Map<string, TurnView>;
  pending: Map<string, string>;
}

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem("codexFusion.status", vscode.StatusBarAlignment.Left, 50);
  private readonly subscriptions: vscode.Disposable[] = [this.item];
  private readonly view: View = { ready: false, turns: new Map(), pending: new Map() };
  private lastContext = "";

  constructor(private readonly supervisor: Supervisor) {
    this.item.name = "Codex Fusion";
    this.item.command = Commands.statusActions;
    this.subscriptions.push(
      supervisor.onDidChangePhase(() => this.fromStatus(supervisor.status)),
      supervisor.onDidChangeStatus((status) => this.fromStatus(status)),
      supervisor.onEvent((event) => this.onEvent(event)),
    );
    this.fromStatus(supervisor.status);
  }

  private fromStatus(status: ServerStatus | null): void {
    this.view.ready = this.supervisor.phase === "ready";
    if (!status || !this.view.ready) {
      this.view.turns.clear();
      this.view.pending.clear();
    } else {
      this.view.turns = new Map(status.turns.map((turn) => [turn.id, { tool: turn.tool, client: turn.client, summary: turn.summary }]));
      this.view.pending = new Map(status.pendingPermissions.map((request) => [request.id, request.title]));
    }
    this.render();
  }

  private onEvent(event: ControlEvent): void {
    switch (event.type) {
      case "turnStarted":
        this.view.turns.set(event.id, { tool: event.tool, client: event.client, summary: event.summary });
        break;
      case "turnFinished":
        this.view.turns.delete(event.id);
        break;
      case "permissionPending":
        this.view.pending.set(event.request.id, event.request.title);
        break;
      case "permissionResolved":
        this.view.pending.delete(event.id);
        break;
      default:
        return; // serverState arrives through onDidChangeStatus
    }
    this.render();
  }

  private render(): void {
    const { phase, lastError, endpoint, workspace } = this.supervisor;
    const { turns, pending } = this.view;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    tooltip.appendMarkdown("**Codex Fusion**\n\n");
    this.item.backgroundColor = undefined;

    if (phase === "stopped") {
      // No folder open: nothing to supervise, nothing to show.
      this.item.hide();
      this.setContext(false, false, false);
      return;
    }
    if (phase === "starting") {
      this.item.text = "$(sync~spin) Codex: starting";
      tooltip.appendText(lastError ?? "Starting the Codex Fusion server…");
    } else if (phase === "error") {
      this.item.text = "$(error) Codex: error";
      this.item.backgroundColor = new vscode.ThemeColor("statusBarItem.errorBackground");
      tooltip.appendText(lastError ?? "The server is not running.");
    } else if (pending.size > 0) {
      this.item.text = "$(bell) Codex: permission pending";
      this.item.backgroundColor = new vscode.ThemeColor("statusBarItem.warningBackground");
      tooltip.appendText(`Codex is waiting for your decision:\n`);
      for (const title of pending.values()) tooltip.appendText(`\n• ${title}`);
    } else if (turns.size > 0) {
      this.item.text = turns.size === 1 ? "$(loading~spin) Codex working…" : `$(loading~spin) Codex: ${turns.size} turns`;
      const line = (turn: TurnView) => `${turn.tool}${turn.client ? ` from ${turn.client}` : ""}${turn.summary ? `: ${clip(turn.summary, 160)}` : ""}`;
      tooltip.appendText(turns.size === 1 ? line([...turns.values()][0]!) : `${turns.size} turns side by side:\n${[...turns.values()].map((turn) => `\n• ${line(turn)}`).join("")}`);
    } else {
      this.item.text = "$(check) Codex: ready";
      tooltip.appendText("Ready for Claude Code and VS Code agent mode.");
    }
    const facts: string[] = [];
    if (workspace) facts.push(`Workspace: ${workspace}`);
    if (endpoint) facts.push(`Server: pid ${endpoint.pid}, ${endpoint.url}`);
    const status = this.supervisor.status;
    if (status) {
      facts.push(`Agent: ${status.agentAlive ? `running (pid ${status.agentPid})` : "starts on the first ask"}`);
      if (status.sessionId) facts.push(`Session: ${status.sessionId}${status.mode ? ` · ${status.mode}` : ""}`);
      if (status.queued > 0) facts.push(`Queued asks: ${status.queued}`);
      if (status.modeWarning) facts.push(status.modeWarning);
      if (status.lastError) facts.push(`Last error: ${clip(status.lastError, 300)}`);
      facts.push(...usageTooltipLines(status));
    }
    if (this.supervisor.restartPending) facts.push("Restarts after the current turn to apply new settings.");
    if (facts.length) tooltip.appendText(`\n\n${facts.join("\n")}`);
    tooltip.appendMarkdown("\n\n_Click for actions_");
    this.item.tooltip = tooltip;
    this.item.show();
    this.setContext(phase === "ready", turns.size > 0, pending.size > 0);
  }

  private setContext(ready: boolean, turn: boolean, pending: boolean): void {
    const key = `${ready}${turn}${pending}`;
    if (key === this.lastContext) return;
    this.lastContext = key;
    void vscode.commands.executeCommand("setContext", ContextKeys.serverReady, ready);
    void vscode.commands.executeCommand("setContext", ContextKeys.turnInProgress, turn);
    void vscode.commands.executeCommand("setContext", ContextKeys.permissionPending, pending);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

interface Action extends vscode.QuickPickItem {
  command: string;
}

/** The status bar's click: a quick pick of what one usually wants next (only commands that exist right now). */
export async function showStatusActions(supervisor: Supervisor): Promise<void> {
  const busy = supervisor.status?.turn != null;
  const candidates: Action[] = [
    { label: "$(info) Show Status", command: Commands.showStatus },
    { label: "$(output) Show Log", command: Commands.showLog },
    { label: "$(debug-restart) Restart Server", command: Commands.restartServer },
    ...(busy ? [{ label: "$(debug-stop) Cancel Current Turn", command: Commands.cancelTurn }] : []),
    { label: "$(git-compare) Review Current Diff", command: Commands.reviewDiff },
    { label: "$(add) Start Fresh Codex Session", command: Commands.startFreshSession },
    { label: "$(history) Continue Earlier Session…", command: Commands.continueEarlierSession },
    ...(supervisor.status?.continuity?.resumeCommand ? [{ label: "$(terminal) Continue the Conversation in Codex", command: Commands.continueInCodex }] : []),
    { label: "$(plug) Connect Claude Code", command: Commands.connectClaudeCode },
    { label: "$(copy) Copy Claude Code Setup Command", command: Commands.copyClaudeSetupCommand },
    { label: "$(account) Sign in to Codex", command: Commands.signIn },
  ];
  const available = new Set(await vscode.commands.getCommands(true));
  const picked = await vscode.window.showQuickPick(
    candidates.filter((candidate) => available.has(candidate.command)),
    { title: "Codex Fusion", placeHolder: supervisor.lastError ?? "Choose an action" },
  );
  if (picked) await vscode.commands.executeCommand(picked.command);
}
