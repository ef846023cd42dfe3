// A delegate's outcome as the caller sees it: Codex's summary, the change (patch, file list, what needs a person's
// eye), the commands it ran, the verify outcome and what to do next — as structuredContent and as text. Pure.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { TurnOutcome } from "../agent/turn/turn";
import type { ChangedFile, DelegateCommand, DelegateResult, VerifyOutcome } from "../protocol/delegate";
import type { ProtocolError } from "../protocol/errors";
import type { TurnResult } from "../protocol/results";
import { errorText, modelView, permitInstruction } from "../tools/results";
import { attentionOf, filesLine } from "./changedFiles";

/** The most of a patch a result carries; the whole patch is always in the patch file. */
export const MAX_PATCH_CHARS = 200_000;

export interface DelegateFacts {
  changeId: string;
  repoRoot: string;
  copyRoot: string;
  outcome: TurnOutcome;
  patch: string;
  patchFile: string | null;
  files: ChangedFile[];
  commands: DelegateCommand[];
  verify: VerifyOutcome | null;
  pendingCount: number;
}

export function delegateResult(facts: DelegateFacts): DelegateResult {
  const { outcome } = facts;
  const state = outcome.kind === "permission" ? "waiting_for_permission" : outcome.kind === "failed" ? "failed" : facts.files.length > 0 ? "proposed" : "no_changes";
  const truncated = facts.patch.length > MAX_PATCH_CHARS;
  const result: DelegateResult = {
    changeId: facts.changeId,
    state,
    next: nextStep(state, facts),
    summary: outcome.result.answer,
    files: facts.files,
    attention: attentionOf(facts.files),
    patch: truncated ? `${facts.patch.slice(0, MAX_PATCH_CHARS)}\n[… the patch is cut here: the whole of it is in ${facts.patchFile} …]\n` : facts.patch,
    patchTruncated: truncated,
    patchFile: facts.patchFile,
    repoRoot: facts.repoRoot,
    copyRoot: facts.copyRoot,
    commands: facts.commands,
    verify: facts.verify,
    stopReason: outcome.result.stopReason,
    durationMs: outcome.result.durationMs,
    sessionId: outcome.result.sessionId,
  };
  if (outcome.result.tokens) result.tokens = outcome.result.tokens;
  if (outcome.kind === "permission") result.pendingPermission = modelView(outcome.request);
  if (outcome.result.notes?.length) result.notes = outcome.result.notes;
  if (outcome.kind === "failed") result.error = outcome.error;
  return result;
}

function nextStep(state: DelegateResult["state"], facts: DelegateFacts): string {
  const again = `call reply with change "${facts.changeId}" to have Codex change it further`;
  switch (state) {
    case "waiting_for_permission":
      return facts.outcome.kind === "permission" ? `${permitInstruction(facts.outcome.request, facts.pendingCount)} The delegate's result (with its patch) comes back from permit.` : "";
    case "failed":
      return `The delegate failed (see error). ${facts.files.length > 0 ? `Its partial change is in ${facts.patchFile}; review it before using any of it. ` : ""}${again.charAt(0).toUpperCase()}${again.slice(1)}, or call reset to drop its copy.`;
    case "no_changes":
      return `Codex changed no file. Read its summary; ${again}, or call reset to drop the copy.`;
    case "proposed": {
      const look = facts.files.some((file) => file.protectedPath || file.symlink || file.executable) ? " Look at the files listed in attention first: they need the person's explicit agreement." : "";
      return `Nothing was written to the workspace. Review the patch with your own tools (it is in patch, whole in ${facts.patchFile});${look} land it with \`git -C ${facts.repoRoot} apply ${facts.patchFile}\` (check first with \`git apply --check\`; \`--3way\` if the workspace changed since), under your own permissions. Or ${again}.`;
    }
  }
}

/** The text form: what to do first, then Codex's summary, the files, commands, verify, and the patch. */
export function delegateText(result: DelegateResult): string {
  const lines = [`Change ${result.changeId} — ${result.state.replace(/_/g, " ")}: ${filesLine(result.files)}`, "", `Next: ${result.next}`];
  if (result.pendingPermission) lines.push("", `Codex asks to ${result.pendingPermission.summary} (${result.pendingPermission.reason}).`);
  if (result.attention.length > 0) lines.push("", "Needs explicit confirmation:", ...result.attention.map((line) => `- ${line}`));
  if (result.summary.trim()) lines.push("", "Codex's summary:", result.summary.trim());
  if (result.files.length > 0) lines.push("", "Files:", ...result.files.map((file) => `- ${file.path} (${file.status}, ${file.binary ? "binary" : `+${file.added} −${file.removed}`})`));
  if (result.commands.length > 0) lines.push("", "Commands Codex ran:", ...result.commands.map((command) => `- \`${command.command}\` → ${command.exitCode === null ? "exit unknown" : `exit ${command.exitCode}`}`));
  if (result.verify) lines.push("", `Verify \`${result.verify.command}\`: ${!result.verify.ran ? "not run" : result.verify.passed === null ? "ran, exit unknown" : result.verify.passed ? "passed" : `failed (exit ${result.verify.exitCode})`}`);
  if (result.notes?.length) lines.push("", ...result.notes.map((note) => `Note: ${note}`));
  if (result.patch) lines.push("", "```diff", result.patch.replace(/\n$/, ""), "```");
  return lines.join("\n");
}

export function delegateToolResult(result: DelegateResult): CallToolResult {
  const text = delegateText(result);
  return {
    content: [{ type: "text", text: result.error ? `${errorText(result.error)}\n\n${text}` : text }],
    structuredContent: result,
    ...(result.error ? { isError: true } : {}),
  };
}

export function delegateErrorResult(error: ProtocolError): CallToolResult {
  return { content: [{ type: "text", text: errorText(error) }], isError: true };
}

/**
 * A delegate's result in the shape `reply` and `permit` declare (a turn result): the whole text form as the answer,
 * so a client that reads only structuredContent still gets the patch, the files and what to do next.
 */
export function delegateAsTurnResult(result: DelegateResult): CallToolResult {
  const text = delegateText(result);
  const turn: TurnResult = { answer: text, verdict: null, verdictText: null, findings: [], stopReason: result.stopReason, durationMs: result.durationMs, sessionId: result.sessionId, next: result.next };
  if (result.tokens) turn.tokens = result.tokens;
  if (result.pendingPermission) turn.pendingPermission = result.pendingPermission;
  if (result.notes?.length) turn.notes = result.notes;
  if (result.error) turn.error = result.error;
  return {
    content: [{ type: "text", text: result.error ? `${errorText(result.error)}\n\n${text}` : text }],
    structuredContent: turn,
    ...(result.error ? { isError: true } : {}),
  };
}
