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
  return md.render(text);
}
