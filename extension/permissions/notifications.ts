// One notification per permission request that waits for a person: what Codex wants, in words, with Allow once /
// Allow for session / Deny / Details. VS Code cannot close a notification from code, so a click after someone else
// decided (Claude, the timeout) just says who did; the Permissions view is always current.
import * as vscode from "vscode";
import type { PermissionView } from "../../server/protocol/results";
import type { PermissionDecider } from "./permissions";
import { readSettings, SETTINGS_SECTION, type SettingKey } from "../settings";
import type { PermissionsModel } from "./permissionsModel";
import { alreadyDecidedMessage, notificationMessage, type PathContext } from "./permissionWording";
import { actions, inform, show } from "../messages";

const ALLOW = "Allow once";
const ALLOW_SESSION = "Allow for session";
const DENY = "Deny";
const DETAILS = "Details";

export class PermissionNotifier implements vscode.Disposable {
  private readonly shown = new Set<string>();

  constructor(
    private readonly model: PermissionsModel,
    private readonly decider: PermissionDecider,
    private readonly showDetails: (id: string) => Promise<void>,
    private readonly pathContext: () => PathContext,
  ) {}

  /** Called for every held request that is new to the editor (the policy's own decisions never are: they are never pending). */
  notify(view: PermissionView): void {
    if (this.shown.has(view.id) || !this.model.isPending(view.id) || !enabled()) return;
    this.shown.add(view.id);
    if (this.shown.size > 500) this.shown.delete(this.shown.values().next().value as string);
    void this.show(view).catch(() => undefined);
  }

  private async show(view: PermissionView): Promise<void> {
    for (;;) {
      const choice = await show(
        { level: "warning", text: notificationMessage(view, this.pathContext(), this.model.turns), prefixed: false },
        ...[ALLOW, ALLOW_SESSION, DENY, DETAILS].map(actions.choice),
      );
      if (choice === undefined) return; // dismissed: the request stays in the Permissions view
      if (choice === DETAILS) {
        await this.showDetails(view.id);
        if (this.model.isPending(view.id)) continue; // bring the buttons back while it still waits
        const resolution = this.model.resolutionOf(view.id);
        if (resolution) void inform(alreadyDecidedMessage(resolution));
        return;
      }
      await this.decider.decide(view.id, choice === ALLOW ? "allow" : choice === ALLOW_SESSION ? "allow_session" : "deny");
      return;
    }
  }

  dispose(): void {
    this.shown.clear();
  }
}

/** Read through the same validation as every other setting (an invalid value falls back to the default: on). */
function enabled(): boolean {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return readSettings((key: SettingKey) => config.get(key)).settings.showPermissionNotifications;
}
