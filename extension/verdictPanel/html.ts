// The verdict panel's HTML shell: a strict CSP with a per-load nonce, our stylesheet and script from media/, and the
// static skeleton the script fills in. Pure; the stable ids and classes here are what the UI tests select.
export interface ShellOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
    `font-src ${cspSource}`,
  ].join("; ");
}

export function panelHtml(options: ShellOptions): string {
  const { nonce } = options;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(options.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${attr(nonce)}" href="${attr(options.styleUri)}">
<title>Codex Verdict</title>
</head>
<body>
<main id="verdict-root">
  <section id="usage" class="usage" aria-label="Codex context and quotas" hidden>
    <div id="usage-meters" class="usage-meters"></div>
    <p id="usage-conversation" class="usage-conversation" hidden></p>
    <button id="continue-in-codex" type="button" class="secondary link-like" hidden>Continue in Codex</button>
  </section>
  <section id="live" class="live" aria-label="Current Codex turn" hidden>
    <header class="live-header">
      <span class="spinner" aria-hidden="true"></span>
      <span id="live-tool" class="tool"></span>
      <span id="live-client" class="client"></span>
      <span id="live-elapsed" class="elapsed"></span>
      <button id="cancel" type="button" class="secondary" title="Cancel the current Codex turn">Cancel</button>
    </header>
    <p id="live-summary" class="summary"></p>
    <p id="live-waiting" class="waiting" role="status" hidden></p>
    <ul id="live-activity" class="activity" aria-label="Codex activity"></ul>
    <p id="live-thought" class="thought" hidden></p>
    <div id="live-answer" class="live-answer" aria-label="Answer so far"></div>
  </section>

  <section id="live-others" class="live-others" aria-label="Codex turns running beside it" hidden>
    <h2 class="live-others-title">Also running</h2>
    <ul id="live-others-list" class="live-others-list"></ul>
  </section>

  <section id="latest-review" class="latest-review" aria-label="Latest review" hidden>
    <header class="latest-review-header">
      <h2>Latest review</h2>
      <button id="fix-all" type="button" title="Codex fixes the open findings of this review in one change, in a copy of the workspace; you view, apply or discard it">Fix all with Codex</button>
    </header>
    <p id="latest-review-title" class="meta"></p>
    <p id="latest-review-counts" class="latest-review-counts"></p>
    <ul id="latest-review-findings" class="findings-list"></ul>
  </section>

  <section id="result" class="result" aria-label="Codex answer" hidden>
    <header class="result-header" aria-live="polite">
      <span id="verdict-badge" class="verdict-badge none">NO VERDICT</span>
      <span id="verdict-text" class="verdict-text"></span>
    </header>
    <p id="result-title" class="result-title"></p>
    <p id="result-meta" class="meta"></p>
    <div id="result-error" class="error" role="alert" hidden></div>
    <button id="result-action" type="button" class="result-action" hidden></button>
    <section id="findings" class="findings" aria-label="Findings" hidden></section>
    <div class="result-actions">
      <button id="copy" type="button" class="secondary" title="Copy Codex's answer as markdown">Copy answer</button>
      <button id="open-editor" type="button" class="secondary" title="Open the whole answer in an editor tab">Open in editor</button>
    </div>
    <article id="answer" class="answer"></article>
    <ul id="result-notes" class="notes" hidden></ul>
  </section>

  <p id="empty" class="empty">No Codex turns yet. Ask from Claude (the consult, review_plan, review_diff, brainstorm and explore tools) or run a “Codex Fusion” command; the answer and its verdict appear here.</p>

  <section id="history-section" class="history-section" aria-label="History" hidden>
    <header class="history-header">
      <h2>History</h2>
      <button id="clear-history" type="button" class="secondary link-like" title="Clear the verdict history of this workspace">Clear</button>
    </header>
    <ol id="history" class="history"></ol>
  </section>
</main>
<script nonce="${attr(nonce)}" src="${attr(options.scriptUri)}"></script>
</body>
</html>`;
}

/** A nonce from a CSPRNG: 128 bits as hex. */
export function makeNonce(randomBytes: (size: number) => Uint8Array): string {
  return Buffer.from(randomBytes(16)).toString("hex");
}

function attr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
