import { test } from "node:test";
import assert from "node:assert/strict";
import { renderMarkdown } from "../../../../extension/verdictPanel/markdown";
import { classifyLink, fileReference } from "../../../../extension/verdictPanel/links";

const ALLOWED_TAGS = new Set(["p", "a", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "s"]);

/** No live element or attribute that could run or load anything. */
function assertInert(html: string): void {
  assert.doesNotMatch(html, /<script/i, "no script element");
  assert.doesNotMatch(html, /<(img|iframe|object|embed|svg|math|style|link|meta|form|input|video|audio|source|base)\b/i, "no raw element");
  // Attribute values are double-quoted with quotes escaped inside, so blank them before looking for attributes.
  const tags = html.replace(/="[^"]*"/g, '=""');
  assert.doesNotMatch(tags, /<[a-z][^>]*\son[a-z]+\s*=/i, "no event handler attribute");
  assert.deepEqual(tags.match(/<[a-z][a-z0-9]*/gi)?.filter((tag) => !ALLOWED_TAGS.has(tag.slice(1).toLowerCase())) ?? [], [], "only markdown's own elements");
  assert.doesNotMatch(html, /\b(href|src|action|formaction)\s*=\s*"\s*(javascript|data|vbscript|vscode|command|file):/i, "no dangerous URL");
}

test("<script> is text, not an element", () => {
  const html = renderMarkdown("Before\n\n<script>alert(1)</script>\n\nAfter <script>alert(2)</script>");
  assertInert(html);
  assert.ok(html.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(html.includes("After &lt;script&gt;alert(2)&lt;/script&gt;"));
});

test("<img onerror> and other raw HTML stay inert", () => {
  const html = renderMarkdown('<img src=x onerror="alert(1)">\n\n<div onclick="steal()">hi</div>\n\ntext <iframe src="https://evil"></iframe> <svg onload=alert(1)>');
  assertInert(html);
  assert.ok(html.includes("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"));
  assert.ok(html.includes("&lt;div onclick=&quot;steal()&quot;&gt;hi&lt;/div&gt;"));
  assert.ok(html.includes("&lt;iframe"));
});

test("javascript:, data:, vscode:, command: and file: links are not links", () => {
  const cases = [
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java%0ascript:alert(1))",
    "[click]( javascript:alert(1) )",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vscode:extension/evil.ext)",
    "[click](command:workbench.action.terminal.sendSequence?%7B%7D)",
    "[click](file:///etc/passwd)",
    "[click](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "[click](//evil.example/x)",
  ];
  for (const source of cases) {
    const html = renderMarkdown(source);
    assertInert(html);
    assert.doesNotMatch(html, /<a href="(?!java%0ascript)[^"]*:/i, `${source} → ${html}`);
  }
  // The percent-encoded variant can only stay a harmless relative link.
  assert.doesNotMatch(renderMarkdown("[x](java%0ascript:alert(1))"), /href="javascript/i);
});

test("images are not rendered", () => {
  const html = renderMarkdown("![tracker](https://evil.example/pixel.png) ![x](data:image/png;base64,AAAA)");
  assertInert(html);
  assert.doesNotMatch(html, /<img/i);
});

test("web links, autolinks and file references render as links carrying data-href", () => {
  const html = renderMarkdown("See [the docs](https://example.com/a?b=1) and https://example.org/x, or [a.ts](src/a.ts:12).");
  assertInert(html);
  assert.ok(html.includes('<a href="https://example.com/a?b=1" data-href="https://example.com/a?b=1" class="answer-link">the docs</a>'), html);
  assert.ok(html.includes('href="https://example.org/x"'));
  assert.ok(html.includes('href="src/a.ts:12"'));
});

test("code blocks and inline code keep HTML as text; markdown structure works", () => {
  const html = renderMarkdown('# Title\n\n- **bold** and `<b>code</b>`\n\n```html\n<script>x()</script>\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nVERDICT: CONSENSUS — ship it');
  assertInert(html);
  assert.ok(html.includes("<h1>Title</h1>"));
  assert.ok(html.includes("<strong>bold</strong>"));
  assert.ok(html.includes("<code>&lt;b&gt;code&lt;/b&gt;</code>"));
  assert.ok(html.includes('<pre><code class="language-html">&lt;script&gt;x()&lt;/script&gt;'));
  assert.ok(html.includes("<table>"));
});

test("an attribute-breaking fence language or link title is escaped", () => {
  const html = renderMarkdown('```"><script>alert(1)</script>\nx\n```\n\n[t](https://example.com "a\\" onmouseover=\\"alert(1)")');
  assertInert(html);
});

test("classifyLink: external, file, anchor, refused", () => {
  assert.deepEqual(classifyLink("https://example.com/x"), { kind: "external", url: "https://example.com/x" });
  assert.deepEqual(classifyLink("mailto:a@example.com"), { kind: "external", url: "mailto:a@example.com" });
  assert.deepEqual(classifyLink("#section"), { kind: "anchor" });
  assert.deepEqual(classifyLink("src/a.ts"), { kind: "file", path: "src/a.ts", line: null });
  assert.deepEqual(classifyLink("src/a.ts:12"), { kind: "file", path: "src/a.ts", line: 12 });
  assert.deepEqual(classifyLink("src/a%20b.ts#L7-L9"), { kind: "file", path: "src/a b.ts", line: 7 });
  assert.deepEqual(fileReference("src/a.ts:12:5"), { kind: "file", path: "src/a.ts", line: 12 });
  for (const bad of ["javascript:alert(1)", " JAVASCRIPT:x", "java\tscript:x", "data:text/html,x", "vscode:x", "vscode-insiders:x", "command:x", "file:///etc", "//evil/x", "\\\\evil\\x", "ftp://x", ""]) {
    assert.deepEqual(classifyLink(bad), { kind: "refused" }, bad);
  }
});

test("file names are not taken for web addresses", () => {
  const html = renderMarkdown("Fix README.md and server/main.ts; mail me at a@b.md. See https://example.com too.");
  assert.doesNotMatch(html, /href="http:\/\/README\.md"|mailto:a@b\.md/);
  assert.ok(html.includes('href="https://example.com"'));
});
