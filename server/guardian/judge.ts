// The guardian's one entry point: a permission request in, a verdict and the view people and models are shown out.
// collect the paths the request names → resolve them on disk → decide with the pure policy → describe it.
// It judges the request as the agent sent it (rawRequest.ts), not the SDK's lenient parsed view.
import * as os from "node:os";
import type * as acp from "@agentclientprotocol/sdk";
import type { GuardianFlags, PermissionView } from "../protocol/results";
import { decide, type PolicyDecision } from "./policy";
import { rawRequestOf } from "./rawRequest";
import { collectRequestPaths, isRecord } from "./requestPaths";
import { resolvePathFacts, workspaceRoot, type WorkspaceLink } from "./pathFacts";
import type { AnnouncedToolCall } from "./subject";
import { buildPermissionView } from "./view";
import { scanWorkspaceLinks } from "./workspaceLinks";

/** What the turn knows about the request's tool call (codex-acp sends an edit's diff in the update just before). */
export interface ToolCallContext {
  turnId: string | null;
  /** The session this server opened (requests from any other are asked). */
  sessionId: string | null;
  diffPaths?: string[];
  diffPreview: string | null;
  /** How the tool call was announced in its `tool_call` update (an MCP call's server and tool). */
  announced?: AnnouncedToolCall;
}

export interface Judgement {
  verdict: PolicyDecision;
  view: PermissionView;
}

const WRITE_KINDS = new Set(["edit", "delete", "move"]);

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
    const raw = rawRequestOf(request);
    const { paths, cwd, unknownPaths } = collectRequestPaths(raw, context.diffPaths);
    const realWorkspace = await this.realWorkspace.catch(() => this.workspace);
    // Only a write that could be allowed needs the workspace's symlinks (a walk of the tree).
    const toolCall = isRecord(raw) && isRecord(raw["toolCall"]) ? raw["toolCall"] : {};
    const scan = this.flags.allowWrites && WRITE_KINDS.has(String(toolCall["kind"])) ? await scanWorkspaceLinks(realWorkspace) : null;
    const links: WorkspaceLink[] = scan?.links ?? [];
    const facts = {
      paths: await resolvePathFacts(paths, { workspace: realWorkspace, homeDir: this.homeDir, cwd, links }),
      unknownPaths,
      symlinksChecked: scan?.complete === true,
    };
    const verdict = decide(raw, facts, this.flags, { diffPaths: context.diffPaths, sessionId: context.sessionId, announced: context.announced });
    const view = buildPermissionView({
      request,
      turnId: context.turnId,
      category: verdict.category,
      what: verdict.what,
      reason: verdict.reason,
      paths: facts.paths.map((fact) => fact.resolved || fact.raw),
      cwd: cwd ?? null,
      diffPreview: context.diffPreview,
      pathContext: { roots: [this.workspace, realWorkspace], home: this.homeDir },
    });
    return { verdict, view };
  }
}
