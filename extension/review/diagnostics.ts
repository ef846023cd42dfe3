// Codex's findings in the Problems view: the source name and the level each severity gets. Pure (no vscode).
import type { Severity } from "../../server/protocol/results";

export type DiagnosticLevel = "error" | "warning" | "information";

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
