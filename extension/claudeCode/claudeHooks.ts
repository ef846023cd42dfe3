// Claude Code hooks for this project, without `vscode`: the review gate's Stop hook and the /clear reset, merged into
// `.claude/settings.local.json` (the project's private settings). Every other key, event, group and hook the person has
// is kept; ours are recognised by what they run, so they can be updated and removed without touching anything else.
//
// - Review gate: a command hook, `node <stable copy> hook stop`, run when Claude Code is about to stop.
// - Plan checkpoint: a command hook, `node <stable copy> hook plan`, run after Claude Code leaves plan mode
//   (PostToolUse, matcher ExitPlanMode): Codex reviews the plan and Claude reads the critique before implementing.
// - /clear reset: an `mcp_tool` hook on SessionStart with matcher "clear" that calls our `reset` tool through Claude
//   Code's own connection, so it resets exactly the Codex session Claude talks to (the editor's when attached, else
//   the one of the server Claude Code started). Claude Code offers no MCP connection to SessionStart at start-up, but
//   does after /clear.
import { shellQuote } from "../../server/protocol/text";
import { CLAUDE_SERVER_NAME, isObject } from "./claudeCode";

export const SETTINGS_LOCAL_PATH = [".claude", "settings.local.json"] as const;

/** How long the gate lets Codex review (its --timeout-sec); Claude Code's own hook timeout is set a little longer. */
export const GATE_TIMEOUT_SEC = 300;
const HOOK_TIMEOUT_MARGIN_SEC = 30;

export interface CommandHook {
  type: "command";
  command: string;
  timeout?: number;
  [key: string]: unknown;
}

export interface McpToolHook {
  type: "mcp_tool";
  server: string;
  tool: string;
  [key: string]: unknown;
}

export function gateHook(serverPath: string, platform: NodeJS.Platform): CommandHook {
  return {
    type: "command",
    command: `node ${shellQuote(serverPath, platform)} hook stop --timeout-sec ${GATE_TIMEOUT_SEC}`,
    timeout: GATE_TIMEOUT_SEC + HOOK_TIMEOUT_MARGIN_SEC,
  };
}

/** How long the plan checkpoint lets Codex review a plan (its --timeout-sec). */
export const PLAN_TIMEOUT_SEC = 300;
/** The tool Claude Code calls to leave plan mode: the plan checkpoint's PostToolUse matcher. */
export const PLAN_EXIT_MATCHER = "ExitPlanMode";

export function planHook(serverPath: string, platform: NodeJS.Platform): CommandHook {
  return {
    type: "command",
    command: `node ${shellQuote(serverPath, platform)} hook plan --timeout-sec ${PLAN_TIMEOUT_SEC}`,
    timeout: PLAN_TIMEOUT_SEC + HOOK_TIMEOUT_MARGIN_SEC,
  };
}

export function clearResetHook(): McpToolHook {
  return { type: "mcp_tool", server: CLAUDE_SERVER_NAME, tool: "reset" };
}

