// Allow once / Allow for session / Deny / Show Details — from the tree (inline or context menu), the command palette
// (the oldest waiting request) or a notification. Decisions go to the server; the first decision wins there.
import * as vscode from "vscode";
import type { PermissionDecision } from "../../server/protocol/results";
import type { ErrorCode } from "../../server/protocol/errors";
import type { ServerConnection } from "../supervisor/serverConnection";
import { ControlRequestError } from "../supervisor/rpcClient";
import type { PermissionsModel } from "./permissionsModel";
import { alreadyDecidedMessage } from "./permissionWording";
import type { PermissionDetailsProvider } from "./permissionDetails";
import type { PermissionNode } from "./permissionsTree";
import { Commands } from "../commandIds";
import type { Logger } from "../log";
import { fail, inform } from "../messages";

/** Someone (or something) else settled the request first: news, not an error. */
const NO_LONGER_WAITING: ReadonlySet<ErrorCode> = new Set(["already_decided", "withdrawn", "not_found", "nothing_pending"]);

export class PermissionDecider {
  constructor(
    private readonly server: ServerConnection,
    private readonly model: PermissionsModel,
    private readonly log: Logger,
  ) {}

  /** Sends one decision; says so when someone else decided first. Returns true when ours counted. */
  async decide(id: string, decision: PermissionDecision): Promise<boolean> {
    const known = this.model.resolutionOf(id);
    if (known) {
      void inform(alreadyDecidedMessage(known));
      return false;
    }
    try {
      await this.server.request("decidePermission", { id, decision });
      this.log.info(`permission ${id}: ${decision} (from the editor)`);
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.log.warn(`permission ${id}: ${decision} refused: ${reason}`);
      const settled = this.model.resolutionOf(id);
      if (settled) void inform(alreadyDecidedMessage(settled));
      else if (error instanceof ControlRequestError && NO_LONGER_WAITING.has(error.code)) void inform(`this request is no longer waiting — ${reason}.`);
      else void fail(`could not send your decision — ${reason}`);
      return false;
    }
  }
}

export function registerPermissionCommands(decider: PermissionDecider, model: PermissionsModel, details: PermissionDetailsProvider): vscode.Disposable[] {
  const target = (arg: unknown): string | null => {
    const id = idFromArgument(arg) ?? model.pending[0]?.id ?? null;
    if (!id) void inform("Codex is not waiting for any permission.");
    return id;
  };
  const decideWith = (decision: PermissionDecision) => async (arg?: unknown) => {
    const id = target(arg);
    if (id) await decider.decide(id, decision);
  };
  return [
    vscode.commands.registerCommand(Commands.permissionAllow, decideWith("allow")),
    vscode.commands.registerCommand(Commands.permissionAllowSession, decideWith("allow_session")),
    vscode.commands.registerCommand(Commands.permissionDeny, decideWith("deny")),
    vscode.commands.registerCommand(Commands.permissionShowDetails, async (arg?: unknown) => {
      const id = idFromArgument(arg) ?? model.pending[0]?.id ?? model.recent[0]?.view.id ?? null;
      if (!id) return void inform("there is no permission request to show.");
      await details.show(id);
    }),
  ];
}

/** A tree node, a bare id, or `{ id }`. */
function idFromArgument(arg: unknown): string | null {
  if (typeof arg === "string" && arg) return arg;
  if (typeof arg !== "object" || arg === null) return null;
  const node = arg as PermissionNode | { kind?: undefined; id?: unknown };
  if (node.kind === "pending") return node.view.id;
  if (node.kind === "decided") return node.entry.view.id;
  return "id" in node && typeof node.id === "string" ? node.id : null;
}
