// Telling a Claude Code process or command line from anything else, so "Fix with Claude Code" never types into an
// unrelated terminal, and choosing among the terminals that do run it. Pure.

const NAMES = new Set(["claude", "claude.exe", "claude.cmd"]);
const RUNTIMES = new Set(["node", "node.exe", "nodejs", "bun", "bun.exe"]);

function base(arg: string | undefined): string {
  return (arg ?? "").split(/[\\/]/).pop()!.toLowerCase();
}

/** A process's argv: `claude …`, `/home/me/.local/bin/claude`, or `node …/claude` / `node …/@anthropic-ai/claude-code/cli.js`. */
export function isClaudeProcess(argv: readonly string[]): boolean {
  if (NAMES.has(base(argv[0]))) return true;
  if (!RUNTIMES.has(base(argv[0]))) return false;
  const script = argv[1] ?? "";
  return NAMES.has(base(script)) || /@anthropic-ai[\\/]claude-code[\\/]/.test(script);
}

/** A command line typed in a shell (as shell integration reports it): `claude`, `claude --continue`, `npx @anthropic-ai/claude-code`. */
export function isClaudeShellCommand(commandLine: string): boolean {
  const line = commandLine.trim();
  return /^(?:\S*[\\/])?claude(?:\.exe|\.cmd)?(?:\s|$)/i.test(line) || /^(?:npx|bunx|pnpm\s+dlx)\s+(?:-y\s+|--yes\s+)?@anthropic-ai\/claude-code(?:@\S+)?(?:\s|$)/.test(line);
}

export interface TerminalFacts<T> {
  terminal: T;
  /** Shell integration saw `claude` start there and not end. */
  runningByShell: boolean;
  /** We started it with claude as its process, and it is still open. */
  startedByUs: boolean;
  /** Its process tree holds a Claude Code process in the terminal's foreground (not suspended or in the background). */
  claudeInTree: boolean;
  active: boolean;
}

/** The terminal to hand a finding to: one that runs Claude Code, the active one first, then the newest; else null. */
export function chooseClaudeTerminal<T>(terminals: readonly TerminalFacts<T>[]): T | null {
  const running = terminals.filter((t) => t.runningByShell || t.startedByUs || t.claudeInTree);
  return (running.find((t) => t.active) ?? running.at(-1))?.terminal ?? null;
}
