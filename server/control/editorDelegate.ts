// The editor's `delegate` command (Fix with Codex): the delegate tool's arguments, validated the same way, run as the
// editor's caller; the change comes back shaped for the editor. The server never writes the workspace: the editor
// applies the patch itself, after a person accepts it.
import { z } from "zod";
import type { CodexSession } from "../agent/session";
import { EDITOR_CLIENT } from "../protocol/constants";
import type { DelegateResponse } from "../protocol/control";
import { ProgressReporter } from "../progress";
import { delegateInput } from "../tools/delegate";

export async function editorDelegate(session: CodexSession, args: Record<string, unknown>): Promise<DelegateResponse> {
  const parsed = z.object(delegateInput).safeParse(args);
  if (!parsed.success) {
    const error = { code: "invalid_argument" as const, message: `Invalid arguments for delegate: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}` };
    return { result: null, error };
  }
  const { timeoutSec, ...task } = parsed.data;
  const outcome = await session.delegates.delegate({
    ...task,
    caller: EDITOR_CLIENT,
    client: EDITOR_CLIENT,
    timeoutMs: timeoutSec !== undefined ? timeoutSec * 1000 : undefined,
    progress: new ProgressReporter(null),
  });
  if (outcome.kind === "error") return { result: null, error: outcome.error };
  return { result: outcome.result, error: outcome.result.error ?? null };
}
