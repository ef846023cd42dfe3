/// <reference lib="dom" />
// A finding as the verdict webview shows it (severity, location, its state in the editor, title, body — all as text),
// and a turn's findings grouped by severity. Clicks are handled by main.ts (a finding button posts openFinding).
import type { FindingView, TurnView } from "../protocol";
import { el } from "./dom";

const SEVERITY_TITLES = { blocker: "Blockers", major: "Major", minor: "Minor" } as const;

const STATE_NOTES = { dismissed: "dismissed", fix_proposed: "fix proposed", fixed: "fixed", outside: "outside the workspace", missing: "file not found", unplaced: "no file", open: "" } as const;

export function renderFinding(turn: { id: string }, finding: FindingView): HTMLElement {
  const node: HTMLElement = finding.openable ? el("button") : el("div");
  node.className = `finding severity-${finding.severity}${finding.state ? ` state-${finding.state}` : ""}`;
  node.dataset.turnId = turn.id;
  node.dataset.index = String(finding.index);
  node.dataset.severity = finding.severity;
  if (finding.state) node.dataset.state = finding.state;
  if (finding.openable) {
    (node as HTMLButtonElement).type = "button";
    // The latest review's findings (open, or with a Codex fix) have a thread; older ones open their file.
    const threaded = finding.state === "open" || finding.state === "fix_proposed" || finding.state === "fixed";
    node.title = threaded ? `Show the thread at ${finding.location ?? ""}` : `Open ${finding.location ?? ""}`;
  } else node.tabIndex = 0;
  const head = el("span", "finding-head");
  head.append(el("span", "finding-severity", finding.label));
  if (finding.location) head.append(el("span", "finding-location", finding.location));
  const note = finding.state ? STATE_NOTES[finding.state] : "";
  if (note) head.append(el("span", "finding-state", note));
  node.append(head, el("span", "finding-text", finding.title));
  if (finding.body) node.append(el("span", "finding-body", finding.body));
  return node;
}

/** A turn's findings, grouped by severity, into `container`. */
export function renderFindingGroups(container: HTMLElement, turn: Pick<TurnView, "id" | "findings">): void {
  container.replaceChildren();
  container.hidden = turn.findings.length === 0;
  for (const severity of ["blocker", "major", "minor"] as const) {
    const items = turn.findings.filter((finding) => finding.severity === severity);
    if (items.length === 0) continue;
    const group = el("section", `findings-group severity-${severity}`);
    group.dataset.severity = severity;
    group.append(el("h3", "findings-title", `${SEVERITY_TITLES[severity]} (${items.length})`));
    const list = el("ul", "findings-list");
    for (const finding of items) {
      const li = el("li");
      li.append(renderFinding(turn, finding));
      list.append(li);
    }
    group.append(list);
    container.append(group);
  }
}

