// Ticks the walkthrough's steps from what actually happened: the agent ran, Codex answered (so it is signed in),
// Claude Code asked through this window's server, a diff review finished, the panels were opened. The steps'
// onContext completion events read these keys; their onCommand events still tick when a step's own button is used.
import * as vscode from "vscode";
import type { ServerConnection } from "./serverConnection";
import { walkthroughKeysFor, type WalkthroughKey } from "./walkthroughEvents";

export class WalkthroughProgress implements vscode.Disposable {
  private readonly set = new Set<WalkthroughKey>();
  private readonly subscription: vscode.Disposable;

  constructor(server: ServerConnection) {
    this.subscription = server.onEvent((event) => {
      for (const key of walkthroughKeysFor(event)) this.mark(key);
    });
  }

  mark(key: WalkthroughKey): void {
    if (this.set.has(key)) return;
    this.set.add(key);
    void vscode.commands.executeCommand("setContext", key, true);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
