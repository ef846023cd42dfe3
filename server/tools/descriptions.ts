// What the calling model reads: when to use each tool and what comes back. Each stays well under 2 KB.

export const SERVER_INSTRUCTIONS = `Codex Fusion lets you consult OpenAI Codex, an independent reviewer working read-only in this workspace. You propose, Codex reviews, you reconcile. Its answers are advisory: weigh them, do not obey them blindly.

When to use which tool:
- consult: a second opinion on a question or decision.
- review_plan: critique a plan before you implement it.
- review_diff: review changes (pass a diff, or let Codex run git diff itself).
- brainstorm: 2-4 approaches with trade-offs and a recommendation.
- explore: a map of an unfamiliar codebase.
- reply: push back on or follow up Codex's last answer in the same session.

The debate: consult, review_plan, review_diff, brainstorm and reply end with "VERDICT: CONSENSUS — …" or "VERDICT: OPEN — …" (also in structuredContent.verdict). On OPEN, address the open point or reply with your reasoning; aim to converge within about three exchanges, then decide yourself.

Results: read structuredContent.next when present: it says what to do (answer a permission, settle an OPEN verdict, ask again). Errors start with their code and say how to fix them.

Permissions: Codex may read inside the workspace. Commands, writes, network and reads outside are held for a decision. When a result says Codex is waiting (pendingPermission), call permit with "allow", "allow_session" or "deny"; the same turn then continues and returns the rest of the answer. A person in the editor may decide first. Only allow what you would do yourself.

Other tools: status (read-only: session, queue, pending permissions, last error and what to do), reset (start a fresh Codex session). Calls can take minutes; progress notifications show Codex's answer as it streams.

If your tools are deferred (loaded by a tool search), load permit and reply together with the ask: a paused ask needs permit at once.`;

export const DESCRIPTIONS = {
  consult: `Ask Codex for an independent second opinion on a question or decision (design choice, bug hypothesis, API usage, trade-off). Codex can read the workspace to ground its answer and cites path:line. Give the question and any context it cannot find in the files. Returns Codex's answer ending with a VERDICT line (CONSENSUS or OPEN) and structuredContent {answer, verdict, verdictText, findings, …}. Advisory: reconcile it with your own judgement; use reply to push back.`,
  review_plan: `Have Codex critique a plan before you implement it. Codex checks it against the code and answers with one of "sound" / "sound with changes" / "reconsider", problems ordered by severity, blind spots, and what it agrees with, ending with a VERDICT line. Pass the plan as you would show it to a senior reviewer; add goals and constraints in context. Use reply to discuss its objections.`,
  review_diff: `Have Codex review code changes. Pass a unified diff in \`diff\`, or omit it and Codex inspects \`git diff\` in the workspace itself (against \`base\` when given, limited to \`paths\` when given, including untracked files via git status). Findings come back as blocker / major / minor with file:line (also parsed into structuredContent.findings), then a VERDICT line. Use \`instructions\` to focus the review.`,
  brainstorm: `Ask Codex for 2-4 distinct approaches to a problem, each with trade-offs, and one recommendation, grounded in this codebase. Give constraints every approach must respect. Ends with a VERDICT line on whether Codex agrees with the direction you lean towards (if you said one).`,
  explore: `Ask Codex to map the codebase (or the part named by \`focus\` / \`paths\`): structure, main components, data and control flow, conventions, and where to start. Useful before working in unfamiliar code. Read-only; no verdict line.`,
  reply: `Continue the debate: send your response to Codex's last answer in the same Codex session (it remembers the earlier turns). Push back with evidence, add facts it lacked, or ask it to reconsider; Codex concedes or holds its ground and ends with a new VERDICT line.`,
  permit: `Answer the permission Codex is waiting on (a result had pendingPermission and said "Codex is waiting for a decision"). "allow" runs that one request; "allow_session" also allows the same again for the rest of this Codex session (never a permanent rule); "deny" refuses it and Codex continues without it, still answering. The same turn then resumes and this call returns the rest of Codex's answer (or the next question). With several pending, the oldest is answered unless \`id\` names one. If a person in the editor decided first, you are told who.`,
  status: `Show the Codex session's state without starting anything: workspace, agent command and whether it runs, session id and mode, the turn in progress (tool, elapsed), queued asks, pending permissions, guardian flags, the last error and what to do about it; whether the conversation continued from an earlier server start, Codex's context left and its rate-limit windows.`,
  reset: `Drop the Codex session (cancelling a turn in progress); the next ask starts a fresh session with no memory of earlier turns, also after a restart. Use when Codex is stuck or the conversation went off track.`,
} as const;
