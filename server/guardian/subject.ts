// What a permission request asks for, read from the shapes codex-acp 2.6 really sends (its
// CommandReporter, FileChangeReporter, SandboxPermissionReporter, ElicitationReporter): network of every
// protocol, MCP tool calls, sandbox widenings, commands, file tools. Pure. The policy decides on this;
// the permission view shows it. Structured signs only: shell text is never parsed.
//
// codex-acp's shapes (v1 client, not AIR), in short:
// - command: kind `execute`, rawInput {command, cwd}; locations = paths of Codex's parsed read/search actions.
// - network: the same command request with `networkApprovalContext` {host, protocol}: title
//   "<protocol> network access to <host>", a text content "<protocol> access to <host>", and
//   rawInput.url only for http/https. socks5Tcp / socks5Udp carry no URL. Options may include
//   `apply_network_policy_amendment:N` (a lasting host rule).
// - sandbox widening: rawInput.additionalPermissions {network?, fileSystem?} on a command, or a
//   `request_permissions` call (kind `other`, rawInput.permissions, locations = the granted roots).
// - MCP tool approval: a message-only elicitation turned into a permission: either the earlier MCP tool
//   call's id with only {kind: execute, status} and request `_meta.is_mcp_tool_approval`, or a standalone
//   call titled "MCP tool call approval" with rawInput {serverName, description}. A URL elicitation is
//   kind `fetch` with rawInput {serverName, url}.
import type { PermissionCategory } from "../protocol/results";
import { clip } from "../protocol/text";
import { isRecord } from "./requestPaths";

/** What the tool call was announced as before the request (the turn's `tool_call` update), when known. */
export interface AnnouncedToolCall {
  title?: string | null;
  kind?: string | null;
  rawInput?: unknown;
  meta?: unknown;
}

export interface Subject {
  category: PermissionCategory;
  /** A short truthful phrase for the categories whose tool-call title says little ("socks5/TCP to example.com"). */
  what: string | null;
}

/** The longest a command, title or target is shown. */
export const MAX_SHOWN = 120;

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

// Codex's NetworkApprovalProtocol (http, https, socks5Tcp, socks5Udp) plus anything socks-, tcp- or udp-like
// a later version may add: a false "network" only makes a request asked.
const PROTOCOL = String.raw`(https?|socks\w*|tcp\w*|udp\w*|wss?|ftp)`;
const NETWORK_TITLE = new RegExp(String.raw`^${PROTOCOL}\s+network access to\s+(\S.*)$`, "i");
const NETWORK_TEXT = new RegExp(String.raw`^${PROTOCOL}\s+access to\s+(\S.*)$`, "i");

function protocolLabel(protocol: string): string {
  const lower = protocol.toLowerCase();
  if (lower === "socks5tcp") return "socks5/TCP";
  if (lower === "socks5udp") return "socks5/UDP";
  return protocol;
}

/** The network target of a request, or null when nothing structured says it reaches the network. */
function networkTarget(request: Record<string, unknown>, toolCall: Record<string, unknown>): string | null {
  const rawInput = isRecord(toolCall["rawInput"]) ? toolCall["rawInput"] : {};
  const title = text(toolCall["title"]);
  const fromTitle = title ? NETWORK_TITLE.exec(title) : null;
  if (fromTitle) return `${protocolLabel(fromTitle[1]!)} to ${fromTitle[2]!.trim()}`;
  const content = Array.isArray(toolCall["content"]) ? toolCall["content"] : [];
  for (const item of content) {
    const inner = isRecord(item) && isRecord(item["content"]) ? text(item["content"]["text"]) : null;
    const fromText = inner ? NETWORK_TEXT.exec(inner) : null;
    if (fromText) return `${protocolLabel(fromText[1]!)} to ${fromText[2]!.trim()}`;
  }
  const url = text(rawInput["url"]);
  if (url) {
    const server = text(rawInput["serverName"]);
    return server ? `MCP server \`${server}\` opens ${url}` : url;
  }
  if (toolCall["kind"] === "fetch") return title ?? "a fetch with no URL";
  const options = Array.isArray(request["options"]) ? request["options"] : [];
  if (options.some((o) => isRecord(o) && typeof o["optionId"] === "string" && /network_policy/i.test(o["optionId"]))) {
    return title ?? "a host Codex did not name";
  }
  const meta = isRecord(request["_meta"]) && isRecord(request["_meta"]["permission_prompt"]) ? request["_meta"]["permission_prompt"] : null;
  if (meta && /network/i.test(String(meta["title"] ?? ""))) return title ?? "a host Codex did not name";
  return null;
}

/** A request for more sandbox than read-only: extra permissions on a command, a permission profile, a grant root. */
function sandboxWidening(toolCall: Record<string, unknown>): string | null {
  const rawInput = isRecord(toolCall["rawInput"]) ? toolCall["rawInput"] : {};
  const extra = rawInput["additionalPermissions"] ?? rawInput["permissions"];
  // A command's title is its text: only a request that shows no command is named by its title.
  const named = toolCall["name"] === "request_permissions" || (visibleCommand(toolCall) === null && /sandbox permissions/i.test(text(toolCall["title"]) ?? ""));
  const grantRoot = text(rawInput["grant_root"]) ?? text(rawInput["grantRoot"]);
  if ((extra === undefined || extra === null) && !named && !grantRoot) return null;
  const grants: string[] = [];
  if (isRecord(extra)) {
    if (isRecord(extra["network"]) && extra["network"]["enabled"] === true) grants.push("network access");
    const fileSystem = isRecord(extra["fileSystem"]) ? extra["fileSystem"] : {};
    const count = (key: string) => (Array.isArray(fileSystem[key]) ? (fileSystem[key] as unknown[]).length : 0);
    if (count("write") > 0) grants.push(`write access to ${count("write")} path${count("write") > 1 ? "s" : ""}`);
    if (count("read") > 0) grants.push(`read access to ${count("read")} path${count("read") > 1 ? "s" : ""}`);
    if (count("entries") > 0) grants.push(`${count("entries")} file-system rule${count("entries") > 1 ? "s" : ""}`);
  }
  if (grantRoot) grants.push(`write access under ${grantRoot}`);
  return grants.length > 0 ? grants.join(", ") : "permissions it did not list";
}

