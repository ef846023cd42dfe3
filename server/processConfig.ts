// The server's Config from this process's environment, working directory and file system (main.ts and the hooks).
import * as fs from "node:fs";
import * as os from "node:os";
import { loadConfig, type Config } from "./config";
import { findExecutable } from "./protocol/findExecutable";

export function configFromProcess(cwd = process.cwd()): Config {
  return loadConfig({
    env: process.env,
    cwd,
    homeDir: os.homedir(),
    platform: process.platform,
    which: (command) => findExecutable(command),
    isDirectory: (p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false,
  });
}
