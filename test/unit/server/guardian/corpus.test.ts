// The README's promise, checked on a corpus of codex-acp 2.6 request shapes across all 8 flag combinations:
// no request it says is asked is auto-allowed, no request it says is allowed is held — and whatever the
// decision, the option chosen for it never outlives the session. Runs the real Guardian (collect → walk the
// workspace's symlinks → resolve on disk → decide → view) on a temp workspace whose name has a precomposed "é"
// and whose decomposed twin exists beside it.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type * as acp from "@agentclientprotocol/sdk";
import { Guardian } from "../../../../server/guardian/judge";
import { chooseOption } from "../../../../server/guardian/options";
import { corpus, FLAG_COMBINATIONS, promised, type CorpusCase } from "../../../fixtures/guardian/corpus";

const SESSION = "019a-root-thread";
let tmp = "";
let cases: CorpusCase[] = [];
let ws = "";

before(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "guardian-corpus-")));
  ws = path.join(tmp, "proj-caf\u00e9");
  const twin = path.join(tmp, "proj-cafe\u0301");
  const out = path.join(tmp, "outside");
  const home = path.join(tmp, "home");
  for (const dir of [path.join(ws, "src"), path.join(ws, "docs"), path.join(ws, "dc-conf"), twin, out, home]) await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(ws, "README.md"), "# readme\n");
  await fs.writeFile(path.join(ws, "src", "a.ts"), "export {};\n");
  await fs.writeFile(path.join(twin, "README.md"), "# the twin\n");
  await fs.symlink("dc-conf", path.join(ws, ".devcontainer"));
  cases = corpus({ ws, twin, out, home, session: SESSION });
});

after(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

const label = (flags: (typeof FLAG_COMBINATIONS)[number]) =>
  Object.entries(flags)
    .filter(([, on]) => on)
    .map(([name]) => name)
    .join("+") || "no flags";

describe("the README's promise on codex-acp 2.6 shapes", () => {
  test("the corpus covers every kind of approval codex-acp sends", () => {
    assert.ok(cases.length >= 45, String(cases.length));
    const kinds = new Set(cases.map((c) => String(c.built.request.toolCall["kind"])));
    for (const kind of ["execute", "edit", "other", "fetch", "switch_mode", "read", "search"]) assert.ok(kinds.has(kind), kind);
  });

  for (const flags of FLAG_COMBINATIONS) {
    test(`0 auto-allowed that are asked, 0 held that are allowed: ${label(flags)}`, async () => {
      const guardian = new Guardian(ws, flags, path.join(tmp, "home"));
      const wrong: string[] = [];
      for (const c of cases) {
        const { verdict, view } = await guardian.judge(c.built.request as unknown as acp.RequestPermissionRequest, {
          turnId: "turn-1",
          sessionId: SESSION,
          ...(c.built.diffPaths ? { diffPaths: c.built.diffPaths } : {}),
          diffPreview: null,
          ...(c.built.announced ? { announced: c.built.announced } : {}),
        });
        const expected = promised(c.promise, flags);
        if (verdict.action !== expected) wrong.push(`${c.name}: ${verdict.action}, promised ${expected} (${verdict.reason})`);
        if (verdict.category !== c.category) wrong.push(`${c.name}: category ${verdict.category}, should be ${c.category}`);
        assert.equal(view.category, verdict.category);
        assert.ok(view.reason.length > 0 && !view.reason.includes("\n"), c.name);
      }
      assert.deepEqual(wrong, []);
    });
  }

  test("no decision ever picks an option that outlives the session", () => {
    const picked: string[] = [];
    for (const c of cases) {
      for (const decision of ["allow", "allow_session", "deny"] as const) {
        const chosen = chooseOption(c.built.request.options as acp.PermissionOption[], decision);
        if (chosen && c.built.lasting.includes(chosen.optionId)) picked.push(`${c.name}: ${decision} → ${chosen.optionId}`);
      }
    }
    assert.deepEqual(picked, []);
  });

  test("allow_session takes the session-scoped option when there is one, else allows once and says why", () => {
    for (const c of cases) {
      const options = c.built.request.options as acp.PermissionOption[];
      const chosen = chooseOption(options, "allow_session");
      const session = options.find((o) => o.kind === "allow_always" && !c.built.lasting.includes(o.optionId));
      if (session) assert.deepEqual(chosen, { optionId: session.optionId }, c.name);
      else {
        assert.equal(options.find((o) => o.optionId === chosen?.optionId)?.kind, "allow_once", c.name);
        assert.match(chosen?.note ?? "", /allowed once/, c.name);
      }
    }
  });
});
