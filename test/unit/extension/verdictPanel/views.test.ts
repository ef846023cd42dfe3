import { test } from "node:test";
import assert from "node:assert/strict";
import type { ServerStatus, TurnResult } from "../../../../server/protocol/results";
import type { ControlEvent } from "../../../../server/protocol/control";
import { loadHistory, MAX_ANSWER_CHARS, TurnsModel } from "../../../../extension/verdictPanel/turns";
import { clientLabel, ERROR_ACTIONS, formatDuration, metaLine, toLiveView, toTurnView } from "../../../../extension/verdictPanel/views";
import { isWebviewMessage } from "../../../../extension/verdictPanel/protocol";
import { contentSecurityPolicy, makeNonce, panelHtml } from "../../../../extension/verdictPanel/html";
import { renderMarkdown, setVerdictApart } from "../../../../extension/verdictPanel/markdown";
import { selectionContext, selectionLocation } from "../../../../extension/asks/selection";

function result(over: Partial<TurnResult> = {}): TurnResult {
  return { answer: "Looks fine.\n\nVERDICT: CONSENSUS — ship it", verdict: "consensus", verdictText: "ship it", findings: [], stopReason: "end_turn", durationMs: 65_000, sessionId: "s1", ...over };
}

function finished(id: string, over: Partial<Extract<ControlEvent, { type: "turnFinished" }>> = {}): ControlEvent {
  return { type: "turnFinished", id, tool: "consult", client: "claude-code", summary: `q ${id}`, result: result(), activity: ["read src/a.ts"], isError: false, error: null, errorCode: null, ...over };
}

type Summary = NonNullable<ServerStatus["turn"]>;
const running = (id: string, over: Partial<Summary> = {}): Summary => ({ id, tool: "explore", client: null, summary: "", elapsedMs: 4000, waitingForPermission: false, sessionId: "s1", forked: false, ...over });

function status(turn: ServerStatus["turn"], turns: Summary[] = turn ? [turn] : []): ServerStatus {
  return {
    workspace: "/ws", agentCommand: ["codex-acp"], agentAlive: true, agentPid: 1, sessionId: "s1", mode: "read-only", modeWarning: null, startup: null, turn, turns, maxParallelTurns: 3, parallelSessions: turns.filter((t) => t.forked).length, queued: 0, pendingPermissions: [],
    guardian: { allowExternalReads: false, allowWrites: false, allowCommands: false }, lastError: null, lastErrorCode: null, advice: null,
  };
}

test("a turn: started → progress → finished becomes the newest history entry", () => {
  let now = 10_000;
  const model = new TurnsModel([], 50, () => now);
  assert.equal(model.apply({ type: "turnStarted", id: "t1", tool: "review_diff", client: "claude-code", summary: "the working tree", startedAt: 9_000 }), "live");
  assert.equal(model.apply({ type: "turnProgress", id: "t1", answerTail: "Reading", thoughtTail: "hmm", activity: "git diff HEAD", elapsedMs: 1000 }), "live");
  model.apply({ type: "turnProgress", id: "t1", answerTail: "Reading more", thoughtTail: "", activity: "git diff HEAD", elapsedMs: 2000 });
  model.apply({ type: "turnProgress", id: "t1", answerTail: "Reading more", thoughtTail: "", activity: "read a.ts", elapsedMs: 3000 });
  assert.equal(model.apply({ type: "turnProgress", id: "other", answerTail: "x", thoughtTail: "", activity: null, elapsedMs: 1 }), null);
  assert.deepEqual(model.live?.activity, ["git diff HEAD", "read a.ts"], "consecutive duplicates collapse");
  assert.equal(model.live?.answerTail, "Reading more");
  now = 20_000;
  const findings = [{ severity: "major" as const, file: "a.ts", line: 3, title: "bug", body: "" }];
  assert.equal(model.apply(finished("t1", { tool: "review_diff", result: result({ findings, tokens: { input: 10, output: 5 } }) })), "history");
  assert.equal(model.live, null);
  const record = model.history[0]!;
  assert.equal(record.id, "t1");
  assert.equal(record.startedAt, 9_000);
  assert.equal(record.finishedAt, 20_000);
  assert.equal(record.tokens, 15);
  assert.deepEqual(record.findings, findings);
  assert.equal(record.verdict, "consensus");
});

