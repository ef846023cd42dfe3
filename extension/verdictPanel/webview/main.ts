/// <reference lib="dom" />
// The verdict panel's webview script (bundled to media/verdict.js, iife, browser). Everything from the model is set
// as text, except the answer HTML, which the host rendered with raw HTML disabled. Links and findings never navigate
// the webview: they post a typed message and the host opens them.
import type { HostMessage, LiveTurnView, ReviewView, TurnView, UsageView, WebviewMessage } from "../protocol";
import { el } from "./dom";
import { renderFinding, renderFindingGroups } from "./findings";

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface SavedState {
  selectedId: string | null;
}

const vscode = acquireVsCodeApi();
const saved = (vscode.getState() as SavedState | undefined) ?? { selectedId: null };

let live: LiveTurnView | null = null;
/** Turns running beside `live` (parallel asks on forked sessions), oldest first. */
let others: LiveTurnView[] = [];
const cancelling = new Set<string>();
let history: TurnView[] = [];
/** The latest review, kept in view after later asks. */
let review: ReviewView | null = null;
let selectedId: string | null = saved.selectedId;
let cancelRequested = false;
let ticker: number | undefined;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`verdict panel: missing #${id}`);
  return element as T;
};

const ui = {
  live: $("live"),
  liveTool: $("live-tool"),
  liveClient: $("live-client"),
  liveElapsed: $("live-elapsed"),
  liveSummary: $("live-summary"),
  liveWaiting: $("live-waiting"),
  liveActivity: $("live-activity"),
  liveThought: $("live-thought"),
  liveAnswer: $("live-answer"),
  cancel: $<HTMLButtonElement>("cancel"),
  others: $("live-others"),
  othersList: $("live-others-list"),
  result: $("result"),
  badge: $("verdict-badge"),
  verdictText: $("verdict-text"),
  resultTitle: $("result-title"),
  resultMeta: $("result-meta"),
  resultError: $("result-error"),
  resultAction: $<HTMLButtonElement>("result-action"),
  openEditor: $<HTMLButtonElement>("open-editor"),
  findings: $("findings"),
  review: $("latest-review"),
  reviewTitle: $("latest-review-title"),
  reviewCounts: $("latest-review-counts"),
  reviewFindings: $("latest-review-findings"),
  fixAll: $<HTMLButtonElement>("fix-all"),
  copy: $<HTMLButtonElement>("copy"),
  answer: $("answer"),
  notes: $("result-notes"),
  empty: $("empty"),
  historySection: $("history-section"),
  history: $("history"),
  clearHistory: $<HTMLButtonElement>("clear-history"),
  usage: $("usage"),
  usageMeters: $("usage-meters"),
  usageConversation: $("usage-conversation"),
  continueInCodex: $<HTMLButtonElement>("continue-in-codex"),
};

// ── rendering ───────────────────────────────────────────────────────────────────────────────────


