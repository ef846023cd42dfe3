// Which walkthrough steps one server event completes (see walkthroughProgress.ts). Pure.
import type { ControlEvent } from "../server/protocol/control";
import { WalkthroughKeys } from "./commandIds";

export type WalkthroughKey = (typeof WalkthroughKeys)[keyof typeof WalkthroughKeys];

export const WALKTHROUGH_ID = "codexFusion.gettingStarted";

/** The walkthrough step (package.json) each key completes. */
const STEP_OF: Record<WalkthroughKey, string> = {
  [WalkthroughKeys.agentRuns]: "agent",
  [WalkthroughKeys.codexAnswered]: "signIn",
  [WalkthroughKeys.claudeAsked]: "claude",
  [WalkthroughKeys.reviewed]: "review",
  [WalkthroughKeys.panelsSeen]: "panels",
};

/** VS Code's id of the step a key completes: `<extension id>#<walkthrough id>#<step id>`. */
export function walkthroughStepId(extensionId: string, key: WalkthroughKey): string {
  return `${extensionId}#${WALKTHROUGH_ID}#${STEP_OF[key]}`;
}

/** The keys one event sets (pure). */
export function walkthroughKeysFor(event: ControlEvent): WalkthroughKey[] {
  switch (event.type) {
    case "serverState":
      return event.status.agentAlive ? [WalkthroughKeys.agentRuns] : [];
    case "turnStarted":
      return event.client && /^claude[-_ ]?code$/i.test(event.client) ? [WalkthroughKeys.claudeAsked] : [];
    case "turnFinished":
      if (event.isError) return [];
      return [WalkthroughKeys.agentRuns, WalkthroughKeys.codexAnswered, ...(event.tool === "review_diff" ? [WalkthroughKeys.reviewed] : [])];
    default:
      return [];
  }
}

