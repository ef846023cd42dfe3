// Turns an ACP permission request into what a person or a model is shown, and describes it in words.
import type * as acp from "@agentclientprotocol/sdk";
import type { PermissionCategory, PermissionView } from "../control/protocol";

let nextPermissionNumber = 1;

export function buildPermissionView(input: {
  request: acp.RequestPermissionRequest;
  turnId: string | null;
  category: PermissionCategory;
  reason: string;
  paths: string[];
  cwd: string | null;
  diffPreview: string | null;
}): PermissionView {
  const { toolCall, options } = input.request;
  const raw = (toolCall.rawInput ?? {}) as Record<string, unknown>;
  return {
    id: `perm-${nextPermissionNumber++}`,
    turnId: input.turnId,
    kind: toolCall.kind ?? "other",
    category: input.category,
    title: toolCall.title ?? toolCall.kind ?? "a tool call",
    command: commandText(raw.command),
    cwd: input.cwd ?? (typeof raw.cwd === "string" ? raw.cwd : null),
    paths: input.paths,
    reason: input.reason,
    justification: firstString(raw.justification, raw.reason, raw.explanation),
    diffPreview: input.diffPreview,
    options: options.map(({ optionId, name, kind }) => ({ optionId, name, kind })),
    createdAt: Date.now(),
  };
}

/** Commands arrive as a string (codex-acp) or an argv array (the older agent). */
export function commandText(command: unknown): string | null {
  if (typeof command === "string") return command;
  if (Array.isArray(command) && command.every((part) => typeof part === "string")) {
    return command.map((part: string) => (/^[\w@%+=:,./-]+$/.test(part) ? part : `'${part.replace(/'/g, `'\\''`)}'`)).join(" ");
  }
  return null;
}

function firstString(...values: unknown[]): string | null {
  for (const value of values) if (typeof value === "string" && value.trim()) return value.trim();
  return null;
}

/** One line: what Codex wants, e.g. "run `npm test` in /ws/pkg" or "edit 3 files: a.ts, b.ts, c.ts". */
export function describeRequest(view: PermissionView): string {
  if (view.command) return `run \`${view.command}\`${view.cwd ? ` in ${view.cwd}` : ""}`;
  const files = view.paths.length === 1 ? view.paths[0] : `${view.paths.length} files: ${view.paths.slice(0, 3).join(", ")}${view.paths.length > 3 ? ", …" : ""}`;
  switch (view.category) {
    case "edit":
      return view.paths.length > 0 ? `edit ${files}` : `edit files (${view.title})`;
    case "read":
      return view.paths.length > 0 ? `read ${files}` : `read (${view.title})`;
    case "network":
      return `reach the network (${view.title})`;
    default:
      return view.title;
  }
}
