// "Fix with Claude Code" hands a finding over in the first way that works: typed into a terminal of this window that
// runs Claude Code (seen by shell integration, started by us, or found in the terminal's process tree — never any
// other terminal), else a new terminal running `claude` with the prompt, else the prompt on the clipboard.
import * as vscode from "vscode";
import { findExecutable } from "../../server/protocol/findExecutable";
import { shellQuote } from "../../server/protocol/text";
import { chooseClaudeTerminal, isClaudeProcess, isClaudeShellCommand } from "./claudeCommandLine";
import type { Handoff } from "./handoffMessage";
import { treeCommandLines } from "./processTree";


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
    const facts = await Promise.all(
      open.map(async (terminal) => ({
        terminal,
        active: terminal === active,
        runningByShell: (this.runningByShell.get(terminal)?.size ?? 0) > 0,
        startedByUs: this.ours.has(terminal),
        claudeInTree: await this.claudeInTree(terminal),
      })),
    );
    return chooseClaudeTerminal(facts);
  }

  private async claudeInTree(terminal: vscode.Terminal): Promise<boolean> {
    const pid = await Promise.race([terminal.processId, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2000))]);
    if (!pid) return false;
    return (await treeCommandLines(pid).catch(() => [])).some(isClaudeProcess);
  }

  private start(claude: string, prompt: string, cwd: string | undefined): vscode.Terminal {
    const iconPath = new vscode.ThemeIcon("sparkle");
    let terminal: vscode.Terminal;
    if (process.platform === "win32") {
      // npm's claude.cmd needs a shell: start one and type the command into it.
      terminal = vscode.window.createTerminal({ name: TERMINAL_NAME, cwd, iconPath });
      terminal.sendText(`${shellQuote(claude, "win32")} ${shellQuote(prompt, "win32")}`, true);
    } else {
      terminal = vscode.window.createTerminal({ name: TERMINAL_NAME, shellPath: claude, shellArgs: [prompt], cwd, iconPath });
    }
    this.ours.add(terminal);
    terminal.show(false);
    return terminal;
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
