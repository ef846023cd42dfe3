// Ticks the walkthrough's steps from what actually happened: the agent ran, Codex answered (so it is signed in),
// Claude Code asked through this window's server, a diff review finished, the panels were opened.
// Why not only completion events: VS Code creates its walkthrough service lazily, when a walkthrough page opens, so
// commands run and context keys set before that are never seen (the steps stayed unticked in real VS Code after
// every step had run). So each step is also marked with the `welcome.markStepComplete` command, which creates the
// service and records the step (docs/adr: walkthrough progress). The onContext/onCommand events stay for when the
// page is already open.
import * as vscode from "vscode";
import type { ServerConnection } from "./supervisor/serverConnection";
import { walkthroughKeysFor, walkthroughStepId, type WalkthroughKey } from "./walkthroughEvents";

export class WalkthroughProgress implements vscode.Disposable {
  private readonly set = new Set<WalkthroughKey>();
  private readonly subscription: vscode.Disposable;

  constructor(
    server: ServerConnection,
    private readonly extensionId: string,
  ) {
    this.subscription = server.onEvent((event) => {
      for (const key of walkthroughKeysFor(event)) this.mark(key);
    });
  }

  mark(key: WalkthroughKey): void {
    if (this.set.has(key)) return;
    this.set.add(key);
    void vscode.commands.executeCommand("setContext", key, true);
    // Recorded even when the step is not registered yet (VS Code then rejects, after saving the progress).
    void vscode.commands.executeCommand("welcome.markStepComplete", walkthroughStepId(this.extensionId, key)).then(undefined, () => undefined);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
