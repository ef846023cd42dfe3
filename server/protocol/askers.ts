// Who an ask comes from, as the prompt names them: the calling agent over MCP (Claude), the person in the editor
// (Review Current Diff, Ask Codex on a thread, the palette's asks, all over the control channel), or the review gate
// (the Claude Code stop hook, an MCP client with its own name). Known from the ask's client label. Pure values.
import { EDITOR_CLIENT } from "./constants";

export type Asker = "claude" | "person" | "gate";

/** The MCP client name the review gate connects with. */
export const GATE_CLIENT = "Codex Fusion review gate";

export function askerOf(client: string | null): Asker {
  if (client === EDITOR_CLIENT) return "person";
  if (client === GATE_CLIENT) return "gate";
  return "claude";
}
