// The guardian of a delegate's session: the copy is its workspace, and the real repository counts as outside — more,
// a request to write there is refused outright, whatever the flags and whoever would answer. Commands and writes are
// never auto-allowed for a delegate (inside the copy codex-acp does not ask; what it asks reaches beyond the copy).
import type * as acp from "@agentclientprotocol/sdk";
import type { GuardianFlags } from "../protocol/results";
import { Guardian, type Judgement, type ToolCallContext } from "../guardian/judge";

const WRITE_KINDS = new Set(["edit", "delete", "move"]);

/** The flags a delegate's guardian judges with: only the person's setting for reads outside carries over. */
export function delegateFlags(flags: GuardianFlags): GuardianFlags {
  return { allowExternalReads: flags.allowExternalReads, allowWrites: false, allowCommands: false };
}

export class CopyGuardian extends Guardian {
  constructor(
    copyCwd: string,
    flags: GuardianFlags,
    /** The real repository (its real path): no delegate may write there. */
    private readonly realRepository: string,
    homeDir?: string,
  ) {
    super(copyCwd, delegateFlags(flags), homeDir);
  }

  override async judge(request: acp.RequestPermissionRequest, context: ToolCallContext): Promise<Judgement> {
    const judgement = await super.judge(request, context);
    const kind = request.toolCall.kind ?? "";
    const intoWorkspace = judgement.view.paths.find((path) => isInside(path, this.realRepository));
    if (!WRITE_KINDS.has(kind) || intoWorkspace === undefined) return judgement;
    const reason = `a delegate never writes the real workspace (${intoWorkspace}): Codex works in its copy, and its change lands only through a reviewed patch`;
    return { verdict: { ...judgement.verdict, action: "deny", reason }, view: { ...judgement.view, reason } };
  }
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith("/") ? parent : `${parent}/`);
}
