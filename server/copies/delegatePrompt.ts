// What a delegate's Codex is told: it works in a copy of its own, its changes come back as a patch for review, and how
// to finish. Pure.

export interface DelegateTask {
  task: string;
  paths?: string[];
  verify?: string;
}

export function buildDelegatePrompt(input: DelegateTask, cwd: string): string {
  const lines = [
    `You are working in an isolated copy of the project at ${cwd}, made for this task alone. Change the files here directly: edit them and run commands as you need (inside this folder; the network is off).`,
    "What you change comes back to the person as a patch for review; nothing outside this copy changes. Do not commit, do not create branches, and leave files you do not need to change alone.",
    "Dependency folders (node_modules, virtualenvs) may be read-only links to the real project: do not install or write into them.",
    "",
    "Task:",
    input.task.trim(),
  ];
  if (input.paths?.length) lines.push("", `Focus on: ${input.paths.join(", ")}`);
  if (input.verify) lines.push("", `When the change is done, run \`${input.verify}\` to check it, fix what fails, and run it again until it passes (or say why it cannot).`);
  lines.push("", "End with a short summary: what you changed and why, and anything left for the reviewer to check.");
  return lines.join("\n");
}

export function buildDelegateReply(message: string, verify: string | undefined): string {
  const lines = [message.trim(), "", "Keep working in the same copy. Change the files directly as before."];
  if (verify) lines.push(`Run \`${verify}\` again when you are done.`);
  lines.push("End with a short summary of what you changed this time.");
  return lines.join("\n");
}
