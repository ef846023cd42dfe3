// A finding headed by its place: a line or heading that only names a location ("### src/a.ts:77", "**src/a.ts:40**",
// a permalink, Sourcery's <location>) and then says what is wrong in the lines below, with or without a level
// ("![medium](…)", "_⚠️ Potential issue_ | _🟡 Minor_", "[nitpick] …"). A tagged finding that follows takes the place
// instead; metadata lines (author stamps, "Actionable: No") are skipped. Pure.
import type { Draft } from "./item";
import type { Loc } from "./location";
import { leadingEmoji, UNRATED, type Tagged } from "./severity";
import { readTag } from "./tags";
import { splitTitle, stripEmphasis } from "./text";

export class Headed {
  readonly text: string[] = [];
  severity: Tagged | null = null;
  constructor(readonly loc: Loc) {}

  /** The finding it makes when no tagged finding took its place: the first lines' sentence as the title. */
  finding(): Draft | null {
    const lines = this.text.map((l) => l.trim()).filter((l) => l !== "");
    if (lines.length === 0 || this.loc.line === undefined && this.severity === null) return null;
    let first = stripEmphasis(lines[0]!);
    let tagged: Tagged = this.severity ?? UNRATED;
    const emoji = leadingEmoji(first);
    if (emoji) {
      first = emoji.rest;
      if (!this.severity) tagged = { severity: emoji.severity };
    }
    // Under a place, even a bare or bold level ("**P1** …") is the finding's level.
    const tag = readTag(first);
    if (tag) {
      first = tag.rest;
      if (!this.severity) tagged = tag;
    }
    const text = [first, ...lines.slice(1)].join(" ").replace(/^(?:issue|bug|problem)\s*(?:\([\w -]{1,30}\))?\s*:\s*/i, "").trim();
    if (text === "") return null;
    const { title, body } = splitTitle(text);
    const d: Draft = { severity: tagged.severity, title, body: body === "" ? [] : [body], loc: { ...this.loc } };
    if (tagged.priority !== undefined) d.priority = tagged.priority;
    if (tagged.unrated) d.unrated = true;
    return d;
  }
}
