// An open Codex session as the turns use it: the workspace's main one (keyed MAIN) or a fork of it (keyed by its id).
import type { ConfigOptions } from "./configOptions";

/** The key of the workspace's main session among the open sessions (forks are keyed by their id). */
export const MAIN = "main";

export interface SessionState {
  /** MAIN, or the fork's session id. */
  readonly key: string;
  readonly id: string;
  readonly config: ConfigOptions;
  readonly modeWarning: string | null;
  /** The session has the role preamble and debate frame already: its asks send only their own part. */
  preamble: boolean;
}
