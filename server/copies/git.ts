// git as a child process, for the copies: binary-safe output, a clean environment (no GIT_DIR or GIT_INDEX_FILE
// inherited from a hook that started us), no pager, no colour, no external diff. Failures are CopyErrors that say
// what git said.
import { execFile } from "node:child_process";
import { CopyError } from "./errors";

/** Variables that would point git at another repository, index or work tree than the one we name. */
const REPOSITORY_VARIABLES = ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX"];

export interface GitOptions {
  cwd: string;
  /** A temporary index (GIT_INDEX_FILE) for this call only. */
  indexFile?: string;
  /** Bytes written to git's stdin. */
  input?: Buffer | string;
}

export function gitEnv(indexFile?: string): NodeJS.ProcessEnv {
  // GIT_OPTIONAL_LOCKS=0: reading the workspace's status must not rewrite its index.
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_PAGER: "cat", GIT_OPTIONAL_LOCKS: "0", LC_ALL: "C" };
  for (const name of REPOSITORY_VARIABLES) delete env[name];
  if (indexFile) env.GIT_INDEX_FILE = indexFile;
  return env;
}

/** Runs git and returns its stdout as bytes; rejects with a CopyError carrying git's own words. */
export function git(args: string[], options: GitOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      ["-c", "core.quotepath=off", "-c", "color.ui=false", ...args],
      { cwd: options.cwd, env: gitEnv(options.indexFile), encoding: "buffer", maxBuffer: 512 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
        const said = stderr.toString("utf8").trim().split("\n").slice(-3).join(" ").slice(0, 400);
        reject(new CopyError(missing ? "git_missing" : "git_failed", missing ? "git is not installed or not on PATH — install git to use delegate." : `git ${args[0]} failed: ${said || error.message}`));
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** git's stdout as text, trailing newline removed. */
export async function gitText(args: string[], options: GitOptions): Promise<string> {
  return (await git(args, options)).toString("utf8").replace(/\n$/, "");
}

/** Splits NUL-terminated output into its entries. */
export function nulSplit(output: Buffer | string): string[] {
  const text = typeof output === "string" ? output : output.toString("utf8");
  return text.split("\0").filter((entry) => entry !== "");
}
