// The guardian's one entry point: a permission request in, a verdict and the view people and models are shown out.
// collect the paths the request names → resolve them on disk → decide with the pure policy → describe it.
// It judges the request as the agent sent it (rawRequest.ts), not the SDK's lenient parsed view.
import * as os from "node:os";
import type * as acp from "@agentclientprotocol/sdk";
import type { GuardianFlags, PermissionView } from "../protocol/results";
import { effectOf } from "./effect";
import { decide, type PermissionFacts, type PolicyDecision } from "./policy";
import { rawRequestOf } from "./rawRequest";
import { collectRequestPaths } from "./requestPaths";
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

/** The walks' time budget per decision: far above the ~60 ms a 20 000-file workspace takes, far below a hang. */
export const DECISION_BUDGET_MS = 2_000;

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
    /** How long the walks of one decision may take before the request is asked instead. */
    private readonly budgetMs: number = DECISION_BUDGET_MS,
  ) {
    this.realWorkspace = workspaceRoot(workspace);
    // An unreadable workspace makes every path "outside"; the rejection is handled where it is awaited.
    this.realWorkspace.catch(() => undefined);
  }

  async judge(request: acp.RequestPermissionRequest, context: ToolCallContext): Promise<Judgement> {
    const { raw, seen } = rawRequestOf(request);
    const collected = collectRequestPaths(raw, context.diffPaths);
    const { paths, cwd } = collected;
    // Params the connection did not keep: what the SDK's parsing dropped is unknown, so it counts as unknown paths.
    const unknownPaths = collected.unknownPaths || !seen;
    const realWorkspace = await this.realWorkspace.catch(() => this.workspace);
    const decideContext = { diffPaths: context.diffPaths, sessionId: context.sessionId, announced: context.announced };
    const resolve = (links: WorkspaceLink[]) => resolvePathFacts(paths, { workspace: realWorkspace, homeDir: this.homeDir, ...(cwd !== undefined ? { cwd } : {}), links });
    // The workspace's symlinks (a walk of the tree) and what the write changes below the names it lists only when they
    // decide: the request would be allowed were they checked, and is not allowed without. They only ever make a
    // request asked, so a request asked without them stays asked. Both walks share one deadline: out of time is asked.
    let facts: PermissionFacts = { paths: await resolve([]), unknownPaths };
    let verdict = decide(raw, facts, this.flags, decideContext);
    const checked = { symlinksChecked: true, effect: { facts: [], complete: true } };
    if (verdict.action !== "allow" && decide(raw, { ...facts, ...checked }, this.flags, decideContext).action === "allow") {
      const deadline = Date.now() + this.budgetMs;
      const scan = await scanWorkspaceLinks(realWorkspace, { deadline });
      const resolved = await resolve(scan.links);
      const effect = await effectOf(resolved, collected.moves, { root: realWorkspace, links: scan.links, deadline });
      facts = { paths: resolved, unknownPaths, symlinksChecked: scan.complete, effect: { facts: effect.facts, complete: effect.complete } };
      verdict = decide(raw, facts, this.flags, decideContext);
    }
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
