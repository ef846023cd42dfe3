// Landing a change Codex proposed (a delegate's patch) in the workspace: the extension does it, never the server, and
// only after a person chose Apply. `git apply --check` first, so a patch that no longer applies changes nothing and
// says what conflicts; then a three-way apply can be offered (conflict markers in the files, as a merge leaves them).
// Per file: `--include` the chosen paths. No vscode import: unit-tested on real repositories.
import { execFile } from "node:child_process";

export type ApplyCheck = { ok: true } | { ok: false; conflicts: string; threeWay: boolean };
export type ApplyOutcome = { ok: true } | { ok: false; message: string };

interface Options {
  /** Only these repository-relative paths (per-file Apply); all when absent. */
  paths?: readonly string[];
  threeWay?: boolean;
}

function runGit(repoRoot: string, args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile("git", ["-c", "core.hooksPath=/dev/null", ...args], { cwd: repoRoot, env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" } }, (error, _stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stderr: String(stderr).trim() });
    });
  });
}

function applyArgs(patchFile: string, options: Options): string[] {
  const include = (options.paths ?? []).map((path) => `--include=${path}`);
  return ["apply", "--whitespace=nowarn", ...(options.threeWay ? ["--3way"] : []), ...include, patchFile];
}

/** Whether the patch applies as it stands; if not, what conflicts and whether a three-way apply would do. */
export async function checkPatch(repoRoot: string, patchFile: string, options: Options = {}): Promise<ApplyCheck> {
  const plain = await runGit(repoRoot, ["apply", "--check", ...applyArgs(patchFile, options).slice(1)]);
  if (plain.code === 0) return { ok: true };
  const threeWay = await runGit(repoRoot, ["apply", "--check", "--3way", ...applyArgs(patchFile, { ...options, threeWay: false }).slice(1)]);
  return { ok: false, conflicts: conflictLines(plain.stderr), threeWay: threeWay.code === 0 };
}

/** Applies the patch (checked first by the caller). A failure changes nothing: git apply is atomic without --3way. */
export async function applyPatch(repoRoot: string, patchFile: string, options: Options = {}): Promise<ApplyOutcome> {
  const result = await runGit(repoRoot, applyArgs(patchFile, options));
  return result.code === 0 ? { ok: true } : { ok: false, message: conflictLines(result.stderr) };
}

/** git's "error: …" lines, shortened for a message. */
export function conflictLines(stderr: string): string {
  const lines = stderr.split("\n").filter((line) => line.startsWith("error:")).map((line) => line.slice("error:".length).trim());
  return (lines.length > 0 ? lines : [stderr.trim() || "git apply failed"]).slice(0, 5).join("; ");
}
