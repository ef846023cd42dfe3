// Shapes session outcomes into MCP tool results: the answer as text with one footer line, the same as
// structuredContent, and failures as `isError` with one line saying what happened and what to do.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { PermissionView, TurnResult } from "../protocol/results";
import type { AskOutcome } from "../agent/askRequest";
import { oneLine } from "../protocol/text";

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}

export function outcomeResult(outcome: AskOutcome): CallToolResult {
  switch (outcome.kind) {
    case "error":
      return errorResult(outcome.error.message);
    case "failed": {
      const { message } = outcome.error;
      const partial = outcome.result.answer.trim();
      // A model error arrives as the answer text and is already quoted in the message: don't say it twice.
      const quoted = partial !== "" && message.includes(oneLine(partial).slice(0, 200));
      return {
        content: [{ type: "text", text: partial && !quoted ? `${message}\n\nPartial answer before the failure:\n${partial}` : message }],
        structuredContent: outcome.result,
        isError: true,
      };
    }
    case "permission":
      return {
        content: [{ type: "text", text: permissionText(outcome.request, outcome.result) }],
        structuredContent: outcome.result,
      };
    case "finished":
      return {
        content: [{ type: "text", text: answerText(outcome.result) }],
        structuredContent: outcome.result,
      };
  }
}

export function answerText(result: TurnResult): string {
  const parts: string[] = [];
  if (result.contextNote) parts.push(`Note: ${result.contextNote}`);
  parts.push(result.answer.trim() || "(Codex gave no text answer.)");
  for (const note of result.notes ?? []) parts.push(`Note: ${note}`);
  parts.push(footer(result));
  return parts.join("\n\n");
}

export function footer(result: TurnResult): string {
  const bits = [`Codex · ${(result.durationMs / 1000).toFixed(1)} s`];
  if (result.tokens?.total !== undefined) bits.push(`${thousands(result.tokens.total)} tokens`);
  if (result.stopReason !== "end_turn") bits.push(`stopped: ${result.stopReason}`);
  bits.push(result.verdict ? `verdict: ${result.verdict.toUpperCase()}` : "no verdict line");
  return `— ${bits.join(" · ")}`;
}

/** 12345 → "12,345" (what toLocaleString("en-US") gives, without Intl on every result). */
function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function permissionText(request: PermissionView, result: TurnResult): string {
  const lines = [
    `Codex is waiting for a decision before it can continue: it wants to ${request.summary}.`,
    `Kind: ${request.kind} (${request.category}). The guardian asks because: ${request.reason}.`,
  ];
  if (request.justification) lines.push(`Codex's reason: ${request.justification}`);
  if (request.paths.length > 0) lines.push(`Paths: ${request.paths.join(", ")}`);
  if (request.diffPreview) lines.push(`Change preview:\n${request.diffPreview.slice(0, 1500)}`);
  lines.push(
    'Answer with the permit tool: decision "allow" (once), "allow_session" (this and the same again for this session), or "deny" (Codex continues without it and still answers). A person in the editor may answer first; permit then says who did.',
  );
  if (result.answer.trim()) lines.push(`Codex's answer so far:\n${result.answer.trim()}`);
  return lines.join("\n");
}
