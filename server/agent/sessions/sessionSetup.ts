// Opening a Codex session on a running agent: reload the previous one when the agent restarted (so Codex keeps its
// context), else a new one, or a fork of the main one for a parallel ask; then read-only at the source, and a title
// so codex-acp does not spend a model call naming it. The session preamble rides along as the session's system
// prompt when the agent takes one (it then stays with the session through reloads and forks).
import type * as acp from "@agentclientprotocol/sdk/unstable";
import type { AgentConnection } from "../acp/connection";
import { ConfigOptions } from "./configOptions";
import { AgentError, errorMessage } from "../acp/errors";
import { oneLine } from "../../protocol/text";

const READ_ONLY = "read-only";
const SESSION_TITLE = "Codex Fusion review";

export interface OpenedSession {
  sessionId: string;
  /** The agent's mode after we set it (read-only unless the agent refused). */
  mode: string | null;
  /** Set when nothing at the source keeps Codex read-only: shown on every result and on status. */
  modeWarning: string | null;
  /** Set when this session replaced one the agent lost: whether Codex kept its context. */
  contextNote: string | undefined;
  /** The session has the preamble already (its system prompt, or the reloaded history): asks send only their part. */
  preamble: boolean;
  /** `previous` was continued (resumed or loaded); when not, why (for continuity's note). */
  continued: boolean;
  lostBecause?: string;
}

/** The session preamble as ACP's unstable `systemPrompt`, when the agent advertises the capability. */
function systemPromptFor(agent: AgentConnection, preamble: string | undefined): { systemPrompt?: acp.SystemPrompt } {
  if (!preamble || !agent.supportsSession("systemPrompt")) return {};
  return { systemPrompt: { mode: "append", content: [{ type: "text", text: preamble }] } };
}

/** Where a session opens and what it starts with; every request is bounded and ends when `signal` aborts. */
export interface SessionSetup {
  cwd: string;
  /** The session's config options, reset from the agent's answers. */
  config: ConfigOptions;
  /** The session preamble, sent as the system prompt when the agent takes one. */
  preamble: string | undefined;
  signal?: AbortSignal;
  /**
   * `previous` is a session from an earlier server start (sessions/continuity.ts says what happened): it is resumed
   * when the agent can, else loaded. Without it, `previous` is the session of an agent that died, reloaded as before.
   */
  continuing?: boolean;
}

/** The workspace's main session: `previous` continued or reloaded, else a new one. */
export async function openSession(agent: AgentConnection, previous: string | null, setup: SessionSetup): Promise<OpenedSession> {
  const { cwd, config, preamble, signal, continuing = false } = setup;
  const options = { signal };
  const system = systemPromptFor(agent, preamble);
  let response: acp.NewSessionResponse | acp.LoadSessionResponse | acp.ResumeSessionResponse | acp.ForkSessionResponse | null = null;
  let sessionId: string | null = null;
  let contextNote: string | undefined;
  let lostBecause: string | undefined;
  if (previous && continuing) {
    const continued = await continueSession(agent, previous, { cwd, system, options });
    response = continued.response;
    sessionId = response ? previous : null;
    lostBecause = continued.lostBecause;
  } else if (previous && agent.canLoadSessions) {
    try {
      response = await agent.request("session/load", { sessionId: previous, cwd, mcpServers: [], ...system }, options);
      sessionId = previous;
      contextNote = "The Codex agent was restarted and reloaded the previous session: context kept.";
    } catch (error) {
      // A refused load falls back to a new session; an agent that does not answer is not trusted with the next step.
      if (error instanceof AgentError && (error.code === "timeout" || error.code === "cancelled")) throw error;
      contextNote = "The Codex agent was restarted and could not reload the previous session: context lost.";
    }
  } else if (previous) {
    contextNote = "The Codex agent was restarted and cannot reload sessions: context lost.";
  }
  // A loaded session keeps its history, and with it the preamble of its first prompt.
  let hasPreamble = response !== null || system.systemPrompt !== undefined;
  if (!response || !sessionId) {
    const created = await newSession(agent, cwd, system, options);
    hasPreamble = created.withSystemPrompt;
    sessionId = created.response.sessionId;
    response = created.response;
  }
  config.reset(response.configOptions ?? []);
  const { mode, modeWarning } = await enforceReadOnly(agent, { id: sessionId, response }, config, options);
  if (sessionId !== previous && agent.supportsSession("setTitle")) {
    // A courtesy (it saves codex-acp a model call): a refused or stalled title is given up on, within its bound.
    await agent.request("session/set_title", { sessionId, title: SESSION_TITLE }, options).catch(() => undefined);
  }
  return { sessionId, mode, modeWarning, contextNote, preamble: hasPreamble, continued: previous !== null && sessionId === previous, ...(lostBecause ? { lostBecause } : {}) };
}

/** session/resume (no history replay) when advertised, else session/load; a refusal is a reason, not an error. */
async function continueSession(
  agent: AgentConnection,
  sessionId: string,
  where: { cwd: string; system: { systemPrompt?: acp.SystemPrompt }; options: { signal?: AbortSignal } },
): Promise<{ response: acp.ResumeSessionResponse | acp.LoadSessionResponse | null; lostBecause?: string }> {
  const { cwd, system, options } = where;
  const method = agent.supportsSession("resume") ? "session/resume" : agent.canLoadSessions ? "session/load" : null;
  if (!method) return { response: null, lostBecause: "the agent can neither resume nor load sessions" };
  try {
    return { response: await agent.request(method, { sessionId, cwd, mcpServers: [], ...system }, options) };
  } catch (error) {
    if (error instanceof AgentError && (error.code === "timeout" || error.code === "cancelled")) throw error;
    return { response: null, lostBecause: `the agent refused ${method} (${oneLine(errorMessage(error)).slice(0, 200)})` };
  }
}

