// Markdown tables of findings: the header row says which column holds the severity, the file, the line, the title
// and the fix; rows without a header fall back to "a cell that is a severity word". A table without a severity column
// (a comparison of approaches: "Effort | High") has no findings. Pure.
import type { Draft } from "./item";
import { locationCell, withLineRangeOf } from "./location";
import { tagOf, withoutEmoji, type Tagged } from "./severity";
import { splitTitle, stripEmphasis } from "./text";

type Role = "severity" | "file" | "line" | "title" | "body" | "fix" | "other";

const ROLES: ReadonlyArray<[RegExp, Role]> = [
  [/^(?:severity|sev|priority|level|impact level|rank)$/, "severity"],
  [/^(?:file|files|path|location|where|file ?: ?line|file\s*\/\s*line|file and line|loc)$/, "file"],
  [/^(?:line|lines|ln|line range|line\(s\))$/, "line"],
  [/^(?:title|summary|finding|issue|problem|bug|concern|what)$/, "title"],
  [/^(?:description|details|explanation|why|impact|notes?|comment|rationale|evidence)$/, "body"],
  [/^(?:fix|suggested fix|suggestion|recommendation|recommended fix|remedy|action|resolution|proposed fix)$/, "fix"],
];

export function splitRow(line: string): string[] {
  return line.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim());
}

export function isSeparatorRow(line: string): boolean {
  return /^\s*\|?[\s|:\-]+$/.test(line) && line.includes("-");
}

export function headerRoles(cells: string[]): Role[] {
  return cells.map((cell) => {
    const name = stripEmphasis(cell).toLowerCase();
    return ROLES.find(([re]) => re.test(name))?.[1] ?? "other";
  });
}

function cellTag(cell: string): Tagged | undefined {
  const bare = withoutEmoji(stripEmphasis(cell)).replace(/[[\]()]/g, " ").trim();
  const word = /^[A-Za-z]+[0-3]?/.exec(bare);
  return word ? tagOf(word[0]) : undefined;
}

/** A data row as a finding, or null. `roles` is null for a table without a header row. */
export function tableFinding(cells: string[], roles: Role[] | null, section: Tagged | null): Draft | null {
  // With a header row, only its severity column (or a severity section around the table) makes rows findings.
  if (roles) return withRoles(cells, roles, section);
  // No header: a cell that is just a severity word makes it a finding; a cell that is a location is its place.
  let tagged: Tagged | undefined;
  const others: string[] = [];
  let loc: Draft["loc"];
  for (const cell of cells) {
    const bare = stripEmphasis(cell).replace(/^\[(.*)\]$/, "$1").trim();
    const tag = tagged === undefined && /^[A-Za-z]+[0-3]?$/.test(bare) ? tagOf(bare) : undefined;
    if (tag) tagged = tag;
    else if (loc === undefined && /^[`*]*\S+[`*]*$/.test(cell) && locationCell(cell)) loc = locationCell(cell) ?? undefined;
    else if (cell !== "" && !/^\d+$/.test(cell)) others.push(cell);
  }
  tagged ??= section ?? undefined;
  if (!tagged || others.length === 0) return null;
  return make(tagged, others.join(" — "), [], loc);
}

function withRoles(cells: string[], roles: Role[], section: Tagged | null): Draft | null {
  const column = (role: Role) => cells.filter((_, i) => roles[i] === role && cells[i] !== "");
  const severityCells = column("severity");
  const tagged = roles.includes("severity") ? severityCells.map(cellTag).find((t) => t !== undefined) : (section ?? undefined);
  if (!tagged) return null;
  let loc: Draft["loc"];
  for (const cell of column("file")) loc ??= locationCell(cell) ?? undefined;
  const lineCell = column("line")[0];
  if (loc && lineCell && loc.line === undefined) withLineRangeOf(loc, lineCell);
  const titles = column("title");
  const bodies = column("body");
  const fixes = column("fix").map((fix) => `Fix: ${fix}`);
  const lead = titles[0] ?? bodies.shift() ?? fixes.shift();
  if (lead === undefined) return null;
  return make(tagged, lead, [...titles.slice(1), ...bodies, ...fixes], loc);
}

function make(tagged: Tagged, lead: string, more: string[], loc: Draft["loc"]): Draft | null {
  const { title, body } = splitTitle(lead);
  if (title === "") return null;
  const d: Draft = { severity: tagged.severity, title, body: [...(body ? [body] : []), ...more] };
  if (tagged.priority !== undefined) d.priority = tagged.priority;
  if (loc) d.loc = loc;
  return d;
}
