// What "Fix with Claude Code" did, in one sentence for the person. Pure.

export type Handoff = { kind: "sent"; terminal: string } | { kind: "started"; terminal: string } | { kind: "copied" };

export function handoffMessage(handoff: Handoff): string {
  switch (handoff.kind) {
    case "sent":
      return `Sent the finding to Claude Code in the terminal “${handoff.terminal}”.`;
    case "started":
      return `Started Claude Code in a new terminal (“${handoff.terminal}”) with the finding.`;
    case "copied":
      return "Claude Code was not found (no `claude` on PATH), so a prompt for it was copied to the clipboard — paste it into Claude Code.";
  }
}
