// Pure prompt builders for the Codex side of the debate. No I/O, no vscode:
// everything here is deterministic so it can be unit-tested and diffed.
//
// Layout: the session preamble (<role> and the <debate> frame that asks for the
// final VERDICT line parsed by server/findings/) goes once per session — as the
// agent's session system prompt when it takes one, else at the head of the
// session's first prompt. Every ask then sends only its own part: a <task>, user
// text in its own tags, an <output_contract> and (except for explore) a one-line
// VERDICT reminder. Asks go out on every call, so wording is kept short.

import type { AskTool, ReviewTarget } from "./protocol/constants";
import { posixQuote } from "./protocol/text";
import type { AskArgs } from "./tools/schemas";
import { FINDINGS_FENCE, findingsReportJsonSchema } from "./protocol/findingsReport";
import type { Asker } from "./protocol/askers";

export type { Asker };

/** How a prompt names who asks (not always Claude: the editor's asks are the person's). */
interface Who {
  /** "Claude", "the developer" */
  name: string;
  /** "Claude's", "the developer's" */
  of: string;
  /** review_diff without a diff, and with one. */
  changes: string;
  diff: string;
}

const WHO: Readonly<Record<Asker, Who>> = {
  claude: { name: "Claude", of: "Claude's", changes: "Review the changes Claude made in this workspace.", diff: "Review the diff below, written by Claude." },
  person: {
    name: "the developer",
    of: "the developer's",
    changes: "The developer asks from the editor: review the changes in this workspace.",
    diff: "The developer asks from the editor: review the diff below.",
  },
  gate: {
    name: "the review gate",
    of: "the review gate's",
    changes: "The review gate asks before Claude stops: review the changes Claude made in this workspace.",
    diff: "The review gate asks before Claude stops: review the diff below, Claude's changes.",
  },
};

export type { AskArgs, AskTool, ReviewTarget };

export const PREAMBLE = `<role>
You are Codex, an independent peer reviewer. Claude, another AI coding agent, is working in this workspace. Asks come from Claude, from the developer in the editor, or from a review gate before Claude stops; each task says who asks.
- Judge on the merits. Disagree when warranted; never rubber-stamp.
- Ground every claim in the files and cite them as \`path:line\`.
- If context is missing, say what is missing instead of guessing.
- You are read-only and advisory: do not modify files. Anything beyond reading needs approval and may be denied.
</role>`;

export const DEBATE_FRAME = `<debate>
This is a short debate with whoever asks: they propose, you review, they reconcile. Converge within about three exchanges.
End your answer with exactly one final line:
VERDICT: CONSENSUS — <conclusion>   if you agree, possibly with changes, or
VERDICT: OPEN — <the most important open point>   otherwise.
</debate>`;

/**
 * The machine-readable findings channel (server/protocol/findingsReport.ts), told once per session: the server reads
 * the block, checks it against the schema and cuts it out of the answer people and models read.
 */
export function findingsBlockFrame(): string {
  return `<findings_block>
When an ask wants findings, repeat them after your prose, before the VERDICT line, in one fenced block with info string ${FINDINGS_FENCE}: one JSON object matching this JSON Schema (file: workspace-relative; line, endLine: 1-based, inclusive; priority: P0-P3 as 0-3):
${findingsReportJsonSchema()}
Only the server reads the block, so say everything in prose too. No findings: {"findings":[]}.
</findings_block>`;
}

/** review_diff always ends with the block; consult, review_plan and reply only when they point at code. */
const BLOCK_REQUIRED = `Then write the ${FINDINGS_FENCE} block (see <findings_block>) with every finding above, before the VERDICT line.`;
const BLOCK_IF_CODE = `Problems at specific code lines: also in the ${FINDINGS_FENCE} block (<findings_block>).`;

const VERDICT_REMINDER =
  "End your answer with exactly one final line: `VERDICT: CONSENSUS — <conclusion>` or `VERDICT: OPEN — <the most important open point>`.";

/** What a session keeps for its whole life: the role and the debate frame (sent once per session). */
export function sessionPreamble(workspace?: string): string {
  const ws = clean(workspace);
  return [PREAMBLE, ws !== undefined ? `<workspace>${neutralizeTags(ws.trim())}</workspace>` : undefined, DEBATE_FRAME, findingsBlockFrame()].filter(isString).join("\n");
}

// Tag names this module emits. User text may not open or close them, or it
// could end its own block early and smuggle in instructions. Only these names
// are touched so HTML/JSX in diffs and plans passes through byte-for-byte.
const RESERVED_TAGS = [
  "role",
  "workspace",
  "task",
  "question",
  "context",
  "plan",
  "diff",
  "paths",
  "instructions",
  "problem",
  "constraints",
  "focus",
  "message",
  "output_contract",
  "debate",
  "permission_denied",
  "findings_block",
] as const;
type Tag = (typeof RESERVED_TAGS)[number];

