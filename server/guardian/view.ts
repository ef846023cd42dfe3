// Turns an ACP permission request into what a person or a model is shown.
import type * as acp from "@agentclientprotocol/sdk";
import type { PermissionCategory, PermissionView } from "../protocol/results";
import { posixQuote } from "../protocol/text";
import { describePermission, type PathContext } from "../protocol/wording";
import { rawCommand } from "./subject";

let nextPermissionNumber = 1;

export function buildPermissionView(input: {
  request: acp.RequestPermissionRequest;
  turnId: string | null;
  category: PermissionCategory;
  /** The policy's phrase for network / MCP / sandbox requests, shown as the title (theirs says little). */
  what?: string | null;
  reason: string;
  paths: string[];
  cwd: string | null;
  diffPreview: string | null;
  /** Where paths are shown from in the one-line summary. */
  pathContext: PathContext;
}): PermissionView {
  const { toolCall, options } = input.request;
  const raw = (toolCall.rawInput ?? {}) as Record<string, unknown>;
  const view: Omit<PermissionView, "summary"> = {
    id: `perm-${nextPermissionNumber++}`,
    turnId: input.turnId,
    kind: toolCall.kind ?? "other",
    category: input.category,
    title: input.what ?? toolCall.title ?? toolCall.kind ?? "a tool call",
    command: commandText(rawCommand(raw)),
    cwd: input.cwd ?? (typeof raw.cwd === "string" ? raw.cwd : null),
    paths: input.paths,
    reason: input.reason,
    justification: firstString(raw.justification, raw.reason, raw.explanation),
    diffPreview: input.diffPreview,
    options: options.map(({ optionId, name, kind }) => ({ optionId, name, kind })),
    createdAt: Date.now(),
  };
  return { ...view, summary: describePermission({ ...view, summary: "" }, input.pathContext) };
}

/** The whole command as a person reads it before deciding (never clipped): the string, or the argv quoted. */
export function commandText(command: unknown): string | null {
  if (typeof command === "string") return command;
  if (Array.isArray(command) && command.every((part) => typeof part === "string")) {
    return command.map(posixQuote).join(" ");
  }
  return null;
}

function firstString(...values: unknown[]): string | null {
  for (const value of values) if (typeof value === "string" && value.trim()) return value.trim();
  return null;
}
