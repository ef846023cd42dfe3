// Parsing an agent command as people write it (CODEX_FUSION_ACP_COMMAND, the `codexFusion.agentCommand` setting).
// Pure; the extension validates the setting with the same rule the server applies.

export class AgentCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AgentCommandError";
  }
}

/** A JSON array of argv, or a string split on whitespace. */
export function parseCommand(raw: string): string[] {
  const text = raw.trim();
  if (text.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new AgentCommandError(`not valid JSON (${(error as Error).message}); use a JSON array like ["codex-acp"] or a plain command line`);
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((part) => typeof part === "string" && part.length > 0)) {
      throw new AgentCommandError("a JSON value must be a non-empty array of non-empty strings");
    }
    return parsed as string[];
  }
  const parts = text.split(/\s+/).filter(Boolean);
  if (parts.length === 0) throw new AgentCommandError("is empty; unset it or name the agent command");
  return parts;
}