const RESERVED_TAG_RE = new RegExp(`<(\\s*/?\\s*)(${RESERVED_TAGS.join("|")})(?=[\\s/>]|$)`, "gi");
const ZWSP = "\u200B";

/** Break `<plan>` / `</plan>` (any case, stray spaces) with a zero-width space. */
export function neutralizeTags(text: string): string {
  return text.replace(RESERVED_TAG_RE, (_m, slash: string, name: string) => `<${ZWSP}${slash}${name}`);
}

/** Undefined for missing or blank fields; otherwise drop leading blank lines and trailing whitespace. */
function clean(text: string | undefined): string | undefined {
  if (typeof text !== "string" || text.trim() === "") return undefined;
  return text.replace(/^(?:[ \t]*\r?\n)+/, "").replace(/\s+$/, "");
}

function cleanList(items: readonly string[] | undefined): string[] {
  if (!Array.isArray(items)) return [];
  return items.filter((p): p is string => typeof p === "string").map((p) => p.trim()).filter((p) => p !== "");
}

function block(tag: Tag, text: string | undefined): string | undefined {
  return text === undefined ? undefined : `<${tag}>\n${neutralizeTags(text)}\n</${tag}>`;
}

function consult(a: AskArgs, who: Who): string[] {
  return [
    `<task>\nGive an independent second opinion on ${who.of} question. Check the workspace yourself rather than trusting the framing.\n</task>`,
    block("question", clean(a.question)),
    block("context", clean(a.context)),
    `<output_contract>\n1. Answer: your direct answer.\n2. Reasoning: why, with \`path:line\` evidence.\n3. Risks: what could go wrong and what you are unsure of.\n${BLOCK_IF_CODE}\n</output_contract>`,
  ].filter(isString);
}

function reviewPlan(a: AskArgs, who: Who): string[] {
  return [
    `<task>\nReview ${who.of} plan before it is carried out. Check it against the actual code.\n</task>`,
    block("plan", clean(a.plan)),
    block("context", clean(a.context)),
    `<output_contract>\n1. Assessment: exactly one of "sound", "sound with changes", "reconsider".\n2. Problems, most severe first, each with evidence and a concrete fix.\n3. Blind spots: cases, callers, tests or constraints the plan misses.\n4. What you agree with.\n${BLOCK_IF_CODE}\n</output_contract>`,
  ].filter(isString);
}

/** One exact finding format (Codex's own review format with our severity words), parsed by server/findings/. */
export const FINDING_FORMAT =
  "Findings first, most severe first, each in exactly this form: a title line, then why it is wrong and the fix, indented by two spaces:\n" +
  "- [blocker|major|minor] <short title> — <path/to/file.ts>:<start>-<end>\n" +
  "  <why it is wrong, and the fix>\n" +
  "The path is relative to the workspace; <start>-<end> are the lines the finding is about (one line: just <start>).\n" +
  "blocker: wrong behaviour, data loss or security; major: likely bug or missing handling/tests; minor: clarity, style, small risk.\n" +
  'If there are none, write "No findings." Then give a short overall assessment.';

// A ref or sha as Codex may be told to use it: no leading "-" (git would read an option), no whitespace (another
// argument), no ".." ranges; the same rule for the debate prompt and Codex's own reviewer.
const GIT_REF = /^(?!-)(?!.*\.\.)[\w./@{}~^+-]{1,200}$/;

export function isGitRef(ref: string): boolean {
  return GIT_REF.test(ref);
}

function gitRef(what: string, value: string | undefined): string | undefined {
  const ref = clean(value)?.trim();
  if (ref !== undefined && !isGitRef(ref)) throw new RangeError(`invalid ${what}: ${ref}`);
  return ref;
}

function reviewDiff(a: AskArgs, who: Who): string[] {
  const diff = clean(a.diff);
  const paths = cleanList(a.paths);
  let task: string;
  if (diff !== undefined) {
    // A supplied diff is authoritative; base is irrelevant and paths only narrow scope.
    task = `${who.diff} Read surrounding code where the diff alone is not enough.`;
    if (paths.length > 0) task += `\nOnly these paths are in scope: ${paths.join(", ")}`;
  } else {
    const base = gitRef("base ref", a.base);
    const commit = gitRef("commit", a.commit);
    const limit = paths.length > 0 ? ` -- ${paths.map(posixQuote).join(" ")}` : "";
    const untracked = `- \`git status --short${limit}\` for untracked files, which git diff omits; read them directly.\n`;
    let how: string;
    if (a.target === "commit" && commit !== undefined) {
      how = `- \`git show ${posixQuote(commit)}${limit}\` (the changes commit ${commit} introduced).\n`;
    } else if (a.target === "branch" && base !== undefined) {
      how = `- \`git diff ${posixQuote(`${base}...HEAD`)}${limit}\` (this branch's commits since it left ${base}; not the working tree).\n`;
    } else if (base !== undefined) {
      how = `- \`git diff ${posixQuote(base)}${limit}\` (everything since ${base}: commits and working tree)\n${untracked}`;
    } else {
      how = `- \`git diff HEAD${limit}\` (staged and unstaged changes)\n${untracked}`;
    }
    task = `${who.changes} Inspect them yourself, read-only:\n${how}If there are no changes, say so instead of reviewing unrelated code.`;
  }
  return [
    `<task>\n${neutralizeTags(task)}\n</task>`,
    block("diff", diff),
    block("instructions", clean(a.instructions)),
    `<output_contract>\n${FINDING_FORMAT}\n${BLOCK_REQUIRED}\n</output_contract>`,
  ].filter(isString);
}

