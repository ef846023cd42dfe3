// Codex's answer as HTML, rendered on the extension host by markdown-it with raw HTML disabled: any HTML the model
// writes comes out as text, links are limited to web, mail and workspace file references (see links.ts), and images
// are not rendered (the webview's CSP would refuse them anyway). The webview only ever inserts this output.
import MarkdownIt from "markdown-it";
import { isAllowedLink } from "./links";

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.validateLink = isAllowedLink;
md.disable("image");
// Only links written with their scheme: fuzzy detection turns file names into web links ("README.md" is a domain).
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false });

// Every link carries its target in data-href for the webview's click handler; the webview never navigates itself.
const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const href = token.attrGet("href") ?? "";
  token.attrSet("data-href", href);
  token.attrSet("class", "answer-link");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Markdown → HTML with no live HTML from the input. */
export function renderMarkdown(text: string): string {
  return md.render(setVerdictApart(text));
}

const VERDICT_LINE = /^\s{0,3}(?:[-*>]\s*)?[*_`]*verdict[*_`]*\s*[:\-–—]/i;
const FENCE = /^\s*(`{3,}|~{3,})/;

/**
 * A blank line before a VERDICT line that follows text directly: markdown would otherwise run it into the last list
 * item or paragraph ("- [minor] … VERDICT: OPEN — …"). Code blocks are left alone.
 */
export function setVerdictApart(text: string): string {
  const lines = text.split("\n");
  let fence: string | null = null;
  const out: string[] = [];
  for (const line of lines) {
    const f = FENCE.exec(line);
    if (f) fence = fence === null ? f[1]![0]! : line.trim().startsWith(fence) ? null : fence;
    if (fence === null && !f && VERDICT_LINE.test(line) && out.length > 0 && out.at(-1)!.trim() !== "") out.push("");
    out.push(line);
  }
  return out.join("\n");
}
