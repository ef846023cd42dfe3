// Which links in a Codex answer may do anything: web and mail links open outside the editor, schemeless ones are
// workspace file references ("src/a.ts", "src/a.ts:12", "src/a.ts#L12"); every other scheme (javascript:, data:,
// vscode:, command:, file:, …) is refused. Pure: the markdown renderer and the panel host share it.

export type LinkTarget =
  | { kind: "external"; url: string }
  | { kind: "file"; path: string; line: number | null }
  | { kind: "anchor" }
  | { kind: "refused" };

const SCHEME_RE = /^([a-z][a-z0-9+.-]*):/i;
const EXTERNAL_SCHEMES = new Set(["http", "https", "mailto"]);

export function classifyLink(raw: string): LinkTarget {
  // Browsers drop ASCII whitespace and control characters when they parse a scheme: do the same before judging it.
  // eslint-disable-next-line no-control-regex
  const href = raw.replace(/[\u0000-\u0020\u007f]+/g, "");
  if (href === "") return { kind: "refused" };
  if (href.startsWith("#")) return { kind: "anchor" };
  // Protocol-relative ("//host/x") and backslash tricks ("\\host") reach the network.
  if (/^[\\/]{2}/.test(href)) return { kind: "refused" };
  const scheme = SCHEME_RE.exec(href)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!EXTERNAL_SCHEMES.has(scheme)) return { kind: "refused" };
    try {
      const url = new URL(raw.trim());
      return url.protocol === `${scheme}:` ? { kind: "external", url: url.toString() } : { kind: "refused" };
    } catch {
      return { kind: "refused" };
    }
  }
  return fileReference(raw.trim());
}

/** "src/a.ts:12", "src/a.ts:12:3", "src/a.ts#L12", "src/a.ts#L12-L20", "src/a.ts". */
export function fileReference(reference: string): LinkTarget {
  let text = reference;
  try {
    text = decodeURIComponent(reference);
  } catch {
    // keep it as written
  }
  const hash = /^(.*?)#L(\d+)(?:-L?\d+)?$/.exec(text);
  if (hash) return hash[1] ? { kind: "file", path: hash[1], line: Number(hash[2]) } : { kind: "anchor" };
  const colon = /^(.*?):(\d+)(?::\d+)?$/.exec(text);
  if (colon && colon[1]) return { kind: "file", path: colon[1], line: Number(colon[2]) };
  const path = text.replace(/#.*$/, "");
  return path ? { kind: "file", path, line: null } : { kind: "anchor" };
}

/** For markdown-it's validateLink: only links that classify as something other than refused become links. */
export function isAllowedLink(href: string): boolean {
  return classifyLink(href).kind !== "refused";
}
