// Finding a command on PATH (PATHEXT on Windows): used by the server for its default agent and by the extension.
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveWindowsCommand } from "./spawnPlan";

export function isFile(file: string): boolean {
  return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}

/** The absolute path of an executable `command` on PATH, or null. */
export function findExecutable(command: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | null {
  if (platform === "win32") return resolveWindowsCommand(command, { platform, env, exists: isFile });
  for (const dir of (env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (isFile(candidate)) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