test("history is newest first and bounded; errors are kept with their message", () => {
  const model = new TurnsModel([], 3);
  for (const id of ["a", "b", "c", "d"]) model.apply(finished(id));
  model.apply(finished("e", { isError: true, error: "Codex is not signed in — run codex login", result: result({ answer: "", verdict: null, verdictText: null }) }));
  assert.deepEqual(model.history.map((r) => r.id), ["e", "d", "c"]);
  assert.equal(model.history[0]?.error, "Codex is not signed in — run codex login");
  model.clearHistory();
  assert.deepEqual(model.history, []);
});

test("serverState: a turn we missed becomes live; no turn ends the live one", () => {
  const model = new TurnsModel([], 50, () => 100_000);
  assert.equal(model.apply({ type: "serverState", state: "busy", status: status(running("t9")) }), "live");
  assert.equal(model.live?.startedAt, 96_000);
  assert.equal(model.apply({ type: "serverState", state: "busy", status: status(running("t9", { elapsedMs: 5000 })) }), null);
  assert.equal(model.apply({ type: "serverState", state: "ready", status: status(null) }), "live");
  assert.equal(model.live, null);
  assert.equal(model.endLive(), null);
});

test("parallel turns: each is live side by side, progress goes to its own, one ending leaves the other", () => {
  const model = new TurnsModel([], 50, () => 50_000);
  model.apply({ type: "turnStarted", id: "a", tool: "consult", client: "claude-code", summary: "slow one", startedAt: 1_000 });
  model.apply({ type: "turnStarted", id: "b", tool: "review_diff", client: "VS Code (Codex Fusion)", summary: "quick one", startedAt: 2_000, sessionId: "fork-1", forked: true });
  assert.deepEqual(model.lives.map((turn) => turn.id), ["a", "b"], "oldest first");
  assert.equal(model.live?.id, "a");
  assert.equal(model.apply({ type: "turnProgress", id: "b", answerTail: "b says", thoughtTail: "", activity: null, elapsedMs: 10 }), "live");
  assert.equal(model.lives[1]?.answerTail, "b says");
  assert.equal(model.lives[0]?.answerTail, "", "a is untouched");
  assert.equal(model.apply(finished("b")), "history");
  assert.deepEqual(model.lives.map((turn) => turn.id), ["a"]);
  // The server's list wins: a turn we never heard start appears, a turn that vanished goes.
  assert.equal(model.apply({ type: "serverState", state: "busy", status: status(running("c"), [running("c"), running("d", { forked: true, summary: "from the list" })]) }), "live");
  assert.deepEqual(model.lives.map((turn) => turn.id), ["c", "d"]);
  assert.equal(model.lives[1]?.summary, "from the list");
});

test("stored history is checked field by field and bounded", () => {
  const model = new TurnsModel();
  model.apply(finished("ok", { result: result({ answer: "x".repeat(MAX_ANSWER_CHARS + 10) }) }));
  const stored = JSON.parse(JSON.stringify(model.history)) as unknown[];
  const loaded = loadHistory([
    ...stored,
    null,
    42,
    { id: "no-tool", answer: "" },
    {
      id: "bad",
      tool: "consult",
      answer: "a",
      verdict: "maybe",
      errorCode: "nonsense",
      findings: [{ severity: "fatal", text: "x" }, { severity: "minor", text: "ok", line: "3" }, { severity: "major", title: "t", body: "b", priority: 7, file: "a.ts", line: 4, endLine: 2 }],
    },
  ]);
  assert.equal(loaded.length, 2);
  assert.equal(loaded[0]?.id, "ok");
  assert.ok(loaded[0]!.answer.length < MAX_ANSWER_CHARS + 200);
  assert.equal(loaded[1]?.verdict, null);
  // An older record's `text` becomes the title; odd priorities and ranges are dropped.
  assert.deepEqual(loaded[1]?.findings, [
    { severity: "minor", title: "ok", body: "" },
    { severity: "major", title: "t", body: "b", file: "a.ts", line: 4 },
  ]);
  assert.equal(loaded[1]?.errorCode, null);
  assert.deepEqual(loadHistory("garbage"), []);
  assert.equal(loadHistory(Array.from({ length: 80 }, (_, i) => ({ id: String(i), tool: "consult", answer: "" }))).length, 50);
});