/** An MCP tool call or MCP server question, with server and tool when anything names them. */
function mcpCall(request: Record<string, unknown>, toolCall: Record<string, unknown>, announced: AnnouncedToolCall | undefined): string | null {
  const rawInput = isRecord(toolCall["rawInput"]) ? toolCall["rawInput"] : {};
  const flagged = (meta: unknown, key: string) => isRecord(meta) && meta[key] === true;
  const announcedInput = isRecord(announced?.rawInput) ? announced.rawInput : {};
  const toolCallId = typeof toolCall["toolCallId"] === "string" ? toolCall["toolCallId"] : "";
  // A command's title is its text (`mcp.sh start`): only a request that shows no command is named by its title.
  const title = visibleCommand(toolCall) === null ? text(toolCall["title"]) : null;
  const isMcp =
    flagged(request["_meta"], "is_mcp_tool_approval") ||
    flagged(toolCall["_meta"], "is_mcp_tool_call") ||
    flagged(announced?.meta, "is_mcp_tool_call") ||
    text(rawInput["serverName"]) !== null ||
    (text(rawInput["server"]) !== null && text(rawInput["tool"]) !== null) ||
    /^mcp[._]/i.test(title ?? "") ||
    /^mcp tool call approval$|^question from mcp server$/i.test(title ?? "") ||
    /(^|:)elicitation:/.test(toolCallId) ||
    (text(announcedInput["server"]) !== null && text(announcedInput["tool"]) !== null);
  if (!isMcp) return null;
  const message = text(rawInput["description"]);
  const server = text(rawInput["server"]) ?? text(rawInput["serverName"]) ?? text(announcedInput["server"]) ?? dotted(title ?? announced?.title)?.server ?? null;
  const tool = text(rawInput["tool"]) ?? text(announcedInput["tool"]) ?? (message ? /run tool "([^"]+)"/.exec(message)?.[1] ?? null : null) ?? dotted(title ?? announced?.title)?.tool ?? null;
  if (/^question from mcp server$/i.test(title ?? "")) return `a question from MCP server \`${server ?? "unnamed"}\``;
  if (tool === null && server === null) return "an MCP tool (the request names neither server nor tool)";
  return `MCP tool \`${tool ?? "unnamed"}\` on server \`${server ?? "unnamed"}\``;
}

// codex-acp titles an MCP tool call `mcp.<server>.<tool>`.
function dotted(title: string | null | undefined): { server: string; tool: string } | null {
  const match = title ? /^mcp\.([^.]+)\.(.+)$/i.exec(title) : null;
  return match ? { server: match[1]!, tool: match[2]! } : null;
}

/** The command a request shows, or null when it shows none (then it cannot be judged as a command). */
/** The command a request shows, as sent: a non-empty string (codex-acp) or argv (the older agent), under `command` or `cmd`. */
export function rawCommand(rawInput: unknown): string | string[] | null {
  if (!isRecord(rawInput)) return null;
  const command = rawInput["command"] ?? rawInput["cmd"];
  if (typeof command === "string" && command.trim() !== "") return command;
  if (Array.isArray(command) && command.length > 0 && command.every((a) => typeof a === "string")) return command as string[];
  return null;
}

export function visibleCommand(toolCall: Record<string, unknown>): string | null {
  const command = rawCommand(toolCall["rawInput"]);
  if (typeof command === "string") return clip(command, MAX_SHOWN);
  if (command !== null) {
    const argv = command;
    // The old agent sends ["bash", "-lc", "<script>"]: show the script.
    if (argv.length === 3 && /(^|[\\/])(ba|z|da|k)?sh$/.test(argv[0]!) && /^-\w*c$/.test(argv[1]!)) return clip(argv[2]!, MAX_SHOWN);
    return clip(argv.join(" "), MAX_SHOWN);
  }
  return null;
}

export function titleOf(toolCall: Record<string, unknown>): string {
  const title = text(toolCall["title"]);
  return title ? clip(title, MAX_SHOWN) : "untitled";
}

/**
 * The category and, for network / MCP / sandbox, what exactly. Network wins over everything (it is
 * always asked), then MCP, then a sandbox widening, then the tool kind.
 */
export function subjectOf(request: Record<string, unknown>, toolCall: Record<string, unknown>, announced?: AnnouncedToolCall): Subject {
  const network = networkTarget(request, toolCall);
  if (network !== null) return { category: "network", what: clip(network, MAX_SHOWN) };
  const mcp = mcpCall(request, toolCall, announced);
  if (mcp !== null) return { category: "mcp", what: clip(mcp, MAX_SHOWN) };
  const sandbox = sandboxWidening(toolCall);
  if (sandbox !== null) return { category: "sandbox", what: clip(sandbox, MAX_SHOWN) };
  const kind = toolCall["kind"];
  if (kind === "read" || kind === "search") return { category: "read", what: null };
  if (kind === "edit" || kind === "delete" || kind === "move") return { category: "edit", what: null };
  if (kind === "execute") return { category: "command", what: null };
  return { category: "other", what: null };
}