/** session/new with the system prompt; an agent that refuses it gets a plain session/new (the preamble then goes in the first prompt). */
async function newSession(agent: AgentConnection, cwd: string, system: { systemPrompt?: acp.SystemPrompt }, options: { signal?: AbortSignal }): Promise<{ response: acp.NewSessionResponse; withSystemPrompt: boolean }> {
  if (system.systemPrompt) {
    try {
      return { response: await agent.request("session/new", { cwd, mcpServers: [], ...system }, options), withSystemPrompt: true };
    } catch (error) {
      if (error instanceof AgentError) throw error; // timeout or cancel: not a refusal
    }
  }
  return { response: await agent.request("session/new", { cwd, mcpServers: [] }, options), withSystemPrompt: false };
}

/**
 * A new session with the history of `sourceId` (ACP's unstable session/fork), for an ask that runs while another
 * turn holds the source. Read-only at the source like every session; bounded like every request.
 */
export async function forkSession(agent: AgentConnection, source: { id: string; preamble: boolean }, setup: SessionSetup): Promise<OpenedSession> {
  const { cwd, config, preamble, signal } = setup;
  const options = { signal };
  const system = systemPromptFor(agent, preamble);
  const response = await agent.request("session/fork", { sessionId: source.id, cwd, mcpServers: [], ...system }, options);
  const sessionId = response.sessionId;
  config.reset(response.configOptions ?? []);
  try {
    const { mode, modeWarning } = await enforceReadOnly(agent, { id: sessionId, response }, config, options);
    if (agent.supportsSession("setTitle")) await agent.request("session/set_title", { sessionId, title: `${SESSION_TITLE} (parallel)` }, options).catch(() => undefined);
    return { sessionId, mode, modeWarning, contextNote: undefined, preamble: system.systemPrompt !== undefined || source.preamble, continued: false };
  } catch (error) {
    // A fork we could not make read-only is never used: close it (bounded, best effort).
    void agent.closeSession(sessionId);
    throw error;
  }
}

/** Read-only at the source: even a policy bug cannot let Codex write without an approval. */
async function enforceReadOnly(
  agent: AgentConnection,
  session: { id: string; response: acp.NewSessionResponse | acp.LoadSessionResponse | acp.ResumeSessionResponse | acp.ForkSessionResponse },
  config: ConfigOptions,
  options: { signal?: AbortSignal },
): Promise<{ mode: string | null; modeWarning: string | null }> {
  const mode = await setSessionMode(agent, session, config, { mode: READ_ONLY, options });
  if (mode === undefined) {
    return {
      mode: session.response.modes?.currentModeId ?? null,
      modeWarning: "Warning: the agent offers no read-only mode, so nothing at the source stops Codex from writing; only the guardian's approvals stand in the way.",
    };
  }
  return {
    mode,
    modeWarning: mode === READ_ONLY ? null : `Warning: the agent stayed in mode "${mode}" after being set to read-only; Codex may act without asking.`,
  };
}

/**
 * Sets the session's mode at the source (the `mode` config option, else session/set_mode) and returns the mode the
 * agent reports back; undefined when the agent does not offer `wanted`. Also used for a delegate's workspace-write.
 */
export async function setSessionMode(
  agent: AgentConnection,
  session: { id: string; response: acp.NewSessionResponse | acp.LoadSessionResponse | acp.ResumeSessionResponse | acp.ForkSessionResponse },
  config: ConfigOptions,
  want: { mode: string; options: { signal?: AbortSignal } },
): Promise<string | undefined> {
  const { id: sessionId, response } = session;
  const { mode: wanted, options } = want;
  const modeOption = config.find("mode");
  if (modeOption && config.values(modeOption).includes(wanted)) {
    const updated = await agent.request("session/set_config_option", { sessionId, configId: modeOption.id, value: wanted }, options);
    config.reset(updated.configOptions ?? []);
    return String(config.find("mode")?.currentValue ?? "unknown");
  }
  if (response.modes?.availableModes.some((candidate) => candidate.id === wanted)) {
    await agent.request("session/set_mode", { sessionId, modeId: wanted }, options);
    return wanted;
  }
  return undefined;
}

/** Points the session at the ask's model and effort (or back at the session's defaults). */
export async function applyAskOptions(agent: AgentConnection, session: { id: string; config: ConfigOptions }, wanted: { model?: string; effort?: string }): Promise<string | null> {
  const { id: sessionId, config } = session;
  const { model, effort } = wanted;
  for (const [kind, value] of [["model", model], ["effort", effort]] as const) {
    const change = config.plan(kind, value);
    if (change.error) return change.error;
    if (!change.set) continue;
    const updated = await agent.request("session/set_config_option", { sessionId, configId: change.set.id, value: change.set.value });
    config.reset(updated.configOptions ?? [], false);
  }
  return null;
}