function brainstorm(a: AskArgs, who: Who): string[] {
  const constraints = clean(a.constraints);
  return [
    `<task>\nBrainstorm how to solve ${who.of} problem in this codebase.\n</task>`,
    block("problem", clean(a.problem)),
    block("constraints", constraints),
    "<output_contract>\nGive 2 to 4 genuinely distinct approaches. For each: how it works and its trade-offs (effort, risk, fit with existing code, citing `path:line`)." +
      (constraints !== undefined ? " Every approach must honour the constraints; say so if one cannot." : "") +
      "\nThen recommend one and say why.\n</output_contract>",
  ].filter(isString);
}

function explore(a: AskArgs, who: Who): string[] {
  const focus = clean(a.focus);
  const paths = cleanList(a.paths);
  let task = `Map this codebase for ${who.name}`;
  if (focus !== undefined) task += ", focused on <focus>";
  if (paths.length > 0) task += ", limited to <paths>";
  return [
    `<task>\n${task}. Read only; do not run builds or tests.\n</task>`,
    block("focus", focus),
    block("paths", paths.length > 0 ? paths.map((p) => `- ${p}`).join("\n") : undefined),
    "<output_contract>\n1. Structure: layout and what lives where.\n2. Main components and their responsibilities.\n3. Data and control flow between them.\n4. Conventions: naming, errors, tests, build.\n5. Where to start" +
      (focus !== undefined ? " for the focus" : "") +
      `.\nCite \`path:line\`. Be concise. This is a map for ${who.name}, not a debate: no verdict line.\n</output_contract>`,
  ].filter(isString);
}

function reply(a: AskArgs, who: Who): string[] {
  return [
    `<task>\n${capitalized(who.name)} responds to your last answer in this session. Reconsider honestly: concede what it gets right, hold your ground with evidence where it is wrong. Do not change position just to agree.\n</task>`,
    block("message", clean(a.message)),
    BLOCK_IF_CODE,
  ].filter(isString);
}

function isString(s: string | undefined): s is string {
  return s !== undefined;
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const BUILDERS: Record<AskTool, (a: AskArgs, who: Who) => string[]> = {
  consult,
  review_plan: reviewPlan,
  review_diff: reviewDiff,
  brainstorm,
  explore,
  reply,
};

/**
 * Build the prompt text for one ask: its task, the user's text and its contract, plus a one-line VERDICT reminder
 * (except explore). `preamble` puts the session preamble (role, debate frame) first — for the first prompt of a
 * session whose agent took no system prompt; a session that has it already never gets it again.
 * Throws RangeError for a review_diff `base` or `commit` that git would read as an option.
 */
export function buildPrompt(tool: AskTool, args: AskArgs, opts: { workspace?: string; preamble?: boolean; asker?: Asker } = {}): string {
  const body = [...BUILDERS[tool](args, WHO[opts.asker ?? "claude"]), ...(tool !== "explore" ? [VERDICT_REMINDER] : [])].join("\n");
  return opts.preamble ? withPreamble(body, opts.workspace) : body;
}

/** The session preamble followed by an ask's own prompt (the first prompt of a session without a system prompt). */
export function withPreamble(prompt: string, workspace?: string): string {
  return `${sessionPreamble(workspace)}\n${prompt}`;
}

/**
 * Sent after Codex asked for something (a command, a write, network) and the
 * request was denied, so it finishes the turn in text instead of stalling.
 */
export function buildDenialFollowUp(what: string, decidedBy: string, note?: string): string {
  const lines = [`Denied: ${what.trim() || "your last request"}`, `Decided by: ${decidedBy.trim() || "policy"}`];
  const n = clean(note);
  if (n !== undefined) lines.push(`Note: ${n.trim()}`);
  return [
    block("permission_denied", lines.join("\n")),
    "Continue without it and answer in text, using what you can already read. Do not retry the same request.",
    VERDICT_REMINDER,
  ].join("\n");
}