/** Our Stop hook, whichever copy of the server it runs (the stable copy, the npm bin, a checkout's dist/server.js). */
export function isGateHook(hook: unknown): boolean {
  return isObject(hook) && hook.type === "command" && typeof hook.command === "string" && /(codex-fusion-mcp(\.js)?|server\.js)["']?\s+hook\s+stop\b/.test(hook.command);
}

export function isPlanHook(hook: unknown): boolean {
  return isObject(hook) && hook.type === "command" && typeof hook.command === "string" && /(codex-fusion-mcp(\.js)?|server\.js)["']?\s+hook\s+plan\b/.test(hook.command);
}

export function isClearResetHook(hook: unknown): boolean {
  return isObject(hook) && hook.type === "mcp_tool" && hook.server === CLAUDE_SERVER_NAME && hook.tool === "reset";
}

export interface HooksState {
  gate: boolean;
  clearReset: boolean;
  plan: boolean;
}

export type SettingsRead = { ok: true; root: Record<string, unknown> } | { ok: false; reason: string };

/** Parses the text of settings.local.json (null: no file yet). A file that is not a JSON object is refused. */
export function parseSettings(text: string | null): SettingsRead {
  if (text === null || text.trim() === "") return { ok: true, root: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `.claude/settings.local.json is not valid JSON (${(error as Error).message}); fix it or add the hooks by hand` };
  }
  if (!isObject(parsed)) return { ok: false, reason: ".claude/settings.local.json does not hold a JSON object; fix it or add the hooks by hand" };
  if (parsed.hooks !== undefined && !isObject(parsed.hooks)) return { ok: false, reason: `"hooks" in .claude/settings.local.json is not an object; fix it or add the hooks by hand` };
  return { ok: true, root: parsed };
}

export function readHooksState(root: Record<string, unknown>): HooksState {
  const hooks = isObject(root.hooks) ? root.hooks : {};
  return { gate: hooksOf(hooks.Stop).some(isGateHook), clearReset: hooksOf(hooks.SessionStart).some(isClearResetHook), plan: hooksOf(hooks.PostToolUse).some(isPlanHook) };
}

/** What to change: a field left out leaves that hook of ours as it is. */
export interface WantedHooks {
  /** Our Stop hook (null: none). */
  gate?: CommandHook | null;
  clearReset?: boolean;
  /** Our PostToolUse hook on ExitPlanMode (null: none). */
  plan?: CommandHook | null;
}

export type SettingsMerge = { ok: true; text: string; change: "changed" | "unchanged" } | { ok: false; reason: string };

/** Puts exactly the wanted hooks of ours into the settings text, leaving everything else as it was. */
export function mergeHooks(existing: string | null, wanted: WantedHooks): SettingsMerge {
  const read = parseSettings(existing);
  if (!read.ok) return read;
  const hooks: Record<string, unknown> = isObject(read.root.hooks) ? { ...read.root.hooks } : {};
  for (const [event, value] of Object.entries(hooks)) {
    if (value !== undefined && !Array.isArray(value)) return { ok: false, reason: `"hooks.${event}" in .claude/settings.local.json is not a list; fix it or add the hooks by hand` };
  }
  if (wanted.gate !== undefined) setOurs(hooks, "Stop", isGateHook, wanted.gate ? { hooks: [wanted.gate] } : null);
  if (wanted.plan !== undefined) setOurs(hooks, "PostToolUse", isPlanHook, wanted.plan ? { matcher: PLAN_EXIT_MATCHER, hooks: [wanted.plan] } : null);
  if (wanted.clearReset !== undefined) setOurs(hooks, "SessionStart", isClearResetHook, wanted.clearReset ? { matcher: "clear", hooks: [clearResetHook()] } : null);

  const root = { ...read.root };
  if (Object.keys(hooks).length > 0) root.hooks = hooks;
  else delete root.hooks;
  if (JSON.stringify(root) === JSON.stringify(read.root)) return { ok: true, text: existing ?? "", change: "unchanged" };
  return { ok: true, text: `${JSON.stringify(root, null, 2)}\n`, change: "changed" };
}

/**
 * Removes our hooks from one event's groups (a group left empty by that goes too) and appends `group` when given.
 * An identical hook already in place stays where it is.
 */
function setOurs(hooks: Record<string, unknown>, event: string, ours: (hook: unknown) => boolean, group: Record<string, unknown> | null): void {
  const groups = Array.isArray(hooks[event]) ? (hooks[event] as unknown[]) : [];
  if (group && groups.some((existing) => JSON.stringify(existing) === JSON.stringify(group))) {
    // Keep the identical group; drop any other copies of ours.
    let kept = false;
    hooks[event] = groups.flatMap((existing) => {
      if (JSON.stringify(existing) === JSON.stringify(group) && !kept) {
        kept = true;
        return [existing];
      }
      return withoutOurs(existing, ours);
    });
    return;
  }
  const next = groups.flatMap((existing) => withoutOurs(existing, ours));
  if (group) next.push(group);
  if (next.length > 0) hooks[event] = next;
  else delete hooks[event];
}

function withoutOurs(group: unknown, ours: (hook: unknown) => boolean): unknown[] {
  if (!isObject(group) || !Array.isArray(group.hooks)) return [group];
  const remaining = group.hooks.filter((hook) => !ours(hook));
  if (remaining.length === group.hooks.length) return [group];
  return remaining.length > 0 ? [{ ...group, hooks: remaining }] : [];
}

function hooksOf(groups: unknown): unknown[] {
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((group) => (isObject(group) && Array.isArray(group.hooks) ? group.hooks : []));
}
