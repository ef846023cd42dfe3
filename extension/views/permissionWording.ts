// What a permission request is, in words a person reads at a glance: "run `npm test` in ./pkg", "edit 3 files in
// src/", "read ~/.ssh/config". Pure (no vscode): the notification, the tree and the details page all use it.
import * as path from "node:path";
import type { PermissionDecision, PermissionSource, PermissionView } from "../../server/control/protocol";
import { fenced } from "./fence";

/** Where paths are shown from: the workspace roots (relative inside them) and the home directory (`~`). */
export interface PathContext {
  roots: readonly string[];
  home: string | null;
  /** Defaults to node:path of this platform; tests pass path.posix / path.win32. */
  pathApi?: path.PlatformPath;
}

/** A settled request, as the extension remembers it. */
export interface Resolution {
  decision: PermissionDecision;
  source: PermissionSource;
  note?: string;
  decidedAt: number;
}

const MAX_COMMAND = 100;

/** The one-line sentence after "Codex wants to …". */
export function describePermission(view: PermissionView, ctx: PathContext): string {
  if (view.command) return `run \`${clip(view.command, MAX_COMMAND)}\`${cwdPhrase(view.cwd, ctx)}`;
  const files = filesPhrase(view.paths, ctx);
  const title = clip(view.title || view.kind || "a tool call", 80);
  switch (view.category) {
    case "edit":
      return files ? `edit ${files}` : `edit files (${title})`;
    case "read":
      return files ? `read ${files}` : `read files (${title})`;
    case "network":
      return `use the network (${title})`;
    case "command":
      return `run a command (${title})${cwdPhrase(view.cwd, ctx)}`;
    default:
      return files ? `use “${title}” on ${files}` : `use “${title}”`;
  }
}

/** The notification text. */
export function notificationMessage(view: PermissionView, ctx: PathContext): string {
  const why = view.justification ? ` Codex says: “${clip(view.justification, 160)}”` : "";
  return `Codex wants to ${describePermission(view, ctx)}.${why}`;
}

/** Shows a path relative to the workspace when inside it, with `~` for the home directory, else absolute. */
export function displayPath(target: string, ctx: PathContext): string {
  const p = ctx.pathApi ?? path;
  const rel = relativeToRoots(target, ctx);
  if (rel !== null) return rel === "" ? "." : toSlashes(rel, p);
  if (ctx.home) {
    const fromHome = within(ctx.home, target, p);
    if (fromHome !== null) return fromHome === "" ? "~" : `~/${toSlashes(fromHome, p)}`;
  }
  return target;
}

/** " in ./pkg", " in the workspace", " in ~/other", "" when unknown. */
export function cwdPhrase(cwd: string | null, ctx: PathContext): string {
  if (!cwd) return "";
  const p = ctx.pathApi ?? path;
  const rel = relativeToRoots(cwd, ctx);
  if (rel === "") return " in the workspace";
  if (rel !== null) return ` in ./${toSlashes(rel, p)}`;
  return ` in ${displayPath(cwd, ctx)}`;
}

/** "src/a.ts", "3 files in src/", "2 files: a.ts, ~/b", or null when there are none. */
export function filesPhrase(paths: readonly string[], ctx: PathContext): string | null {
  if (paths.length === 0) return null;
  const shown = paths.map((target) => displayPath(target, ctx));
  if (shown.length === 1) return shown[0]!;
  const dir = commonDirectory(shown);
  if (dir) return `${shown.length} files in ${dir}/`;
  const listed = shown.slice(0, 3).join(", ");
  return `${shown.length} files: ${listed}${shown.length > 3 ? ", …" : ""}`;
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

function relativeToRoots(target: string, ctx: PathContext): string | null {
  const p = ctx.pathApi ?? path;
  let best: string | null = null;
  for (const root of ctx.roots) {
    const rel = within(root, target, p);
    if (rel !== null && (best === null || rel.length < best.length)) best = rel;
  }
  return best;
}

/** The path of target relative to dir when target is dir or inside it, else null. */
function within(dir: string, target: string, p: path.PlatformPath): string | null {
  if (!p.isAbsolute(target)) return null;
  const rel = p.relative(p.resolve(dir), p.resolve(target));
  if (rel === "") return "";
  if (rel === ".." || rel.startsWith(`..${p.sep}`) || p.isAbsolute(rel)) return null;
  return rel;
}

function toSlashes(rel: string, p: path.PlatformPath): string {
  return p.sep === "\\" ? rel.split("\\").join("/") : rel;
}

/** The longest directory every shown path is in ("src", "~/.config"), or null when there is none. */
function commonDirectory(shown: readonly string[]): string | null {
  const dirs = shown.map((item) => item.split("/").slice(0, -1));
  const first = dirs[0]!;
  let length = first.length;
  for (const dir of dirs.slice(1)) {
    let i = 0;
    while (i < length && i < dir.length && dir[i] === first[i]) i++;
    length = i;
  }
  const common = first.slice(0, length);
  if (common.length === 0 || (common.length === 1 && common[0] === "")) return null;
  return common.join("/");
}

function clip(text: string, max: number): string {
  const flat = oneLine(text);
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

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
