// Codex's review findings → Problems-view diagnostics, as plain specs (no vscode): which file, which 0-based line,
// which severity. Paths are resolved against the repository and workspace roots.
import * as path from "node:path";
import type { Finding, Severity } from "../server/protocol/results";

export type DiagnosticLevel = "error" | "warning" | "information";

export interface DiagnosticSpec {
  /** Absolute path. */
  file: string;
  /** 0-based. */
  line: number;
  level: DiagnosticLevel;
  message: string;
  /** The finding's own severity, shown as the diagnostic's code. */
  code: Severity;
}

export interface ResolveOptions {
  /** Where relative paths may be from, most likely first (the repository root, then the workspace folders). */
  roots: readonly string[];
  /** Whether a path exists; without it the first root is assumed. */
  exists?: (file: string) => boolean;
  pathApi?: path.PlatformPath;
}

export const DIAGNOSTIC_SOURCE = "Codex";

export function severityLevel(severity: Severity): DiagnosticLevel {
  switch (severity) {
    case "blocker":
      return "error";
    case "major":
      return "warning";
    case "minor":
      return "information";
  }
}

/**
 * The absolute path a finding's file names: absolute as given, else the first root where it exists (also trying it
 * without a diff's `a/` / `b/` prefix), else under the first root. Null when it cannot be placed at all.
 */
export function resolveFindingPath(file: string, options: ResolveOptions): string | null {
  const p = options.pathApi ?? path;
  const cleaned = file.trim().replace(/^file:\/\//, "").replace(/^`|`$/g, "");
  if (!cleaned) return null;
  if (p.isAbsolute(cleaned)) return p.normalize(cleaned);
  const variants = [cleaned.replace(/^\.[\\/]/, "")];
  if (/^[ab]\//.test(cleaned)) variants.push(cleaned.slice(2));
  if (options.exists) {
    for (const root of options.roots) {
      for (const variant of variants) {
        const candidate = p.resolve(root, variant);
        if (options.exists(candidate)) return candidate;
      }
    }
  }
  const first = options.roots[0];
  return first === undefined ? null : p.resolve(first, variants[0]!);
}

/** Findings with a file become diagnostics; the others are returned as unplaced (the panel still shows them). */
export function findingsToDiagnostics(findings: readonly Finding[], options: ResolveOptions): { specs: DiagnosticSpec[]; unplaced: Finding[] } {
  const specs: DiagnosticSpec[] = [];
  const unplaced: Finding[] = [];
  for (const finding of findings) {
    const file = finding.file ? resolveFindingPath(finding.file, options) : null;
    if (!file) {
      unplaced.push(finding);
      continue;
    }
    specs.push({
      file,
      line: Math.max(0, Math.floor(finding.line ?? 1) - 1),
      level: severityLevel(finding.severity),
      message: finding.text,
      code: finding.severity,
    });
  }
  return { specs, unplaced };
}