function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}:${String(seconds % 60).padStart(2, "0")}` : `${seconds} s`;
}

function renderElapsed(): void {
  if (live) ui.liveElapsed.textContent = formatElapsed(Date.now() - live.startedAt);
  for (const node of Array.from(ui.othersList.querySelectorAll<HTMLElement>(".elapsed[data-started-at]"))) {
    node.textContent = formatElapsed(Date.now() - Number(node.dataset.startedAt));
  }
}

/** One compact card per turn running beside the main one: who asked, how long, what it waits for, its latest words. */
function renderOthers(): void {
  ui.others.hidden = others.length === 0;
  ui.othersList.replaceChildren(
    ...others.map((turn) => {
      const li = el("li", "live-other");
      li.dataset.turnId = turn.id;
      const header = el("div", "live-other-header");
      header.append(el("span", "tool", turn.toolLabel), el("span", "client", `asked by ${turn.client}`));
      const elapsed = el("span", "elapsed", formatElapsed(Date.now() - turn.startedAt));
      elapsed.dataset.startedAt = String(turn.startedAt);
      const cancel = el("button", "secondary cancel-other", cancelling.has(turn.id) ? "Cancelling…" : "Cancel");
      cancel.type = "button";
      cancel.dataset.turnId = turn.id;
      cancel.disabled = cancelling.has(turn.id);
      cancel.title = "Cancel this Codex turn";
      header.append(elapsed, cancel);
      li.append(header);
      if (turn.summary) li.append(el("p", "summary", turn.summary));
      if (turn.waitingFor) li.append(el("p", "waiting", `Waiting for a permission decision: Codex wants to ${turn.waitingFor}.`));
      const tail = turn.answerTail || turn.activity.at(-1) || (turn.waitingFor ? "" : "Codex is working…");
      if (tail) li.append(el("p", "live-other-tail", tail.slice(-300)));
      return li;
    }),
  );
}

function renderLive(): void {
  renderOthers();
  ui.live.hidden = live === null;
  if (ticker !== undefined && live === null) {
    window.clearInterval(ticker);
    ticker = undefined;
  }
  if (!live) {
    cancelRequested = false;
    renderEmpty();
    return;
  }
  if (ticker === undefined) ticker = window.setInterval(renderElapsed, 1000);
  ui.liveTool.textContent = live.toolLabel;
  ui.liveClient.textContent = `asked by ${live.client}`;
  renderElapsed();
  ui.liveSummary.textContent = live.summary;
  ui.liveSummary.hidden = live.summary === "";
  ui.liveWaiting.hidden = live.waitingFor === null;
  ui.liveWaiting.textContent = live.waitingFor ? `Waiting for a permission decision: Codex wants to ${live.waitingFor}.` : "";
  ui.liveActivity.replaceChildren(...live.activity.map((item) => el("li", "activity-item", item)));
  ui.liveThought.hidden = live.thoughtTail === "";
  ui.liveThought.textContent = live.thoughtTail;
  const stick = ui.liveAnswer.scrollHeight - ui.liveAnswer.scrollTop - ui.liveAnswer.clientHeight < 24;
  ui.liveAnswer.textContent = live.answerTail || (live.waitingFor ? "" : "Codex is working…");
  if (stick) ui.liveAnswer.scrollTop = ui.liveAnswer.scrollHeight;
  ui.cancel.disabled = cancelRequested;
  ui.cancel.textContent = cancelRequested ? "Cancelling…" : "Cancel";
  renderEmpty();
}

function selected(): TurnView | undefined {
  return history.find((turn) => turn.id === selectedId) ?? history[0];
}

/** The latest review's findings and their states; the list only while another turn is shown (else it is below). */
function renderReview(): void {
  ui.review.hidden = review === null;
  if (!review) return;
  ui.review.dataset.turnId = review.turnId;
  ui.reviewTitle.textContent = review.title;
  ui.reviewCounts.textContent = review.counts;
  ui.fixAll.disabled = review.fixable === 0;
  ui.fixAll.textContent = review.fixable > 0 ? `Fix all with Codex (${review.fixable})` : "Fix all with Codex";
  const shownBelow = selected()?.id === review.turnId;
  ui.reviewFindings.hidden = shownBelow;
  const turn = { id: review.turnId };
  ui.reviewFindings.replaceChildren(...(shownBelow ? [] : review.findings.map((finding) => {
    const li = el("li");
    li.append(renderFinding(turn, finding));
    return li;
  })));
}

function renderResult(): void {
  const turn = selected();
  ui.result.hidden = turn === undefined;
  if (!turn) {
    renderEmpty();
    return;
  }
  ui.result.dataset.turnId = turn.id;
  const kind = turn.isError ? "error" : (turn.verdict ?? "none");
  ui.badge.className = `verdict-badge ${kind}`;
  ui.badge.textContent = turn.isError ? "ERROR" : turn.verdict === "consensus" ? "CONSENSUS" : turn.verdict === "open" ? "OPEN" : "NO VERDICT";
  ui.verdictText.textContent = turn.verdictText ?? "";
  ui.resultTitle.textContent = `${turn.toolLabel} · asked by ${turn.client} · ${new Date(turn.finishedAt).toLocaleTimeString()}${turn.summary ? ` — ${turn.summary}` : ""}`;
  ui.resultMeta.textContent = turn.meta;
  ui.resultError.hidden = !turn.error;
  ui.resultError.textContent = turn.error ?? "";
  ui.resultAction.hidden = turn.action === null;
  ui.resultAction.textContent = turn.action ?? "";
  ui.openEditor.disabled = !turn.hasAnswer;
  renderFindingGroups(ui.findings, turn);
  renderReview();
  // Rendered on the host by markdown-it with raw HTML disabled and links validated; the CSP blocks script anyway.
  ui.answer.innerHTML = turn.answerHtml;
  ui.copy.disabled = !turn.hasAnswer;
  ui.copy.textContent = "Copy answer";
  ui.notes.hidden = turn.notes.length === 0;
  ui.notes.replaceChildren(...turn.notes.map((note) => el("li", "note", note)));
  renderEmpty();
}

function renderHistory(): void {
  ui.historySection.hidden = history.length === 0;
  const current = selected();
  ui.history.replaceChildren(
    ...history.map((turn) => {
      const li = el("li");
      const button = el("button", "history-item");
      button.type = "button";
      button.dataset.id = turn.id;
      if (turn.id === current?.id) button.setAttribute("aria-current", "true");
      const kind = turn.isError ? "error" : (turn.verdict ?? "none");
      const badge = el("span", `history-badge ${kind}`, turn.isError ? "ERR" : turn.verdict === "consensus" ? "✓" : turn.verdict === "open" ? "OPEN" : "–");
      badge.setAttribute("aria-label", turn.isError ? "error" : turn.verdict === "consensus" ? "consensus" : turn.verdict === "open" ? "open" : "no verdict");
      button.append(badge);
      button.append(el("span", "history-tool", turn.toolLabel));
      button.append(el("span", "history-summary", turn.summary || turn.verdictText || ""));
      button.append(el("span", "history-time", new Date(turn.finishedAt).toLocaleString()));
      button.title = `${turn.toolLabel} — ${turn.summary}`;
      li.append(button);
      return li;
    }),
  );
}

function renderEmpty(): void {
  ui.empty.hidden = live !== null || history.length > 0;
}

function select(id: string | null): void {
  selectedId = id;
  vscode.setState({ selectedId } satisfies SavedState);
  renderResult();
  renderHistory();
}

// ── events ──────────────────────────────────────────────────────────────────────────────────────

window.addEventListener("message", (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  switch (message?.type) {
    case "state":
      if (live?.id !== message.live?.id) cancelRequested = false;
      live = message.live;
      others = message.others ?? [];
      forgetEnded();
      history = message.history;
      review = message.review ?? null;
      if (selectedId && !history.some((turn) => turn.id === selectedId)) selectedId = null;
      renderLive();
      renderResult();
      renderReview();
      renderHistory();
      break;
    case "live":
      if (live?.id !== message.live?.id) cancelRequested = false;
      live = message.live;
      others = message.others ?? [];
      forgetEnded();
      renderLive();
      break;
    case "select":
      select(message.id);
      break;
    case "usage":
      renderUsage(message.usage);
      break;
    case "copied":
      if (selected()?.id === message.id) {
        ui.copy.textContent = "Copied";
        window.setTimeout(() => (ui.copy.textContent = "Copy answer"), 1500);
      }
      break;
  }
});

ui.cancel.addEventListener("click", () => {
  cancelRequested = true;
  renderLive();
  vscode.postMessage(live ? { type: "cancelTurn", turnId: live.id } : { type: "cancelTurn" });
});

ui.othersList.addEventListener("click", (event) => {
  const button = (event.target as HTMLElement | null)?.closest<HTMLButtonElement>("button.cancel-other");
  const turnId = button?.dataset.turnId;
  if (!turnId) return;
  cancelling.add(turnId);
  renderOthers();
  vscode.postMessage({ type: "cancelTurn", turnId });
});

/** A meter per window (context, each quota), the conversation's continuity, and Continue in Codex. */
function renderUsage(usage: UsageView): void {
  ui.usageMeters.replaceChildren(
    ...usage.meters.map((m) => {
      const row = el("div", "usage-meter");
      row.title = m.detail;
      const bar = el("meter");
      bar.min = 0;
      bar.max = 100;
      bar.low = 60;
      bar.high = 80;
      bar.optimum = 0;
      bar.value = m.percent;
      bar.setAttribute("aria-label", m.detail);
      row.append(el("span", "usage-label", m.label), bar, el("span", "usage-value", `${m.percent} %`));
      return row;
    }),
  );
  ui.usageConversation.textContent = usage.conversation ?? "";
  ui.usageConversation.hidden = !usage.conversation;
  ui.continueInCodex.hidden = !usage.resumeCommand;
  ui.continueInCodex.title = usage.resumeCommand ? `Run \`${usage.resumeCommand}\` in a terminal: take the conversation over in Codex itself` : "";
  ui.usage.hidden = usage.meters.length === 0 && !usage.conversation && !usage.resumeCommand;
}

