// Shapes session outcomes into MCP tool results, in two forms that each stand on their own: the text, for clients
// whose model reads the text blocks (VS Code agent mode, the MCP Inspector), and structuredContent, for clients that
// hand the model the JSON instead — Claude Code forwards structuredContent and drops the text when both are present.
// So whatever the model must act on (what Codex wants and how to answer it, the notes, what to do next) is in both.
// Failures are `isError`, whose text (which Claude Code does forward for errors) starts with the error code.
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { pendingPermissionSchema, type PendingPermission, type PermissionView, type TurnResult } from "../protocol/results";
import type { ProtocolError } from "../protocol/errors";
import type { AskOutcome } from "../agent/askRequest";
import { oneLine, thousands } from "../protocol/text";
import { renderFindings } from "../findings/render";
import { continuedFooter } from "../protocol/usageText";

/** What the shaping needs to know besides the outcome. */
export interface ResultContext {
  /** How many permission requests are pending right now (several: the model must say which with `id`). */
  pendingCount?: number;
}

const MAX_PREVIEW = 1500;

/** A diff preview keeps its lines; only its length is capped. */
function cut(text: string): string {
  return text.length > MAX_PREVIEW ? `${text.slice(0, MAX_PREVIEW - 1)}…` : text;
}

/** The error's text as a model reads it: the code first, then what happened and what to do. */
export function errorText(error: ProtocolError): string {
  return `Error ${error.code}: ${error.message}`;
}

export function errorResult(error: ProtocolError): CallToolResult {
  return { content: [{ type: "text", text: errorText(error) }], isError: true };
}

export function outcomeResult(outcome: AskOutcome, context: ResultContext = {}): CallToolResult {
  switch (outcome.kind) {
    case "error":
      return errorResult(outcome.error);
    case "failed": {
      const partial = outcome.result.answer.trim();
      // A model error arrives as the answer text and is already quoted in the message: don't say it twice.
      const quoted = partial !== "" && outcome.error.message.includes(oneLine(partial).slice(0, 200));
      const text = errorText(outcome.error);
      return {
        content: [{ type: "text", text: partial && !quoted ? `${text}\n\nPartial answer before the failure:\n${partial}` : text }],
        structuredContent: structured(outcome.result, { error: outcome.error }),
        isError: true,
      };
    }
    case "permission": {
      const next = permitInstruction(outcome.request, context.pendingCount ?? 1);
      return {
        content: [{ type: "text", text: permissionText(outcome.request, outcome.result, next) }],
        structuredContent: structured(outcome.result, { next }),
      };
    }
    case "finished": {
      const next = nextStep(outcome.result);
      return {
        content: [{ type: "text", text: answerText(outcome.result, next) }],
        structuredContent: structured(outcome.result, { next }),
      };
    }
  }
}

/**
 * The structured form: the turn's result with the permission request cut down to what a model decides on, plus
 * `next` and `error`. Key order puts what to act on (`next`, the request) before the long answer.
 */
export function structured(result: TurnResult, extra: { next?: string; error?: ProtocolError }): TurnResult {
  const shaped: Partial<TurnResult> = {};
  if (extra.next) shaped.next = extra.next;
  if (extra.error) shaped.error = { code: extra.error.code, message: extra.error.message };
  if (result.pendingPermission) shaped.pendingPermission = modelView(result.pendingPermission);
  if (result.contextNote) shaped.contextNote = result.contextNote;
  if (result.notes?.length) shaped.notes = result.notes;
  return {
    ...shaped,
    answer: result.answer,
    verdict: result.verdict,
    verdictText: result.verdictText,
    findings: result.findings,
    ...(result.findingsSource ? { findingsSource: result.findingsSource } : {}),
    stopReason: result.stopReason,
    durationMs: result.durationMs,
    ...(result.fullAnswer ? { fullAnswer: result.fullAnswer } : {}),
    ...(result.tokens ? { tokens: result.tokens } : {}),
    ...(result.context ? { context: result.context } : {}),
    ...(result.reviewer ? { reviewer: result.reviewer } : {}),
    sessionId: result.sessionId,
  };
}

/** A permission request without the agent's option ids and timestamps, its preview clipped. */
export function modelView(request: PendingPermission): PendingPermission {
  const view = pendingPermissionSchema.parse(request);
  return view.diffPreview ? { ...view, diffPreview: cut(view.diffPreview) } : view;
}

