import { test } from "node:test";
import assert from "node:assert/strict";
import type { PermissionView, ServerStatus, TurnResult } from "../../../server/protocol/results";
import type { ControlEvent } from "../../../server/protocol/control";
import { eventLine, ExtensionLog } from "../../../extension/log";

const result: TurnResult = { answer: "a", verdict: "consensus", verdictText: "x", findings: [{ severity: "major", title: "t", body: "" }], stopReason: "end_turn", durationMs: 12_345, sessionId: "s" };
const request: PermissionView = { id: "perm-1", turnId: "t1", kind: "execute", category: "command", title: "Run npm test", summary: "run `npm test` in /w", command: "npm test", cwd: "/w", paths: [], reason: "commands are asked", justification: null, diffPreview: null, options: [], createdAt: 0 };
const status = { turn: null, pendingPermissions: [request], queued: 0 } as unknown as ServerStatus;

test("one line per control event, at a level that keeps the default log readable", () => {
  const lines = ([
    { type: "listening", url: "http://127.0.0.1:5/mcp", token: "SECRET-TOKEN", pid: 9, version: "1.2.3" },
    { type: "turnStarted", id: "t1", tool: "consult", client: "claude-code", summary: "Is\nthis right?", startedAt: 0 },
    { type: "turnProgress", id: "t1", answerTail: "", thoughtTail: "", activity: "Reading a.ts", elapsedMs: 1500 },
    { type: "turnFinished", id: "t1", tool: "consult", client: null, summary: "s", result, activity: [], isError: false, error: null },
    { type: "turnFinished", id: "t2", tool: "review_diff", client: null, summary: "s", result, activity: [], isError: true, error: "Codex is not signed in — run `codex login`" },
    { type: "permissionPending", request },
    { type: "permissionResolved", id: "perm-1", turnId: "t1", decision: "allow", source: "editor" },
    { type: "permissionDecidedByPolicy", request: { ...request, id: "perm-2" }, decision: "allow", note: "inside the workspace" },
    { type: "serverState", state: "busy", status },
  ] as ControlEvent[]).map(eventLine);
  assert.deepEqual(lines, [
    { level: "info", text: "Server 1.2.3 (pid 9) listening on http://127.0.0.1:5/mcp" },
    { level: "info", text: "Turn t1 started: consult from claude-code — Is this right?" },
    { level: "trace", text: "Turn t1 at 1.5 s: Reading a.ts" },
    { level: "info", text: "Turn t1 (consult) finished in 12.3 s: end_turn, verdict consensus, 1 finding(s)" },
    { level: "warn", text: "Turn t2 (review_diff) failed after 12.3 s: Codex is not signed in — run `codex login`" },
    { level: "debug", text: "Permission perm-1 requested: Run npm test — npm test (commands are asked)" },
    { level: "info", text: "Permission perm-1: allow by editor" },
    { level: "debug", text: "Permission perm-2 (Run npm test — npm test): allow by policy (inside the workspace)" },
    { level: "trace", text: "Server state: busy, 1 pending permission(s), 0 queued" },
  ]);
});

test("ExtensionLog: events at their level, server lines tagged, the token never written", () => {
  const written: string[] = [];
  const channel = Object.fromEntries(["trace", "debug", "info", "warn", "error"].map((level) => [level, (text: string) => written.push(`${level}: ${text}`)]));
  const log = new ExtensionLog(channel as never);
  log.event({ type: "listening", url: "http://127.0.0.1:5/mcp", token: "SECRET-TOKEN", pid: 9, version: "1" });
  log.serverOutput("codex-fusion-mcp: serving MCP on http://127.0.0.1:5/mcp for /w");
  log.warn("careful");
  assert.deepEqual(written, ["info: Server 1 (pid 9) listening on http://127.0.0.1:5/mcp", "info: [server] serving MCP on http://127.0.0.1:5/mcp for /w", "warn: careful"]);
  assert.ok(!written.join("\n").includes("SECRET"));
});
