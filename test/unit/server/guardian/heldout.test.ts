// A second, independent set of requests (written after the effect corpus, to check that the fix is a principle and
// not a list): folders holding protected names at depth, moves that create `.github/actions` and `.local/bin`, odd
// spellings (`//`, `..`, trailing slashes), case and zero-width variants, a `.git` file with CRLF and spaces, a git
// config include, the workspace folder itself, unknown keys and shapes, patch and diff headers, and the ordinary
// edits that must stay allowed. Under ALLOW_WRITES (the widest the write rules go), through the real Guardian.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type * as acp from "@agentclientprotocol/sdk";
import { Guardian } from "../../../../server/guardian/judge";

let tmp = "";
after(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

test("the held-out set: 0 auto-allowed that are asked, 0 held that are allowed", async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "held-")));
  const ws = path.join(tmp, "w");
  const out = path.join(tmp, "o");
  const mk = async (rel: string, text = "x\n") => { await fs.mkdir(path.dirname(path.join(ws, rel)), { recursive: true }); await fs.writeFile(path.join(ws, rel), text); };
  await fs.mkdir(out, { recursive: true });
  await fs.writeFile(path.join(out, "victim"), "v\n");
  for (const f of ["src/m.ts", "src/n.ts", "a/b/c/.husky/pre-commit", "proj/sub/.clinerules", "deep/x/y/z.txt", "actions/setup/action.yml", "bin/tool", "plain/p.txt", "mods/.git", "realgit/hooks/post-merge", "realgit/config", "cfg/extra.gitconfig", "CaseDir/.VSCode/settings.json", "uni/.vsc\u200bode/x.json"]) await mk(f);
  await fs.writeFile(path.join(ws, "mods/.git"), "gitdir:   ../realgit  \r\n");
  await fs.mkdir(path.join(ws, ".git"), { recursive: true });
  await fs.writeFile(path.join(ws, ".git/config"), "[core]\n\tbare = false\n[include]\n\tpath = ../cfg/extra.gitconfig\n");
  await fs.link(path.join(out, "victim"), path.join(ws, "plain/victim-name"));
  await fs.symlink("deep", path.join(ws, "dl"));
  await fs.symlink("../..", path.join(ws, "deep/x/up2"));
  await fs.symlink(".", path.join(ws, "deep/selfd"));
  await fs.mkdir(path.join(ws, ".local"), { recursive: true });
  const P = (r: string) => path.join(ws, r);
  type C = { n: string; tc: Record<string, unknown>; d?: string[]; exp: "ask" | "allow" };
  const edit = (locs: string[], d: string[]) => ({ tc: { kind: "edit", title: "Edit files", locations: locs.map((l) => ({ path: l })) }, d });
  const g = (tc: Record<string, unknown>) => ({ tc: { title: "op", ...tc } });
  const cases: C[] = [
    { n: "delete deep folder holding .husky", ...g({ kind: "delete", locations: [{ path: P("a") + "/" }] }), exp: "ask" },
    { n: "delete via symlinked dir name", ...g({ kind: "delete", rawInput: { path: P("dl/x") } }), exp: "allow" },
    { n: "move proj -> elsewhere (holds .clinerules)", ...g({ kind: "move", rawInput: { source: P("proj"), destination: P("proj2") } }), exp: "ask" },
    { n: "move actions into .github (creates .github/actions)", ...g({ kind: "move", rawInput: { source: P("actions"), destination: P(".github") } }), exp: "ask" },
    { n: "move bin folder into .local (creates .local/bin)", ...g({ kind: "move", rawInput: { source: P("bin"), destination: P(".local") } }), exp: "ask" },
    { n: "move bin via //, .. spelling into .local", ...g({ kind: "move", rawInput: { source: `${ws}//src/../bin/`, destination: `${ws}/./.local/` } }), exp: "ask" },
    { n: "changes map move of folder to .github (old shape)", ...g({ kind: "edit", rawInput: { changes: { [P("actions")]: { update: { unified_diff: "", move_path: P(".github") } } } } }), exp: "ask" },
    { n: "codex-acp move of a folder into .local as bin", ...edit([P("bin")], [P(".local/bin")]), exp: "ask" },
    { n: "write via hardlink to outside victim", ...edit([P("plain/victim-name")], [P("plain/victim-name")]), exp: "ask" },
    { n: "write hook in .git-file's gitdir (CRLF, spaces)", ...edit([P("realgit/hooks/post-merge")], [P("realgit/hooks/post-merge")]), exp: "ask" },
    { n: "write git config include target", ...edit([P("cfg/extra.gitconfig")], [P("cfg/extra.gitconfig")]), exp: "ask" },
    { n: "write case-variant .VSCode", ...edit([P("CaseDir/.VSCode/settings.json")], [P("CaseDir/.VSCode/settings.json")]), exp: "ask" },
    { n: "delete folder holding zero-width .vscode", ...g({ kind: "delete", locations: [{ path: P("uni") }] }), exp: "ask" },
    { n: "delete the workspace itself", ...g({ kind: "delete", locations: [{ path: ws }] }), exp: "ask" },
    { n: "move workspace's folder away via ./", ...g({ kind: "move", rawInput: { source: `${ws}/.`, destination: out } }), exp: "ask" },
    { n: "two spellings via symlink name", ...edit([P("deep/x/y/z.txt"), P("dl/x/y/z.txt")], [P("deep/x/y/z.txt")]), exp: "ask" },
    { n: "two spellings trailing slash", ...edit([P("src/m.ts"), P("src/m.ts") + "/"], [P("src/m.ts")]), exp: "ask" },
    { n: "location with extra 'to' key", ...g({ kind: "move", locations: [{ path: P("src/m.ts"), to: P(".envrc") }], content: [{ type: "diff", path: P("src/m.ts"), newText: "x" }] }), exp: "ask" },
    { n: "move with newPath key", ...g({ kind: "move", locations: [{ path: P("src/m.ts") }], content: [{ type: "diff", path: P("src/m.ts"), newText: "" }], rawInput: { oldPath: P("src/m.ts"), new: P(".envrc") } }), exp: "ask" },
    { n: "rename with 'name' key", ...g({ kind: "move", locations: [{ path: P("src/m.ts") }], content: [{ type: "diff", path: P("src/m.ts"), newText: "" }], rawInput: { path: P("src/m.ts"), name: ".envrc" } }), exp: "ask" },
    { n: "edit cwd boolean relative path", ...g({ kind: "edit", rawInput: { file_path: "src/m.ts", cwd: true, content: "x" } }), exp: "ask" },
    { n: "read cwd null relative", ...g({ kind: "read", rawInput: { path: "src/m.ts", cwd: null } }), exp: "allow" },
    { n: "read cwd empty string", ...g({ kind: "read", rawInput: { path: "../o/victim", cwd: "" } }), exp: "ask" },
    { n: "read content is a string", ...g({ kind: "read", locations: [{ path: P("src/m.ts") }], content: "/etc/passwd" }), exp: "ask" },
    { n: "read nested paths in options", ...g({ kind: "read", locations: [{ path: P("src/m.ts") }], rawInput: { options: { also: "/etc/shadow" } } }), exp: "ask" },
    { n: "edit diff _meta oldPath outside", ...g({ kind: "edit", locations: [{ path: P("src/m.ts") }], content: [{ type: "diff", path: P("src/m.ts"), newText: "", _meta: { kind: "update", "acp.diff.gitPatch": { oldPath: path.join(out, "victim"), text: "" } } }] }), exp: "ask" },
    { n: "edit rawInput edits with nested file_path", ...g({ kind: "edit", locations: [{ path: P("src/m.ts") }], rawInput: { file_path: P("src/m.ts"), edits: [{ old_string: "a", new_string: "b", file_path: path.join(out, "victim") }] } }), exp: "ask" },
    { n: "apply_patch unknown marker", ...g({ kind: "edit", rawInput: { cwd: ws, patch: "*** Begin Patch\n*** Update File: src/m.ts\n*** Copy to: .envrc\n*** End Patch" } }), exp: "ask" },
    { n: "unified diff rename to .github/workflows", ...g({ kind: "edit", rawInput: { cwd: ws, diff: "diff --git a/src/m.ts b/ci.yml\nrename from src/m.ts\nrename to .github/workflows/ci.yml\n" } }), exp: "ask" },
    { n: "ordinary: codex multi hunk update", ...edit([P("src/m.ts")], [P("src/m.ts"), P("src/m.ts")]), exp: "allow" },
    { n: "ordinary: codex two moves", ...edit([P("src/m.ts"), P("src/n.ts")], [P("src/m2.ts"), P("src/n2.ts")]), exp: "allow" },
    { n: "ordinary: codex delete + add", ...edit([P("src/m.ts"), P("src/new.ts")], [P("src/m.ts"), P("src/new.ts")]), exp: "allow" },
    { n: "ordinary: delete of a deep folder with self-links", ...g({ kind: "delete", locations: [{ path: P("deep") }] }), exp: "allow" },
    { n: "ordinary: move file to new dir", ...g({ kind: "move", rawInput: { source: P("src/m.ts"), destination: P("lib/m.ts") } }), exp: "allow" },
    { n: "ordinary: write file via dl symlink", ...edit([P("dl/x/y/z.txt")], [P("dl/x/y/z.txt")]), exp: "allow" },
    { n: "ordinary: gemini write_file", ...g({ kind: "edit", locations: [{ path: P("src/m.ts") }], rawInput: { file_path: P("src/m.ts"), content: "hello" } }), exp: "allow" },
    { n: "ordinary: read relative with cwd", ...g({ kind: "read", rawInput: { path: "src/m.ts", cwd: ws } }), exp: "allow" },
    { n: "ordinary: search with pattern", ...g({ kind: "search", rawInput: { pattern: "foo/bar", path: P("src") } }), exp: "allow" },
  ];
  const guardian = new Guardian(ws, { allowExternalReads: false, allowWrites: true, allowCommands: false }, path.join(tmp, "home"));
  const wrong: string[] = [];
  for (const [i, c] of cases.entries()) {
    const request = { sessionId: "s", toolCall: { toolCallId: `h${i}`, status: "pending", ...c.tc }, options: [{ optionId: "allow_once", kind: "allow_once", name: "y" }, { optionId: "cancel", kind: "reject_once", name: "n" }] } as unknown as acp.RequestPermissionRequest;
    const { verdict } = await guardian.judge(request, { turnId: "t", sessionId: "s", ...(c.d ? { diffPaths: c.d } : {}), diffPreview: null });
    if (verdict.action !== c.exp) wrong.push(`${c.n}: ${verdict.action} (${verdict.reason})`);
  }
  assert.deepEqual(wrong, []);
  assert.ok(cases.length >= 38);
});
