// The verdict panel's host side: follows the server's turn events, keeps this workspace's history in workspace state,
// renders answers to sanitized HTML and answers the webview's typed messages (cancel, copy, open a finding — its
// inline thread for the latest review —, open a link, open the answer in an editor, the fix for a failure).
import * as vscode from "vscode";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import type { ServerStatus } from "../../server/protocol/results";
import type { ControlEvent } from "../../server/protocol/control";
import type { ErrorCode } from "../../server/protocol/errors";
import type { ServerConnection } from "../supervisor/serverConnection";
import { placeFinding } from "../review/placement";
import { AnswerDocuments } from "./answerDocument";
import type { PermissionsModel } from "../permissions/permissionsModel";
import { describePermission, type PathContext } from "../permissions/permissionWording";
import { classifyLink } from "./links";
import { renderMarkdown } from "./markdown";
import { isWebviewMessage, type FindingState, type HostMessage, type LiveTurnView, type WebviewMessage } from "./protocol";
import { makeNonce, panelHtml } from "./html";
import { loadHistory, TurnsModel, type TurnRecord } from "./turns";
import { ERROR_ACTIONS, toLiveView, toReviewView, toTurnView } from "./views";
import { usagePanelView } from "../usage/usageView";
import { Commands } from "../commandIds";
import type { Logger } from "../log";
import { inform, warn } from "../messages";

export const VERDICT_VIEW_ID = "codexFusion.verdict";
const HISTORY_KEY = "codexFusion.verdictHistory.v1";

export interface VerdictPanelDeps {
  context: vscode.ExtensionContext;
  server: ServerConnection;
  permissions: PermissionsModel;
  pathContext: () => PathContext;
  /** Roots to resolve finding paths against, most likely first. */
  roots: () => string[];
  log: Logger;
  /** The panel was shown (a walkthrough step). */
  panelsSeen: () => void;
  /** The latest review in the editor: its findings' state, and their threads. */
  review: {
    findingState(turnId: string, index: number): FindingState | null;
    reveal(turnId: string, index: number): Promise<boolean>;
    /** The latest review's turn and how many findings Fix all would take. */
    latest(): { turnId: string; fixable: number } | null;
    fixAll(turnId: string): Promise<void>;
    onDidChange(listener: () => void): vscode.Disposable;
  };
}

