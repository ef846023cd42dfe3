// Protection reached through a symlink: `.devcontainer -> dc-conf` makes `dc-conf/devcontainer.json` the dev
// container's config. scanWorkspaceLinks walks a real temp workspace; resolvePathFacts protects what a link's
// name protects; the policy asks for such writes with every flag on, and asks when the walk is incomplete.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { RequestPermissionRequest } from "@agentclientprotocol/sdk";
import { decide, type GuardianFlags } from "../../../../server/guardian/policy";
import { resolvePathFacts } from "../../../../server/guardian/pathFacts";
import { collectRequestPaths } from "../../../../server/guardian/requestPaths";
import { scanWorkspaceLinks } from "../../../../server/guardian/workspaceLinks";

const folding = { caseInsensitive: false, unicodeInsensitive: false };
const ALL: GuardianFlags = { allowExternalReads: true, allowWrites: true, allowCommands: true };
let tmp = "";
let ws = "";

before(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "guardian-links-")));
  ws = path.join(tmp, "ws");
  for (const dir of ["dc-conf", "docs", "tools/cfg", "sub", "scripts/hooks", "gh/workflows", "node_modules/pkg", ".git", "src"]) {
    await fs.mkdir(path.join(ws, dir), { recursive: true });
  }
  await fs.writeFile(path.join(ws, "docs", "notes.md"), "notes\n");
  await fs.symlink("dc-conf", path.join(ws, ".devcontainer")); // a directory link at the root
  await fs.symlink("docs/notes.md", path.join(ws, "CLAUDE.md")); // a file link
  await fs.symlink("../tools/cfg", path.join(ws, "sub", ".vscode")); // a link in a directory that is not an ancestor
  await fs.symlink("../scripts/hooks", path.join(ws, ".git", "hooks")); // git runs scripts/hooks/*
  await fs.symlink("gh", path.join(ws, ".github")); // the protected part is below the link
  await fs.symlink("not-yet", path.join(ws, ".claude")); // dangling: a write would create not-yet/
  await fs.symlink("../../src", path.join(ws, "node_modules", "pkg", ".vscode")); // inside node_modules: not walked
  await fs.symlink(tmp, path.join(ws, "out-link")); // leads outside: writes there are asked anyway
});

