// Findings as a reader sees them in a text result, once: the block Codex wrote them in is cut from the answer, so
// this is where a model reading the text finds them. The same one-line shape Codex's reviewer uses. Pure.
import type { Finding } from "../protocol/results";

export function renderFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return "Findings: none.";
  const lines = [`Findings (${findings.length}):`];
  for (const f of findings) {
    const tag = f.priority !== undefined ? `P${f.priority} · ${f.severity}` : f.severity;
    const where = f.file ? ` — ${f.file}${f.line !== undefined ? `:${f.line}${f.endLine !== undefined ? `-${f.endLine}` : ""}` : ""}` : "";
    lines.push(`- [${tag}] ${f.title}${where}`);
    for (const line of f.body.split("\n")) if (f.body.trim() !== "") lines.push(line.trim() === "" ? "" : `  ${line}`);
  }
  return lines.join("\n");
}
