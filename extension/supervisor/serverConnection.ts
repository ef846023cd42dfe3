// What the rest of the extension sees of the server child: its state, its control events, and typed requests.
// Implemented by the supervisor (extension/supervisor/supervisor.ts); views, webviews and commands depend only on this.
import type * as vscode from "vscode";
import type { ServerStatus } from "../../server/protocol/results";
import type { ControlEvent, ControlMethod, ControlParams, ControlResult } from "../../server/protocol/control";

export type ServerPhase = "stopped" | "starting" | "ready" | "error";

export interface ServerEndpoint {
  url: string;
  token: string;
  pid: number;
}

export interface ServerConnection {
  readonly phase: ServerPhase;
  /** The live HTTP endpoint, when ready. */
  readonly endpoint: ServerEndpoint | null;
  /** The latest status the server reported (from serverState events). */
  readonly status: ServerStatus | null;
  /** Last start-up or crash message, for the status bar and notifications. */
  readonly lastError: string | null;
  readonly onDidChangePhase: vscode.Event<ServerPhase>;
  readonly onDidChangeEndpoint: vscode.Event<ServerEndpoint | null>;
  /** Every control event from the server (turns, permissions, state). */
  readonly onEvent: vscode.Event<ControlEvent>;
  /** Sends a control command; resolves with its typed result, rejects with a ControlRequestError (code + sentence). */
  request<M extends ControlMethod>(method: M, params: ControlParams<M>): Promise<ControlResult<M>>;
}