test("views: findings by severity, labels, meta line, rendered answer", () => {
  const model = new TurnsModel();
  model.apply(
    finished("t", {
      tool: "review_diff",
      client: "claude-code",
      result: result({
        answer: "<script>x</script> **ok**",
        verdict: "open",
        verdictText: "fix the race",
        stopReason: "cancelled",
        tokens: { total: 12345 },
        findings: [
          { severity: "minor", title: "style", body: "" },
          { severity: "blocker", priority: 0, file: "a.ts", line: 88, endLine: 90, title: "race", body: "await it" },
          { severity: "major", file: "b.ts", title: "leak", body: "" },
        ],
      }),
    }),
  );
  const view = toTurnView(model.history[0]!, renderMarkdown);
  assert.equal(view.toolLabel, "Diff review");
  assert.equal(view.client, "Claude Code");
  assert.deepEqual(view.findings.map((f) => [f.severity, f.label, f.location, f.openable, f.index, f.title, f.body, f.state]), [
    ["blocker", "P0 · blocker", "a.ts:88-90", true, 1, "race", "await it", null],
    ["major", "major", "b.ts", true, 2, "leak", "", null],
    ["minor", "minor", null, false, 0, "style", "", null],
  ]);
  // The latest review: each finding's state in the editor; outside the workspace is listed, not opened.
  const states = ["dismissed", "outside", "open"] as const;
  const latest = toTurnView(model.history[0]!, renderMarkdown, (index) => states[index] ?? null);
  assert.deepEqual(latest.findings.map((f) => [f.index, f.state, f.openable]), [
    [1, "outside", false],
    [2, "open", true],
    [0, "dismissed", false],
  ]);
  assert.equal(view.meta, "1 min 5 s · 12,345 tokens · cancelled");
  assert.ok(view.answerHtml.includes("&lt;script&gt;") && view.answerHtml.includes("<strong>ok</strong>"));
  assert.equal(metaLine({ durationMs: 1200, tokens: null, stopReason: "end_turn" }), "1 s");
  assert.equal(formatDuration(3_723_000), "1 h 2 min");
  assert.equal(clientLabel(null), "unknown client");
  assert.equal(clientLabel("my-client"), "my-client");
  assert.equal(clientLabel("VS Code (Codex Fusion)"), "you (VS Code)");
  const live = toLiveView({ id: "l", tool: "consult", client: "VS Code (Codex Fusion)", summary: "s", startedAt: 1, answerTail: "", thoughtTail: "", activity: Array.from({ length: 20 }, (_, i) => `a${i}`) }, "run `npm test`");
  assert.equal(live.activity.length, 8);
  assert.equal(live.waitingFor, "run `npm test`");
});

test("a failure before any turn is a history record with its fix; error codes map to a fixing command", () => {
  const model = new TurnsModel([], 50, () => 5_000);
  assert.equal(model.fail({ tool: "review_diff", summary: "the staged changes", message: "Codex is not signed in — run codex login", code: "auth_required" }), "history");
  const view = toTurnView(model.history[0]!, renderMarkdown);
  assert.equal(view.isError, true);
  assert.equal(view.error, "Codex is not signed in — run codex login");
  assert.equal(view.action, "Sign in to Codex");
  assert.equal(ERROR_ACTIONS.agent_missing?.label, "Install Codex Agent");
  model.apply(finished("t2", { isError: true, error: "Codex sent nothing for too long", errorCode: "timeout" }));
  assert.equal(toTurnView(model.history[0]!, renderMarkdown).action, "Show Status");
  model.apply(finished("t3", { isError: true, error: "x", errorCode: "cancelled" }));
  assert.equal(toTurnView(model.history[0]!, renderMarkdown).action, null);
});

