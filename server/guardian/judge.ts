// The guardian's one entry point: a permission request in, a verdict and the view people and models are shown out.
// collect the paths the request names → resolve them on disk → decide with the pure policy → describe it.
import * as os from "node:os";
import type * as acp from "@agentclientprotocol/sdk";
import type { GuardianFlags, PermissionView } from "../protocol/results";
import { decide, type PolicyDecision } from "./policy";
import { collectRequestPaths } from "./requestPaths";
import { resolvePathFacts, workspaceRoot } from "./pathFacts";
import { buildPermissionView } from "./view";

/** What the turn knows about the request's tool call (codex-acp sends an edit's diff in the update just before). */
export interface ToolCallContext {
  turnId: string | null;
  diffPaths?: string[];
  diffPreview: string | null;
}

export interface Judgement {
  verdict: PolicyDecision;
  view: PermissionView;
}

export class Guardian {
  private readonly realWorkspace: Promise<string>;

  constructor(
    private readonly workspace: string,
    private readonly flags: GuardianFlags,
    private readonly homeDir: string = os.homedir(),
  ) {
    this.realWorkspace = workspaceRoot(workspace);
    // An unreadable workspace makes every path "outside"; the rejection is handled where it is awaited.
    this.realWorkspace.catch(() => undefined);
  }

  async judge(request: acp.RequestPermissionRequest, context: ToolCallContext): Promise<Judgement> {
    const { paths, cwd, unknownPaths } = collectRequestPaths(request, context.diffPaths);
    const realWorkspace = await this.realWorkspace.catch(() => this.workspace);
    const facts = {
      paths: await resolvePathFacts(paths, { workspace: realWorkspace, homeDir: this.homeDir, cwd }),
      unknownPaths,
    };
    const verdict = decide(request, facts, this.flags, context.diffPaths);
    const view = buildPermissionView({
      request,
      turnId: context.turnId,
      category: verdict.category,
      reason: verdict.reason,
      paths: facts.paths.map((fact) => fact.resolved),
      cwd: cwd ?? null,
      diffPreview: context.diffPreview,
      pathContext: { roots: [this.workspace, realWorkspace], home: this.homeDir },
    });
    return { verdict, view };
  }
}
