// The question before an expensive review: a very large diff, or a Codex quota window nearly used
// (codexFusion.reviewWarningTokens / codexFusion.quotaWarningPercent). Nothing to warn about: no question.
import * as vscode from "vscode";
import type { ServerStatus } from "../../server/protocol/results";
import { readSettings, SETTINGS_SECTION, type SettingKey } from "../settings";
import { reviewWarning } from "./usageView";
import { show } from "../messages";

const SEND = "Send Review";

/** True when the review should go ahead (no warning, or the person chose to send it). */
export async function confirmReviewCost(tokens: number | null, status: ServerStatus | null): Promise<boolean> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const { settings } = readSettings((key: SettingKey) => config.get(key));
  const warning = reviewWarning(tokens, status, { reviewTokens: settings.reviewWarningTokens, quotaPercent: settings.quotaWarningPercent });
  if (!warning) return true;
  const choice = await show({ level: "warning", text: warning, modal: true, detail: "Send the review anyway? (Settings: codexFusion.reviewWarningTokens and codexFusion.quotaWarningPercent.)" }, { label: SEND });
  return choice === SEND;
}