/** Exactly how to answer a paused turn: what Codex wants, why it is asked, and the permit call that answers it. */
export function permitInstruction(request: Pick<PermissionView, "id" | "summary" | "reason">, pendingCount: number): string {
  const which =
    pendingCount > 1 ? ` ${pendingCount} requests are pending: pass id "${request.id}" to answer this one (without id the oldest is answered).` : "";
  return (
    `Codex is waiting for a decision before it can continue: it wants to ${request.summary} (asked because: ${request.reason}). ` +
    `Call permit with decision "allow" (this once), "allow_session" (also the same again this session) or "deny" ` +
    `(Codex continues without it); that call returns the rest of Codex's answer.${which} ` +
    `Allow only what you would do yourself. A person in the editor may decide first.`
  );
}

/** What to do after a finished turn, when there is something to do. */
export function nextStep(result: TurnResult): string | undefined {
  if (result.stopReason === "cancelled") return "The turn was cancelled, so the answer may be partial: ask again, or reply to let Codex continue.";
  if (result.stopReason !== "end_turn") return `Codex stopped early (${result.stopReason}), so the answer may be partial: reply to let it finish.`;
  if (result.verdict === "open") {
    return "Codex's verdict is OPEN: address its open point, or reply with your reasoning; aim to converge within about three exchanges, then decide yourself.";
  }
  return undefined;
}

export function answerText(result: TurnResult, next?: string): string {
  const parts: string[] = [];
  if (result.contextNote) parts.push(`Note: ${result.contextNote}`);
  parts.push(result.answer.trim() || "(Codex gave no text answer.)");
  // Findings that came in Codex's findings block are not in the answer's text any more: they are rendered once here.
  if (result.findingsSource === "block") parts.push(renderFindings(result.findings));
  for (const note of result.notes ?? []) parts.push(`Note: ${note}`);
  if (next) parts.push(`Next: ${next}`);
  parts.push(footer(result));
  return parts.join("\n\n");
}

export function footer(result: TurnResult): string {
  const bits = [`Codex · ${(result.durationMs / 1000).toFixed(1)} s`];
  const tokens = tokensText(result.tokens);
  if (tokens) bits.push(tokens);
  if (result.context) bits.push(`context ${result.context.leftPercent} % left`);
  const continued = continuedFooter(result.contextNote);
  if (continued) bits.push(continued);
  if (result.stopReason !== "end_turn") bits.push(`stopped: ${result.stopReason}`);
  bits.push(result.verdict ? `verdict: ${result.verdict.toUpperCase()}` : "no verdict line");
  return `— ${bits.join(" · ")}`;
}

/** "1,234 tokens (1,000 in, 800 cached, 234 out, 50 reasoning)": the parts when the agent gave them. */
export function tokensText(tokens: TurnResult["tokens"]): string | null {
  if (!tokens) return null;
  const total = tokens.total ?? (tokens.input !== undefined || tokens.output !== undefined ? (tokens.input ?? 0) + (tokens.output ?? 0) : undefined);
  if (total === undefined) return null;
  const parts = [
    tokens.input !== undefined ? `${thousands(tokens.input)} in` : null,
    tokens.cached ? `${thousands(tokens.cached)} cached` : null,
    tokens.output !== undefined ? `${thousands(tokens.output)} out` : null,
    tokens.reasoning ? `${thousands(tokens.reasoning)} reasoning` : null,
  ].filter((part) => part !== null);
  return `${thousands(total)} tokens${parts.length > 0 ? ` (${parts.join(", ")})` : ""}`;
}

function permissionText(request: PermissionView, result: TurnResult, next: string): string {
  const lines = [next, `Kind: ${request.kind} (${request.category}).`];
  if (request.justification) lines.push(`Codex's reason: ${request.justification}`);
  if (request.paths.length > 0) lines.push(`Paths: ${request.paths.join(", ")}`);
  if (request.diffPreview) lines.push(`Change preview:\n${cut(request.diffPreview)}`);
  for (const note of result.notes ?? []) lines.push(`Note: ${note}`);
  if (result.answer.trim()) lines.push(`Codex's answer so far:\n${result.answer.trim()}`);
  return lines.join("\n");
}
