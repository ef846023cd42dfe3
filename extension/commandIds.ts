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
  reviewDiff: "codexFusion.reviewDiff",
  clearFindings: "codexFusion.clearFindings",
  consultSelection: "codexFusion.consultSelection",
  reviewSelectionAsPlan: "codexFusion.reviewSelectionAsPlan",
  brainstorm: "codexFusion.brainstorm",
  explore: "codexFusion.explore",
  reply: "codexFusion.reply",
  cancelTurn: "codexFusion.cancelTurn",
  resetSession: "codexFusion.resetSession",
  clearHistory: "codexFusion.clearHistory",
  permissionAllow: "codexFusion.permission.allow",
  permissionAllowSession: "codexFusion.permission.allowSession",
  permissionDeny: "codexFusion.permission.deny",
  permissionShowDetails: "codexFusion.permission.showDetails",
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** Context keys the extension sets for `when` clauses in package.json. */
export const ContextKeys = {
  serverReady: "codexFusion.serverReady",
  turnInProgress: "codexFusion.turnInProgress",
  permissionPending: "codexFusion.permissionPending",
} as const;
