// `codex-fusion-mcp hook <name>`: entry points Claude Code runs as hooks. Each reads the hook input on stdin and
// prints only the hook's answer on stdout.
import { runPlanHook } from "./planHook";
import { runStopHook } from "./stopHook";

const HOOKS: Record<string, (argv: string[], stdin: string) => Promise<string>> = {
  stop: runStopHook,
  plan: runPlanHook,
};

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return "";
  let text = "";
  process.stdin.setEncoding("utf8");
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

/** Runs one hook; returns the process exit code. */
export async function runHook(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const hook = name ? HOOKS[name] : undefined;
  if (!hook) {
    process.stderr.write(`codex-fusion-mcp: unknown hook "${name ?? ""}"; known: ${Object.keys(HOOKS).join(", ")}\n`);
    return 1;
  }
  const output = await hook(rest, await readStdin());
  // The process exits right after: wait until the answer is out (pipes are asynchronous on Windows).
  await new Promise<void>((resolve) => process.stdout.write(output, () => resolve()));
  return 0;
}
