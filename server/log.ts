// CODEX_FUSION_LOG: one JSON line per finished turn, appended. Failures to write are reported once, never fatal.
import * as fs from "node:fs";
import type { ControlEvent } from "./protocol/control";

export function turnLogger(file: string): (event: ControlEvent) => void {
  let warned = false;
  return (event) => {
    if (event.type !== "turnFinished") return;
    const { result } = event;
    const line = {
      time: new Date().toISOString(),
      tool: event.tool,
      client: event.client,
      durationMs: result.durationMs,
      stopReason: result.stopReason,
      tokens: result.tokens ?? null,
      verdict: result.verdict,
      activity: event.activity,
      error: event.error,
      answer: result.answer,
    };
    fs.appendFile(file, JSON.stringify(line) + "\n", (error) => {
      if (error && !warned) {
        warned = true;
        process.stderr.write(`codex-fusion: cannot write CODEX_FUSION_LOG ${file}: ${error.message}\n`);
      }
    });
  };
}
