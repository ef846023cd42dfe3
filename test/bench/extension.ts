// §9: what the extension costs a person: activation time (from the newest real-VS-Code test run's log), the
// server's start behind it, and the size of what is shipped.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import type { Ctx, SectionResult } from "./sections";
import { ROOT } from "./setup";

function newestLogs(): string[] {
  const root = path.join(ROOT, "test-results", "vscode-logs");
  if (!existsSync(root)) return [];
  const found: { file: string; mtime: number }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "Codex Fusion.log") found.push({ file: full, mtime: statSync(full).mtimeMs });
    }
  };
  walk(root);
  return found.sort((a, b) => b.mtime - a.mtime).slice(0, 6).map((f) => f.file);
}

const time = (line: string) => Date.parse(line.slice(0, 23).replace(" ", "T"));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

export async function extensionCosts(_ctx: Ctx): Promise<SectionResult> {
  const id = 9;
  const title = "The extension: activation, server start behind it, package size";
  const activations: number[] = [];
  const serverStarts: number[] = [];
  for (const file of newestLogs()) {
    const lines = readFileSync(file, "utf8").split("\n");
    for (const line of lines) {
      const m = /Activated in ([\d.]+) ms/.exec(line);
      if (m) activations.push(Number(m[1]));
    }
    // Every start → the ready that follows it (restarts included).
    lines.forEach((line, i) => {
      if (!line.includes("Starting the server")) return;
      const ready = lines.slice(i + 1).find((l) => l.includes("Server ready") || l.includes("Starting the server"));
      if (ready?.includes("Server ready")) serverStarts.push(time(ready) - time(line));
    });
  }
  const vsix = readdirSync(ROOT).filter((f) => /^codex-fusion-.*\.vsix$/.test(f)).map((f) => path.join(ROOT, f));
  const sizes = [
    ["VSIX", vsix[0] ? statSync(vsix[0]).size : NaN, 2 * 1024 * 1024],
    ["dist/extension.js", existsSync(path.join(ROOT, "dist/extension.js")) ? statSync(path.join(ROOT, "dist/extension.js")).size : NaN, 300 * 1024],
    ["dist/server.js", existsSync(path.join(ROOT, "dist/server.js")) ? statSync(path.join(ROOT, "dist/server.js")).size : NaN, NaN],
  ] as const;
  const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : NaN);
  const md = [
    "Activation is measured inside `activate()` and logged to the *Codex Fusion* output channel; these figures come from the",
    "newest `npm run test:vscode` runs (code-server 1.139.1, Node 24 extension host) found in `test-results/vscode-logs/`.",
    "The server then starts in the background (spawn → `listening` over IPC); VS Code start-up never waits for it.",
    "",
    "| measure | n | median | samples |",
    "| --- | ---: | ---: | --- |",
    `| activate() | ${activations.length} | ${activations.length ? `${median(activations).toFixed(1)} ms` : "no log found — run \`npm run test:vscode\` first"} | ${activations.map((a) => a.toFixed(1)).join(", ")} |`,
    `| server start → ready (background) | ${serverStarts.length} | ${serverStarts.length ? `${median(serverStarts)} ms` : "—"} | ${serverStarts.join(", ")} |`,
    "",
    "| artifact | size | budget |",
    "| --- | ---: | ---: |",
    ...sizes.map(([name, size, budget]) => `| ${name} | ${Number.isNaN(size) ? "not built — run \`npm run package\`" : kb(size)} | ${Number.isNaN(budget) ? "—" : kb(budget)} |`),
  ].join("\n");
  const targets = [
    { name: "VSIX size", target: "≤ 2 MB", actual: Number.isNaN(sizes[0][1]) ? "not built" : kb(sizes[0][1]), met: Number.isNaN(sizes[0][1]) ? null : sizes[0][1] <= sizes[0][2] },
    { name: "dist/extension.js size", target: "≤ 300 KB", actual: Number.isNaN(sizes[1][1]) ? "not built" : kb(sizes[1][1]), met: Number.isNaN(sizes[1][1]) ? null : sizes[1][1] <= sizes[1][2] },
  ];
  return { id, title, md, targets, data: { activations, serverStarts, sizes }, notes: [] };
}
