// What a line says once the markup reviewers wrap it in is gone: priority badges as images (Codex's pull-request
// reviews `![P1 Badge](…shields.io…)`, Gemini's `![high](…high-priority.svg)`, `<img alt="P1">`) become tags ("[P1]"),
// HTML wrappers (<sub>, <details>, <blockquote>, <issue_to_address>) go, a <summary> becomes a heading, Sourcery's
// <location> becomes a bare location and its <code_context> a code fence, and blockquote markers are dropped. One
// bounded pass per line; pure.
import { TAG_WORDS } from "./severity";

const BADGE_IMAGE = new RegExp(String.raw`!\[\s*(${TAG_WORDS}|info|informational)(?:\s+badge)?\s*\]\([^)\s]{0,300}\)`, "gi");
const IMG_ALT = new RegExp(String.raw`<img\b[^>]{0,300}?\balt=["'](${TAG_WORDS})(?:\s+badge)?["'][^>]{0,300}>`, "gi");
const LINKED_TAG = /<a\b[^>]{0,300}>\s*(\[[A-Za-z0-9]{1,12}\])\s*<\/a>/gi;
const WRAPPERS = /<\/?(?:sub|sup|details|blockquote|issue_to_address|suggested_fix|strong|em|b|i|p|br|summary|table|tr|td)\b[^>]{0,200}>/gi;
const SUMMARY = /^\s*(?:<details\b[^>]{0,200}>\s*)?<summary\b[^>]{0,200}>(.*?)(?:<\/summary>|$)/i;
// An HTML link is a markdown link: its target may be the place ("<a href='…/blob/main/a.py#L12-L14'>").
const HTML_LINK = /<a\b[^>]{0,100}?\bhref=["']([^"'\s]{1,1000})["'][^>]{0,200}>(.{0,400}?)<\/a>/gi;
const LOCATION_TAG = /<location\b([^>]{0,400}?)\/?>(?:([^<]{0,400})<\/location>)?/i;
const ATTR = /\b(path|line_range|line)=["']([^"']{1,400})["']/gi;
const CODE_CONTEXT = /^\s*<\/?code_context>\s*$/i;
const QUOTE = /^\s*(?:>\s?)+/;

export function normalizeLine(raw: string): string {
  let line = raw.replace(QUOTE, "");
  if (!line.includes("<") && !line.includes("![")) return line;
  if (CODE_CONTEXT.test(line)) return "```";
  const location = LOCATION_TAG.exec(line);
  if (location) {
    let path: string | undefined;
    let range: string | undefined;
    for (const m of location[1]!.matchAll(ATTR)) {
      if (m[1]!.toLowerCase() === "path") path = m[2];
      else range = m[2];
    }
    const inner = location[2]?.replace(/`/g, "").trim();
    const where = path ? `${path}${range ? `:${range}` : ""}` : inner;
    if (where) line = line.replace(location[0], `\`${where}\``);
  }
  const summary = SUMMARY.exec(line);
  if (summary) line = `#### ${summary[1]}${line.slice(summary[0].length)}`;
  return line
    .replace(HTML_LINK, (_m, href: string, text: string) => `[${text.replace(/<[^>]{0,200}>/g, "").trim()}](${href})`)
    .replace(BADGE_IMAGE, (_m, word: string) => `[${word}]`)
    .replace(IMG_ALT, (_m, word: string) => `[${word}]`)
    .replace(LINKED_TAG, "$1")
    .replace(WRAPPERS, "")
    .replace(/^(\s*)\*\*\s+/, "$1**");
}
