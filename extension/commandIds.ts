// Every command id the extension registers or runs, in one place (package.json contributes the same ids; a unit test
// keeps the two in step). Context keys for `when` clauses live here too.

export const Commands = {
  restartServer: "codexFusion.restartServer",
  showLog: "codexFusion.showLog",
  showStatus: "codexFusion.showStatus",
  statusActions: "codexFusion.statusActions",
  signIn: "codexFusion.signIn",
  installAgent: "codexFusion.installAgent",
  connectClaudeCode: "codexFusion.connectClaudeCode",
  copyClaudeSetupCommand: "codexFusion.copyClaudeSetupCommand",
  enableReviewGate: "codexFusion.enableReviewGate",
  disableReviewGate: "codexFusion.disableReviewGate",
  showReviewGate: "codexFusion.showReviewGate",
  enablePlanCheckpoint: "codexFusion.enablePlanCheckpoint",
  disablePlanCheckpoint: "codexFusion.disablePlanCheckpoint",
  reviewDiff: "codexFusion.reviewDiff",
  clearFindings: "codexFusion.clearFindings",
  consultSelection: "codexFusion.consultSelection",
  reviewSelectionAsPlan: "codexFusion.reviewSelectionAsPlan",
  brainstorm: "codexFusion.brainstorm",
  explore: "codexFusion.explore",
  reply: "codexFusion.reply",
  cancelTurn: "codexFusion.cancelTurn",
  resetSession: "codexFusion.resetSession",
  startFreshSession: "codexFusion.startFreshSession",
  continueEarlierSession: "codexFusion.continueEarlierSession",
  continueInCodex: "codexFusion.continueInCodex",
  clearHistory: "codexFusion.clearHistory",
  openAnswer: "codexFusion.openAnswerInEditor",
  reviewAskCodex: "codexFusion.review.askCodex",
  reviewFixWithClaude: "codexFusion.review.fixWithClaude",
  reviewFixWithCodex: "codexFusion.review.fixWithCodex",
  reviewDismiss: "codexFusion.review.dismiss",
  permissionAllow: "codexFusion.permission.allow",
  permissionAllowSession: "codexFusion.permission.allowSession",
  permissionDeny: "codexFusion.permission.deny",
  permissionShowDetails: "codexFusion.permission.showDetails",
  delegateTask: "codexFusion.delegateTask",
  viewChange: "codexFusion.change.view",
  applyChange: "codexFusion.change.apply",
  discardChange: "codexFusion.change.discard",
  cancelChange: "codexFusion.change.cancel",
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Context keys the extension sets for `when` clauses in package.json. */
export const ContextKeys = {
  serverReady: "codexFusion.serverReady",
  turnInProgress: "codexFusion.turnInProgress",
  permissionPending: "codexFusion.permissionPending",
} as const;

/** Ids of the review's comment controller and its threads, for `commentController == …` / `commentThread == …`. */
export const ReviewComments = {
  controller: "codex-fusion-review",
  findingThread: "codex-fusion-finding",
  findingComment: "codex-fusion-finding-comment",
} as const;

/**
 * Context keys that tick the walkthrough's steps when the thing they ask for has happened, however it was done
 * (a command run from the status bar or a notification never reaches the walkthrough's onCommand events).
 */
export const WalkthroughKeys = {
  agentRuns: "codexFusion.walkthrough.agentRuns",
  codexAnswered: "codexFusion.walkthrough.codexAnswered",
  claudeAsked: "codexFusion.walkthrough.claudeAsked",
  reviewed: "codexFusion.walkthrough.reviewed",
  panelsSeen: "codexFusion.walkthrough.panelsSeen",
} as const;