ui.continueInCodex.addEventListener("click", () => vscode.postMessage({ type: "continueInCodex" }));

/** Turns that are no longer running need no "Cancelling…" any more. */
function forgetEnded(): void {
  const running = new Set(others.map((turn) => turn.id));
  for (const id of cancelling) if (!running.has(id)) cancelling.delete(id);
}

ui.copy.addEventListener("click", () => {
  const turn = selected();
  if (turn) vscode.postMessage({ type: "copyAnswer", id: turn.id });
});

ui.clearHistory.addEventListener("click", () => vscode.postMessage({ type: "clearHistory" }));

ui.openEditor.addEventListener("click", () => {
  const turn = selected();
  if (turn) vscode.postMessage({ type: "openAnswer", id: turn.id });
});

ui.resultAction.addEventListener("click", () => {
  const turn = selected();
  if (turn) vscode.postMessage({ type: "runAction", id: turn.id });
});

function openFinding(event: MouseEvent): void {
  const target = (event.target as HTMLElement | null)?.closest<HTMLElement>("button.finding");
  if (!target?.dataset.turnId || target.dataset.index === undefined) return;
  vscode.postMessage({ type: "openFinding", turnId: target.dataset.turnId, index: Number(target.dataset.index) });
}
ui.findings.addEventListener("click", openFinding);
ui.reviewFindings.addEventListener("click", openFinding);

ui.fixAll.addEventListener("click", () => {
  if (!review) return;
  // Off until the next state: one click, one change.
  ui.fixAll.disabled = true;
  vscode.postMessage({ type: "fixAll", turnId: review.turnId });
});

ui.answer.addEventListener("click", (event) => {
  const link = (event.target as HTMLElement | null)?.closest<HTMLAnchorElement>("a");
  if (!link) return;
  event.preventDefault();
  const turn = selected();
  const href = link.dataset.href ?? link.getAttribute("href") ?? "";
  if (turn && href) vscode.postMessage({ type: "openLink", turnId: turn.id, href });
});

ui.history.addEventListener("click", (event) => {
  const item = (event.target as HTMLElement | null)?.closest<HTMLElement>("button.history-item");
  if (item?.dataset.id) select(item.dataset.id);
});

vscode.postMessage({ type: "ready" });
