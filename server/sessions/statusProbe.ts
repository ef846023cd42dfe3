// Reads Codex's rate-limit windows through codex-acp's `/status` command, which codex-acp answers itself (no model
// call, nothing added to the conversation). It runs on the main session while the finished turn still holds it, so
// no ask's prompt meets it there; its answer is routed here, never into a turn.
import type * as acp from "@agentclientprotocol/sdk/unstable";
import type { AgentConnection } from "../agent/acp/connection";
import type { RateLimitWindow } from "../protocol/continuity";
import { parseRateLimits } from "./rateLimits";

/** A probe never holds the session long: codex-acp answers /status at once. */
const PROBE_TIMEOUT_MS = 10_000;

export class StatusProbe {
  private active: { sessionId: string; text: string } | null = null;

  /** Whether `update` belongs to the probe in flight on `sessionId` (it then goes nowhere else). */
  take(sessionId: string, update: acp.SessionUpdate): boolean {
    if (!this.active || this.active.sessionId !== sessionId) return false;
    if (update.sessionUpdate === "agent_message_chunk" && update.content.type === "text") this.active.text += update.content.text;
    return update.sessionUpdate === "agent_message_chunk" || update.sessionUpdate === "agent_thought_chunk";
  }

  /** The windows `/status` shows now; empty when it shows none or failed (a probe is never worth an error). */
  async read(agent: AgentConnection, sessionId: string): Promise<RateLimitWindow[]> {
    if (this.active) return [];
    const probe = { sessionId, text: "" };
    this.active = probe;
    try {
      await agent.request("session/prompt", { sessionId, prompt: [{ type: "text", text: "/status" }] }, { timeoutMs: PROBE_TIMEOUT_MS });
      // The SDK dispatches notifications a few microtasks late: let the last chunk land.
      await new Promise((resolve) => setImmediate(resolve));
      return parseRateLimits(probe.text);
    } catch {
      return [];
    } finally {
      this.active = null;
    }
  }
}
