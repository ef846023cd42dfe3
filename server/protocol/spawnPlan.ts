// Pure planning of how to start and stop the agent on each platform, so the Windows paths are unit-tested here too.
import * as path from "node:path";

export interface SpawnPlan {
  command: string;
  args: string[];
  /** POSIX: own process group, so the whole tree can be signalled at once. */
  detached: boolean;
  windowsVerbatimArguments: boolean;
}

export interface PlatformFacts {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** Whether a file exists (used to resolve commands on PATH with PATHEXT on Windows). */
  exists: (file: string) => boolean;
}

export function planSpawn(argv: string[], facts: PlatformFacts): SpawnPlan {
  const [command, ...args] = argv;
  if (!command) throw new Error("empty agent command");
  if (facts.platform !== "win32") return { command, args, detached: true, windowsVerbatimArguments: false };

  const resolved = resolveWindowsCommand(command, facts);
  if (resolved && /\.(cmd|bat)$/i.test(resolved)) {
    // npm installs agents as .cmd shims, which CreateProcess cannot start directly: go through cmd.exe.
    const comspec = facts.env.ComSpec ?? facts.env.COMSPEC ?? "cmd.exe";
    const line = [quoteForCmdShim(resolved), ...args.map(quoteForCmdShim)].join(" ");
    return { command: comspec, args: ["/d", "/s", "/c", `"${line}"`], detached: false, windowsVerbatimArguments: true };
  }
  return { command: resolved ?? command, args, detached: false, windowsVerbatimArguments: false };
}

/** Finds a command on PATH honouring PATHEXT, the way cmd.exe would. */
export function resolveWindowsCommand(command: string, facts: PlatformFacts): string | null {
  const pathext = (facts.env.PATHEXT ?? ".COM;.EXE;.BAT;.CMD").split(";").filter(Boolean);
  const hasExt = path.win32.extname(command) !== "";
  const candidatesFor = (base: string) => (hasExt ? [base] : pathext.map((ext) => base + ext.toLowerCase()));
  if (/[\\/]/.test(command)) return candidatesFor(command).find(facts.exists) ?? null;
  const dirs = (facts.env.PATH ?? facts.env.Path ?? "").split(";").filter(Boolean);
  for (const dir of dirs) {
    const found = candidatesFor(path.win32.join(dir, command)).find(facts.exists);
    if (found) return found;
  }
  return null;
}

/**
 * Quotes one argument for a command line that cmd.exe passes to a .cmd shim: cmd metacharacters are
 * caret-escaped twice because the shim re-parses its arguments once more.
 */
export function quoteForCmdShim(arg: string): string {
  let quoted = `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\*)$/, "$1$1")}"`;
  quoted = quoted.replace(/[()%!^"<>&|]/g, "^$&");
  return quoted.replace(/[()%!^"<>&|]/g, "^$&");
}

export type KillPlan =
  | { kind: "group"; pid: number }
  | { kind: "taskkill"; command: string; args: string[] };

/** How to end the agent and everything it started. */
export function planKill(pid: number, platform: NodeJS.Platform): KillPlan {
  if (platform === "win32") return { kind: "taskkill", command: "taskkill", args: ["/PID", String(pid), "/T", "/F"] };
  return { kind: "group", pid };
}
