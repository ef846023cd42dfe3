// Permission requests for a person: the notification text, who decided, the details page. Pure (no vscode); the
// one-line description itself is shared with the server (server/protocol/wording.ts).
import type { PermissionDecision, PermissionSource, PermissionView, TurnSummary } from "../../server/protocol/results";
import { clip, oneLine } from "../../server/protocol/text";
import { cwdPhrase, describePermission, displayPath, filesPhrase, type PathContext } from "../../server/protocol/wording";

export { cwdPhrase, describePermission, displayPath, filesPhrase, type PathContext };
import { fenced } from "../fence";

/** A settled request, as the extension remembers it. */
export interface Resolution {
  decision: PermissionDecision;
  source: PermissionSource;
  note?: string;
  decidedAt: number;
}

/** The notification text. */
export function notificationMessage(view: PermissionView, ctx: PathContext, turns: readonly TurnSummary[] = []): string {
  const why = view.justification ? ` Codex says: “${clip(view.justification, 160)}”` : "";
  const asking = askingTurnLabel(view, turns);
  return `Codex wants to ${describePermission(view, ctx)}${asking ? ` (for ${asking})` : ""}.${why}`;
}

/**
 * Which turn asks, when several run side by side ("the consult from claude-code: Is the cache safe?"); null when one
 * turn (or none) runs, where it goes without saying.
 */
export function askingTurnLabel(view: PermissionView, turns: readonly TurnSummary[]): string | null {
  if (turns.length < 2 || view.turnId === null) return null;
  const turn = turns.find((candidate) => candidate.id === view.turnId);
  if (!turn) return null;
  const tool = turn.tool.replace("_", " ");
  return `the ${tool}${turn.client ? ` from ${turn.client}` : ""}${turn.summary ? `: ${clip(turn.summary, 60)}` : ""}`;
}

/** Who settled a request, as a person says it. */
export function sourceLabel(source: PermissionSource): string {
  switch (source) {
    case "editor":
      return "you";
    case "claude":
      return "Claude";
    case "policy":
      return "the guardian policy";
    case "timeout":
      return "the timeout";
    case "withdrawn":
      return "Codex";
  }
}

export function decisionLabel(decision: PermissionDecision): string {
  switch (decision) {
    case "allow":
      return "allowed";
    case "allow_session":
      return "allowed for the session";
    case "deny":
      return "denied";
  }
}

/** "allowed by you", "denied by Claude", "denied (no answer in time)", "withdrawn by Codex". */
export function resolutionPhrase(resolution: Pick<Resolution, "decision" | "source">): string {
  if (resolution.source === "withdrawn") return "withdrawn by Codex";
  if (resolution.source === "timeout") return "denied (no answer in time)";
  return `${decisionLabel(resolution.decision)} by ${sourceLabel(resolution.source)}`;
}

/** What a click on a notification whose request is already settled says. */
export function alreadyDecidedMessage(resolution: Pick<Resolution, "decision" | "source">): string {
  if (resolution.source === "withdrawn") return "Codex already withdrew this request.";
  if (resolution.source === "timeout") return "This request was already denied: nobody answered in time.";
  return `Already decided by ${sourceLabel(resolution.source)} (${resolution.decision}).`;
}

/** The full request as a markdown page (the Details view). */
export function permissionDetailsMarkdown(view: PermissionView, ctx: PathContext, resolution: Resolution | null): string {
  const lines: string[] = [];
  lines.push(`# Codex wants to ${escapeInline(describePermission(view, ctx))}`, "");
  lines.push(resolution ? `**Status:** ${resolutionPhrase(resolution)} at ${clock(resolution.decidedAt)}${resolution.note ? ` — ${escapeInline(oneLine(resolution.note))}` : ""}` : "**Status:** waiting for a decision", "");
  lines.push(`- **Request:** ${escapeInline(view.title)} (kind \`${view.kind}\`, category ${view.category}, id \`${view.id}\`)`);
  lines.push(`- **Asked at:** ${clock(view.createdAt)}`);
  if (view.cwd) lines.push(`- **Working directory:** ${escapeInline(view.cwd)}${displayPath(view.cwd, ctx) !== view.cwd ? ` (${escapeInline(displayPath(view.cwd, ctx))})` : ""}`);
  lines.push("");
  if (view.command) lines.push("## Command", "", fenced(view.command, "sh"), "");
  if (view.paths.length > 0) {
    lines.push("## Paths", "");
    for (const target of view.paths) {
      const shown = displayPath(target, ctx);
      lines.push(`- ${escapeInline(target)}${shown !== target ? ` (${escapeInline(shown)})` : ""}`);
    }
    lines.push("");
  }
  lines.push("## Codex's reason", "", view.justification ? quote(view.justification) : "_Codex gave no reason._", "");
  lines.push("## Why the guardian asks", "", quote(view.reason || "No reason given."), "");
  if (view.diffPreview) lines.push("## Change preview", "", fenced(view.diffPreview, "diff"), "");
  if (view.options.length > 0) {
    lines.push("## Options the agent offers", "");
    for (const option of view.options) lines.push(`- ${escapeInline(option.name)} (\`${option.kind}\`)`);
    lines.push("");
  }
  lines.push("Decide with **Allow once**, **Allow for session** or **Deny** in the notification or the Codex Fusion › Permissions view.");
  return lines.join("\n") + "\n";
}

// ── helpers ──────────────────────────────────────────────────────────────────────────────────────

function clock(ms: number): string {
  return new Date(ms).toLocaleString();
}

function quote(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join("\n");
}

/** The page is shown as text, not rendered: model text only needs to stay on its line. */
function escapeInline(text: string): string {
  return oneLine(text);
}