test("the VERDICT line no longer runs into the last bullet; code blocks are left alone", () => {
  assert.equal(setVerdictApart("- [minor] a.ts:3 — x\nVERDICT: OPEN — y"), "- [minor] a.ts:3 — x\n\nVERDICT: OPEN — y");
  assert.equal(setVerdictApart("text\n\nVERDICT: OPEN — y"), "text\n\nVERDICT: OPEN — y");
  assert.equal(setVerdictApart("```\nx\nVERDICT: in code\n```"), "```\nx\nVERDICT: in code\n```");
  const html = renderMarkdown("- [minor] a.ts:3 — x\n**VERDICT:** OPEN — y");
  assert.match(html, /<\/ul>\n<p><strong>VERDICT:<\/strong> OPEN — y<\/p>/);
});

test("webview messages are checked before the host acts on them", () => {
  assert.ok(isWebviewMessage({ type: "openAnswer", id: "t" }));
  assert.ok(isWebviewMessage({ type: "runAction", id: "t" }));
  assert.ok(!isWebviewMessage({ type: "runAction", command: "workbench.action.terminal.new" }));
  assert.ok(isWebviewMessage({ type: "ready" }));
  assert.ok(isWebviewMessage({ type: "openFinding", turnId: "t", index: 2 }));
  assert.ok(isWebviewMessage({ type: "openLink", turnId: "t", href: "https://x" }));
  assert.ok(!isWebviewMessage({ type: "openFinding", turnId: "t", index: "2" }));
  assert.ok(!isWebviewMessage({ type: "openFinding", turnId: "t", index: 1.5 }));
  assert.ok(!isWebviewMessage({ type: "copyAnswer" }));
  assert.ok(!isWebviewMessage({ type: "runCommand", command: "x" }));
  assert.ok(!isWebviewMessage(null));
  assert.ok(!isWebviewMessage("ready"));
});

test("the panel shell: strict CSP with a nonce on our only script and stylesheet, stable ids", () => {
  const nonce = makeNonce((n) => new Uint8Array(n).fill(7));
  assert.match(nonce, /^[0-9a-f]{32}$/);
  assert.equal(
    contentSecurityPolicy("https://res.example", nonce),
    `default-src 'none'; style-src https://res.example 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src https://res.example; font-src https://res.example`,
  );
  const html = panelHtml({ cspSource: "https://res.example", nonce, scriptUri: "https://res.example/media/verdict.js", styleUri: "https://res.example/media/verdict.css" });
  assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  assert.equal(html.match(/<script/g)?.length, 1);
  assert.ok(html.includes(`<script nonce="${nonce}" src="https://res.example/media/verdict.js"></script>`));
  assert.doesNotMatch(html, /\sstyle="/, "no inline styles");
  assert.doesNotMatch(html, /\son[a-z]+="/, "no inline handlers");
  for (const id of ["live", "cancel", "live-answer", "verdict-badge", "verdict-text", "findings", "answer", "copy", "open-editor", "result-action", "history", "clear-history", "empty"]) {
    assert.ok(html.includes(`id="${id}"`), id);
  }
  assert.match(html, /<button id="cancel" type="button"/);
  assert.match(html, /<button id="copy" type="button"/);
});

test("selection context: location and a fence the text cannot close", () => {
  assert.equal(selectionLocation({ file: "src/a.ts", startLine: 3, endLine: 3 }), "src/a.ts:3");
  const context = selectionContext({ file: "src/a.ts", startLine: 3, endLine: 7, languageId: "markdown", text: "```js\nx\n```\n" });
  assert.ok(context.startsWith("Selected in the editor, src/a.ts:3-7:\n\n````markdown\n```js\nx\n```\n````"), context);
});