export class VerdictPanel implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly turns: TurnsModel;
  private view: vscode.WebviewView | null = null;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly htmlCache = new Map<string, string>();
  private readonly answers = new AnswerDocuments();

  constructor(private readonly deps: VerdictPanelDeps) {
    this.turns = new TurnsModel(loadHistory(deps.context.workspaceState.get<unknown>(HISTORY_KEY)));
    this.disposables.push(
      this.answers,
      deps.review.onDidChange(() => this.postState()),
      vscode.window.registerWebviewViewProvider(VERDICT_VIEW_ID, this),
      deps.server.onEvent((event) => this.onEvent(event)),
      deps.server.onDidChangePhase((phase) => {
        if (phase === "stopped" || phase === "error") this.afterChange(this.turns.endLive());
      }),
    );
    const sub = deps.permissions.onDidChange(() => {
      if (this.turns.live) this.postLive();
    });
    this.disposables.push({ dispose: () => sub.dispose() });
  }

  /** The finished turns, newest first. */
  get history(): readonly TurnRecord[] {
    return this.turns.history;
  }

  async clearHistory(): Promise<void> {
    this.turns.clearHistory();
    this.htmlCache.clear();
    await this.deps.context.workspaceState.update(HISTORY_KEY, []);
    this.postState();
  }

  /** A turn already running when the extension started listening. */
  seed(status: ServerStatus): void {
    this.afterChange(this.turns.apply({ type: "serverState", state: status.turn ? "busy" : "ready", status }));
  }

  /** An editor ask that failed before a turn started: shown with its fix like any failed turn. */
  recordFailure(failure: { tool: string; summary: string; message: string; code: ErrorCode | null }): void {
    this.afterChange(this.turns.fail(failure));
  }

  /** Opens an answer (the newest when no id is given) full width in an editor tab. */
  async openAnswer(id?: string): Promise<void> {
    const record = id ? this.turns.find(id) : this.turns.history.find((r) => r.answer.length > 0);
    if (!record?.answer) return void inform("there is no Codex answer to open yet.");
    await this.answers.open(record);
  }

  /** Brings the panel into view (when the editor itself asks Codex something). */
  async reveal(): Promise<void> {
    if (this.view) {
      this.view.show(true); // keep the keyboard where the person is typing
      return;
    }
    try {
      await vscode.commands.executeCommand(`${VERDICT_VIEW_ID}.focus`);
    } catch (error) {
      this.deps.log.debug(`could not focus the verdict view: ${String(error)}`);
    }
  }

  // ── webview ─────────────────────────────────────────────────────────────────────────────────────

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.deps.panelsSeen();
    const media = vscode.Uri.joinPath(this.deps.context.extensionUri, "media");
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media] };
    view.webview.html = panelHtml({
      cspSource: view.webview.cspSource,
      nonce: makeNonce(randomBytes),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, "verdict.js")).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, "verdict.css")).toString(),
    });
    const subscription = view.webview.onDidReceiveMessage((message: unknown) => {
      if (!isWebviewMessage(message)) {
        this.deps.log.warn("verdict panel: ignored a malformed message from the webview");
        return;
      }
      void this.onMessage(message).catch((error: unknown) => this.deps.log.error(`verdict panel: ${error instanceof Error ? error.message : String(error)}`));
    });
    view.onDidDispose(() => {
      subscription.dispose();
      if (this.view === view) this.view = null;
    });
  }

  private async onMessage(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case "continueInCodex":
        await vscode.commands.executeCommand(Commands.continueInCodex);
        return;
      case "ready":
        this.postState();
        this.post({ type: "usage", usage: usagePanelView(this.deps.server.status) });
        return;
      case "cancelTurn":
        await vscode.commands.executeCommand(Commands.cancelTurn, message.turnId);
        return;
      case "clearHistory":
        await vscode.commands.executeCommand(Commands.clearHistory);
        return;
      case "copyAnswer": {
        const record = this.turns.find(message.id);
        if (!record) return;
        await vscode.env.clipboard.writeText(record.answer);
        vscode.window.setStatusBarMessage("Codex answer copied", 2500);
        this.post({ type: "copied", id: record.id });
        return;
      }
      case "openFinding": {
        // The latest review's findings are threads in the editor; older ones open their file.
        if (await this.deps.review.reveal(message.turnId, message.index)) return;
        const finding = this.turns.find(message.turnId)?.findings[message.index];
        if (finding?.file) await this.openFile(finding.file, finding.line ?? null);
        return;
      }
      case "openAnswer":
        await this.openAnswer(message.id);
        return;
      case "fixAll":
        await this.deps.review.fixAll(message.turnId);
        return;
      case "runAction": {
        const code = this.turns.find(message.id)?.errorCode;
        const action = code ? ERROR_ACTIONS[code] : undefined;
        if (action) await vscode.commands.executeCommand(action.command);
        return;
      }
      case "openLink": {
        const target = classifyLink(message.href);
        if (target.kind === "external") await vscode.env.openExternal(vscode.Uri.parse(target.url, true));
        else if (target.kind === "file") await this.openFile(target.path, target.line);
        else if (target.kind === "refused") this.deps.log.warn(`verdict panel: refused to open a link: ${message.href.slice(0, 200)}`);
        return;
      }
    }
  }

  private async openFile(file: string, line: number | null): Promise<void> {
    const place = placeFinding({ file }, { roots: this.deps.roots(), exists: existsSync });
    if (place.kind !== "file") {
      void warn(`${file} is ${place.kind === "outside" ? "outside the workspace, so it is not opened" : "not in the workspace"}.`);
      return;
    }
    const resolved = place.path;
    const position = new vscode.Position(Math.max(0, (line ?? 1) - 1), 0);
    await vscode.window.showTextDocument(vscode.Uri.file(resolved), { selection: new vscode.Range(position, position), preview: true });
  }

  // ── turn events ────────────────────────────────────────────────────────────────────────────────

  private onEvent(event: ControlEvent): void {
    if (event.type === "serverState") this.post({ type: "usage", usage: usagePanelView(event.status) });
    this.afterChange(this.turns.apply(event));
  }

  private afterChange(change: ReturnType<TurnsModel["apply"]>): void {
    if (change === "live") this.postLive();
    else if (change === "history") {
      void this.deps.context.workspaceState.update(HISTORY_KEY, this.turns.history).then(undefined, (error: unknown) => this.deps.log.warn(`could not save the verdict history: ${String(error)}`));
      this.postState();
      const newest = this.turns.history[0];
      if (newest) this.post({ type: "select", id: newest.id });
    }
  }

  private postLive(): void {
    this.post({ type: "live", ...this.liveViews() });
  }

  private postState(): void {
    if (!this.view) return;
    const ids = new Set(this.turns.history.map((record) => record.id));
    for (const id of this.htmlCache.keys()) if (!ids.has(id)) this.htmlCache.delete(id);
    const history = this.turns.history.map((record) =>
      toTurnView(
        record,
        (markdown) => this.rendered(record.id, markdown),
        (index) => this.deps.review.findingState(record.id, index),
      ),
    );
    // The latest review stays in view after later asks, with its findings' states.
    const latest = this.deps.review.latest();
    const reviewed = latest ? history.find((turn) => turn.id === latest.turnId) : undefined;
    const review = latest && reviewed ? toReviewView(reviewed, latest.fixable) : null;
    this.post({ type: "state", ...this.liveViews(), history, review });
  }

  private rendered(id: string, markdown: string): string {
    let html = this.htmlCache.get(id);
    if (html === undefined) {
      html = renderMarkdown(markdown);
      this.htmlCache.set(id, html);
    }
    return html;
  }

  /** The turns in progress, each with the permission it waits for (matched by turn id; several can wait at once). */
  private liveViews(): { live: LiveTurnView | null; others: LiveTurnView[] } {
    const pending = this.deps.permissions.pending;
    const lives = this.turns.lives;
    const views = lives.map((live) => {
      const waiting = pending.find((request) => request.turnId === live.id) ?? (lives.length === 1 ? pending[0] : undefined);
      return toLiveView(live, waiting ? describePermission(waiting, this.deps.pathContext()) : null);
    });
    return { live: views[0] ?? null, others: views.slice(1) };
  }

  private post(message: HostMessage): void {
    if (!this.view) return;
    void this.view.webview.postMessage(message).then(undefined, () => undefined);
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