after(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

async function protectedOf(relative: string): Promise<string | null> {
  const scan = await scanWorkspaceLinks(ws, { folding });
  const [fact] = await resolvePathFacts([path.join(ws, relative)], { workspace: ws, homeDir: tmp, ...folding, links: scan.links });
  assert.ok(fact?.inside);
  return fact.protectedPath;
}

describe("scanWorkspaceLinks", () => {
  test("finds the links that lead inside, not those in node_modules or leading outside", async () => {
    const scan = await scanWorkspaceLinks(ws, { folding });
    assert.equal(scan.complete, true);
    const at = scan.links.map((l) => l.at).sort();
    assert.deepEqual(at, [".claude", ".devcontainer", ".git/hooks", ".github", "CLAUDE.md", "sub/.vscode"]);
    assert.equal(scan.links.find((l) => l.at === ".devcontainer")?.target, path.join(ws, "dc-conf"));
    assert.equal(scan.links.find((l) => l.at === ".claude")?.target, path.join(ws, "not-yet"), "a dangling link leads where a write would go");
  });

  test("stops at maxEntries and says so", async () => {
    const scan = await scanWorkspaceLinks(ws, { folding, maxEntries: 3 });
    assert.equal(scan.complete, false);
  });

  test("a workspace that cannot be read is not complete", async () => {
    const scan = await scanWorkspaceLinks(path.join(tmp, "missing"), { folding });
    assert.equal(scan.complete, false);
  });
});

describe("protection through a symlink", () => {
  const table: Array<[string, string | null]> = [
    ["dc-conf/devcontainer.json", ".devcontainer/"],
    ["docs/notes.md", "CLAUDE.md"],
    ["tools/cfg/tasks.json", ".vscode/"],
    ["scripts/hooks/pre-commit", ".git/"],
    ["gh/workflows/ci.yml", ".github/workflows/"],
    ["gh/ISSUE_TEMPLATE.md", null],
    ["not-yet/settings.json", ".claude/"],
    ["src/a.ts", null], // only linked from node_modules, which is not walked
    ["docs/other.md", null],
  ];
  for (const [relative, expected] of table) {
    test(`${relative} → ${expected}`, async () => assert.equal(await protectedOf(relative), expected));
  }

  test("the policy asks for a write through a protected link with every flag on", async () => {
    const target = path.join(ws, "dc-conf", "devcontainer.json");
    const request = {
      sessionId: "s1",
      toolCall: { toolCallId: "call_1", kind: "edit", status: "pending", title: "Edit files", locations: [{ path: target }] },
      options: [
        { optionId: "allow_once", kind: "allow_once", name: "Yes, proceed" },
        { optionId: "cancel", kind: "reject_once", name: "No" },
      ],
    } as RequestPermissionRequest;
    const collected = collectRequestPaths(request, [target]);
    const scan = await scanWorkspaceLinks(ws, { folding });
    const paths = await resolvePathFacts(collected.paths, { workspace: ws, homeDir: tmp, ...folding, links: scan.links });
    const verdict = decide(request, { paths, unknownPaths: collected.unknownPaths, symlinksChecked: scan.complete }, ALL, { diffPaths: [target], sessionId: "s1" });
    assert.equal(verdict.action, "ask");
    assert.match(verdict.reason, /protected path \(\.devcontainer\/, editor or container\)/);
    // An ordinary file is allowed with ALLOW_WRITES — but not when the links could not all be checked.
    const plain = path.join(ws, "docs", "other.md");
    const plainRequest = { ...request, toolCall: { ...request.toolCall, locations: [{ path: plain }] } } as RequestPermissionRequest;
    const plainFacts = await resolvePathFacts([plain], { workspace: ws, homeDir: tmp, ...folding, links: scan.links });
    assert.equal(decide(plainRequest, { paths: plainFacts, unknownPaths: false, symlinksChecked: true, effect: { facts: [], complete: true } }, ALL, { diffPaths: [plain], sessionId: "s1" }).action, "allow");
    const unchecked = decide(plainRequest, { paths: plainFacts, unknownPaths: false, symlinksChecked: false }, ALL, { diffPaths: [plain], sessionId: "s1" });
    assert.equal(unchecked.action, "ask");
    assert.match(unchecked.reason, /symlinks could not all be checked/);
  });
});

describe("protection through a chain of symlinks", () => {
  let chain = "";
  before(async () => {
    chain = path.join(tmp, "chain");
    for (const dir of ["a", "b", "g", "h"]) await fs.mkdir(path.join(chain, dir), { recursive: true });
    await fs.writeFile(path.join(chain, "b", "t.json"), "{}\n");
    await fs.symlink("a", path.join(chain, ".vscode")); // .vscode -> a
    await fs.symlink("../b/t.json", path.join(chain, "a", "tasks.json")); // a/tasks.json -> b/t.json: .vscode/tasks.json is b/t.json
    await fs.symlink("g", path.join(chain, ".git")); // .git -> g
    await fs.symlink("../h", path.join(chain, "g", "hooks")); // g/hooks -> h: .git/hooks/* is h/*
  });

  test("a write reaching a protected name through two links is protected", async () => {
    const scan = await scanWorkspaceLinks(chain, { folding });
    for (const [relative, area] of [["b/t.json", ".vscode/"], ["h/pre-commit", ".git/"]] as const) {
      const [fact] = await resolvePathFacts([path.join(chain, relative)], { workspace: chain, homeDir: tmp, ...folding, links: scan.links });
      assert.equal(fact?.inside, true, relative);
      assert.equal(fact?.protectedPath, area, relative);
    }
  });
});
