// The `status` tool's text: the session's state at a glance, then what to do about it.
import type { ServerStatus, TurnSummary } from "./results";
import { continuityLines } from "./usageText";

export function statusText(status: ServerStatus): string {
  const on = (flag: boolean) => (flag ? "on" : "off");
  const lines = [
    `Workspace: ${status.workspace}`,
    `Agent: ${status.agentCommand.join(" ")} — ${status.agentAlive ? `running (pid ${status.agentPid})` : "not running (starts on the next ask)"}`,
    `Session: ${status.sessionId ?? "none yet"}${status.mode ? ` · mode ${status.mode}` : ""}`,
    ...continuityLines(status.continuity, status.usage),
    ...(status.startup ? [`Start-up: ${status.startup.phase === "starting_agent" ? "starting the agent" : "opening the session"} for ${Math.round(status.startup.elapsedMs / 1000)} s (asks wait for it; reset abandons it)`] : []),
    ...turnLines(status),
    `Queued asks: ${status.queued}`,
    ...(status.copies?.length ? [`Delegate copies (${status.copies.length}):`, ...status.copies.map((copy) => `- ${copy.changeId}: ${copy.running ? "Codex working" : `${copy.files} file${copy.files === 1 ? "" : "s"} changed`} — ${copy.task} (${copy.root})`)] : []),
    `Guardian: external reads ${on(status.guardian.allowExternalReads)}, writes ${on(status.guardian.allowWrites)}, commands ${on(status.guardian.allowCommands)}`,
  ];
  if (status.pendingPermissions.length > 0) {
    lines.push(`Pending permissions (oldest first):`);
    for (const request of status.pendingPermissions) lines.push(`- ${request.id}: ${request.summary} (${request.reason})`);
  } else lines.push("Pending permissions: none");
  if (status.modeWarning) lines.push(status.modeWarning);
  if (status.lastError) lines.push(`Last error: ${status.lastError}`);
  if (status.advice) lines.push(`What to do: ${status.advice}`);
  return lines.join("\n");
}

function turnLines(status: ServerStatus): string[] {
  const describe = (turn: TurnSummary) =>
    `${turn.id} ${turn.tool}${turn.client ? ` from ${turn.client}` : ""}, ${Math.round(turn.elapsedMs / 1000)} s${turn.forked ? ", on a parallel session" : ""}${turn.waitingForPermission ? ", waiting for a permission decision" : ""}`;
  if (status.turns.length === 0) return ["Turn: none in progress"];
  if (status.turns.length === 1) return [`Turn: ${describe(status.turns[0]!)}`];
  return [`Turns: ${status.turns.length} running side by side (at most ${status.maxParallelTurns})`, ...status.turns.map((turn) => `- ${describe(turn)}`)];
}
