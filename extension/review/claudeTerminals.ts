// "Fix with Claude Code" hands a finding over in the first way that works: typed into a terminal of this window that
// runs Claude Code (seen by shell integration, started by us, or found in the terminal's process tree — never any
// other terminal), else a new terminal running `claude` with the prompt, else the prompt on the clipboard.
import * as vscode from "vscode";
import { findExecutable } from "../../server/protocol/findExecutable";
import { shellQuote } from "../../server/protocol/text";
import { chooseClaudeTerminal, isClaudeProcess, isClaudeShellCommand } from "./claudeCommandLine";
import type { Handoff } from "./handoffMessage";
import { foregroundCommandLines, processTable, type Proc } from "./processTree";

const TERMINAL_NAME = "Claude Code";
/** Claude Code reads fast input as a paste: the Enter that submits it comes a moment after the text. */
const SUBMIT_DELAY_MS = 250;

export class ClaudeTerminals implements vscode.Disposable {
  private readonly ours = new WeakSet<vscode.Terminal>();
  private readonly runningByShell = new Map<vscode.Terminal, Set<vscode.TerminalShellExecution>>();
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.window.onDidStartTerminalShellExecution((event) => {
        if (!isClaudeShellCommand(event.execution.commandLine.value)) return;
        const running = this.runningByShell.get(event.terminal) ?? new Set();
        running.add(event.execution);
        this.runningByShell.set(event.terminal, running);
      }),
      vscode.window.onDidEndTerminalShellExecution((event) => this.runningByShell.get(event.terminal)?.delete(event.execution)),
      vscode.window.onDidCloseTerminal((terminal) => this.runningByShell.delete(terminal)),
    ];
  }

  async handOff(prompt: string, cwd: string | undefined): Promise<Handoff> {
    const running = await this.find();
    if (running) {
      running.show(false);
      running.sendText(prompt, false);
      setTimeout(() => running.sendText("\r", false), SUBMIT_DELAY_MS);
      return { kind: "sent", terminal: running.name };
    }
    const claude = findExecutable("claude");
    if (claude) return { kind: "started", terminal: this.start(claude, prompt, cwd).name };
    await vscode.env.clipboard.writeText(prompt);
    return { kind: "copied" };
  }

  /** A terminal of this window that runs Claude Code now, or null. */
  async find(): Promise<vscode.Terminal | null> {
    const active = vscode.window.activeTerminal;
    const open = vscode.window.terminals.filter((terminal) => terminal.exitStatus === undefined);
    const known = open.map((terminal) => ({
      terminal,
      active: terminal === active,
      runningByShell: (this.runningByShell.get(terminal)?.size ?? 0) > 0,
      startedByUs: this.ours.has(terminal),
    }));
    // The process table only for the terminals the tracking does not already name, read once for all of them.
    const unknown = known.filter((t) => !t.runningByShell && !t.startedByUs);
    const procs = unknown.length > 0 ? await processTable() : [];
    const facts = await Promise.all(
      known.map(async (t) => ({ ...t, claudeInTree: unknown.includes(t) && procs.length > 0 && (await claudeInForeground(t.terminal, procs)) })),
    );
    return chooseClaudeTerminal(facts);
  }

  private start(claude: string, prompt: string, cwd: string | undefined): vscode.Terminal {
    const iconPath = new vscode.ThemeIcon("sparkle");
    let terminal: vscode.Terminal;
    if (process.platform === "win32") {
      // npm's claude.cmd needs a shell: start one and type the command into it. Not ours to type into later: the
      // shell outlives Claude Code there (shell integration tells while it runs).
      terminal = vscode.window.createTerminal({ name: TERMINAL_NAME, cwd, iconPath });
      terminal.sendText(`${shellQuote(claude, "win32")} ${shellQuote(prompt, "win32")}`, true);
    } else {
      // Claude Code is the terminal's process: the terminal ends with it, so while it is open, it runs Claude.
      terminal = vscode.window.createTerminal({ name: TERMINAL_NAME, shellPath: claude, shellArgs: [prompt], cwd, iconPath });
      this.ours.add(terminal);
    }
    terminal.show(false);
    return terminal;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** Whether a Claude Code process reads this terminal's input now (in its foreground process group). */
async function claudeInForeground(terminal: vscode.Terminal, procs: readonly Proc[]): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const pid = await Promise.race([terminal.processId, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 2000)))]);
  clearTimeout(timer);
  return pid !== undefined && foregroundCommandLines(procs, pid).some(isClaudeProcess);
}
