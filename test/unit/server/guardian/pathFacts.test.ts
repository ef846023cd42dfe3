// resolvePathFacts on a real temp tree: symlinks in and out, dangling links, `..`, `~`, URIs, Unicode.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { resolvePathFacts, workspaceRoot, type ResolveOptions } from "../../../../server/guardian/pathFacts";

let tmp = "";
let ws = "";
let home = "";
let out = "";

before(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "guardian-paths-")));
  ws = path.join(tmp, "ws");
  home = path.join(tmp, "home");
  out = path.join(tmp, "outside");
  await fs.mkdir(path.join(ws, "src"), { recursive: true });
  await fs.mkdir(path.join(ws, ".git", "hooks"), { recursive: true });
  await fs.mkdir(path.join(ws, "config", "vscode"), { recursive: true });
  await fs.writeFile(path.join(ws, "src", "a.ts"), "");
  await fs.mkdir(path.join(out, "deep", "sub"), { recursive: true });
  await fs.writeFile(path.join(out, "secret.txt"), "");
  await fs.mkdir(home, { recursive: true });
  await fs.mkdir(`${ws}-other`, { recursive: true });
  await fs.mkdir(path.join(tmp, "caf\u00e9", "src"), { recursive: true }); // NFC on disk
  await fs.symlink(out, path.join(ws, "link-out")); // escapes
  await fs.symlink("src", path.join(ws, "link-in")); // relative, stays inside
  await fs.symlink(path.join(out, "deep", "sub"), path.join(ws, "link-deep"));
  await fs.symlink(path.join(out, "not-there.txt"), path.join(ws, "dangling-out"));
  await fs.symlink("src/new.ts", path.join(ws, "dangling-in"));
  await fs.symlink("loop-b", path.join(ws, "loop-a"));
  await fs.symlink("loop-a", path.join(ws, "loop-b"));
  await fs.symlink(".git", path.join(ws, "git-alias"));
  await fs.symlink("config/vscode", path.join(ws, ".vscode")); // the editor still reads .vscode/
  await fs.symlink(ws, path.join(tmp, "ws-link")); // the workspace reached through a link
});

after(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

function opts(extra: Partial<ResolveOptions> = {}): ResolveOptions {
  return { workspace: ws, homeDir: home, caseInsensitive: false, ...extra };
}

async function one(raw: string, extra: Partial<ResolveOptions> = {}) {
  const [fact] = await resolvePathFacts([raw], opts(extra));
  assert.ok(fact);
  assert.equal(fact.raw, raw);
  return fact;
}

describe("resolvePathFacts", () => {
  const table: Array<{ name: string; raw: () => string; inside: boolean; resolved?: () => string; protectedPath?: string | null; extra?: () => Partial<ResolveOptions> }> = [
    { name: "absolute inside", raw: () => path.join(ws, "src/a.ts"), inside: true, resolved: () => path.join(ws, "src/a.ts") },
    { name: "relative to the workspace", raw: () => "src/a.ts", inside: true, resolved: () => path.join(ws, "src/a.ts") },
    { name: "relative to cwd inside", raw: () => "a.ts", inside: true, resolved: () => path.join(ws, "src/a.ts"), extra: () => ({ cwd: path.join(ws, "src") }) },
    { name: "relative to cwd outside", raw: () => "a.ts", inside: false, resolved: () => path.join(out, "a.ts"), extra: () => ({ cwd: out }) },
    { name: "relative cwd is taken against the workspace", raw: () => "a.ts", inside: true, resolved: () => path.join(ws, "src/a.ts"), extra: () => ({ cwd: "src" }) },
    { name: "the workspace root", raw: () => ws, inside: true, resolved: () => ws },
    { name: "the workspace root with a trailing slash", raw: () => `${ws}/`, inside: true, resolved: () => ws },
    { name: "the workspace root as '.'", raw: () => ".", inside: true, resolved: () => ws },
    { name: "a sibling sharing the prefix", raw: () => `${ws}-other/x`, inside: false },
    { name: "the parent", raw: () => "..", inside: false, resolved: () => tmp },
    { name: ".. escaping", raw: () => "src/../../outside/secret.txt", inside: false, resolved: () => path.join(out, "secret.txt") },
    { name: ".. coming back", raw: () => "../ws/src/a.ts", inside: true },
    { name: "many .. stop at /", raw: () => "../../../../../../../../../../etc/passwd", inside: false, resolved: () => "/etc/passwd" },
    { name: "double slashes and dots", raw: () => `${ws}//src/./a.ts`, inside: true, resolved: () => path.join(ws, "src/a.ts") },
    { name: "symlink out", raw: () => "link-out/secret.txt", inside: false, resolved: () => path.join(out, "secret.txt") },
    { name: "non-existing file under a symlink out", raw: () => "link-out/new/dir/file.txt", inside: false, resolved: () => path.join(out, "new/dir/file.txt") },
    { name: "symlink in (relative target)", raw: () => "link-in/a.ts", inside: true, resolved: () => path.join(ws, "src/a.ts") },
    { name: "non-existing file under a symlink in resolves through it", raw: () => "link-in/x/y.ts", inside: true, resolved: () => path.join(ws, "src/x/y.ts") },
    { name: "link/.. goes where the OS goes, not where strings go", raw: () => "link-deep/../secret.txt", inside: false, resolved: () => path.join(out, "deep/secret.txt") },
    { name: "dangling symlink pointing outside", raw: () => "dangling-out", inside: false, resolved: () => path.join(out, "not-there.txt") },
    { name: "dangling symlink pointing inside", raw: () => "dangling-in", inside: true, resolved: () => path.join(ws, "src/new.ts") },
    { name: "symlink loop is unresolvable", raw: () => "loop-a/x", inside: false, resolved: () => "" },
    { name: "~", raw: () => "~", inside: false, resolved: () => home },
    { name: "~/x", raw: () => "~/.bashrc", inside: false, resolved: () => path.join(home, ".bashrc") },
    { name: "~user is unresolvable", raw: () => "~root/.bashrc", inside: false, resolved: () => "" },
    { name: "a file named ~x inside is still not guessed", raw: () => "./~x", inside: true },
    { name: "file:// URI inside", raw: () => `file://${ws}/src/a.ts`, inside: true, resolved: () => path.join(ws, "src/a.ts") },
    { name: "file:// URI with escapes", raw: () => `file://${ws}/src/a%2Ets`, inside: true, resolved: () => path.join(ws, "src/a.ts") },
    { name: "file:// URI outside", raw: () => "file:///etc/passwd", inside: false, resolved: () => "/etc/passwd" },
    { name: "file:// URI on another host", raw: () => "file://evil.example/etc/passwd", inside: false, resolved: () => "" },
    { name: "https URL", raw: () => "https://example.com/a", inside: false, resolved: () => "" },
    { name: "empty string", raw: () => "", inside: false, resolved: () => "" },
    { name: "NUL byte", raw: () => `${ws}/a\0b`, inside: false, resolved: () => "" },
    { name: "workspace reached through a symlink", raw: () => path.join(tmp, "ws-link", "src/a.ts"), inside: true, resolved: () => path.join(ws, "src/a.ts") },
    { name: "protected .git/hooks", raw: () => ".git/hooks/pre-commit", inside: true, protectedPath: ".git/" },
    { name: "protected through an alias symlink", raw: () => "git-alias/hooks/pre-commit", inside: true, protectedPath: ".git/", resolved: () => path.join(ws, ".git/hooks/pre-commit") },
    { name: "protected by the written name when .vscode is a symlink", raw: () => ".vscode/tasks.json", inside: true, protectedPath: ".vscode/", resolved: () => path.join(ws, "config/vscode/tasks.json") },
    { name: "not protected", raw: () => "src/a.ts", inside: true, protectedPath: null },
    { name: "outside is never protected-in-workspace", raw: () => path.join(out, ".git/config"), inside: false, protectedPath: null },
  ];
  for (const c of table) {
    test(c.name, async () => {
      const fact = await one(c.raw(), c.extra?.() ?? {});
      assert.equal(fact.inside, c.inside, JSON.stringify(fact));
      if (c.resolved) assert.equal(fact.resolved, c.resolved());
      if (c.protectedPath !== undefined) assert.equal(fact.protectedPath, c.protectedPath);
    });
  }

  test("Unicode twins: different folders where the file system keeps them apart (Linux), one where it normalises (macOS)", async () => {
    const nfcWs = path.join(tmp, "caf\u00e9");
    const twin = path.join(tmp, "cafe\u0301");
    await fs.mkdir(path.join(twin, "src"), { recursive: true }); // a real, different folder on ext4 / tmpfs
    const inTwin = path.join(twin, "src", "x.ts");
    const [exact] = await resolvePathFacts([inTwin], opts({ workspace: nfcWs, unicodeInsensitive: false }));
    assert.equal(exact?.inside, false, "the NFD twin is outside an NFC workspace");
    assert.equal(exact?.resolved, inTwin, "and is shown with its real spelling");
    assert.notEqual(exact?.resolved, exact?.resolved.normalize("NFC"));
    // The other way round: an NFD workspace, its NFC twin named.
    const nfdWs = path.join(tmp, "d-cafe\u0301");
    await fs.mkdir(nfdWs, { recursive: true });
    const [back] = await resolvePathFacts([path.join(tmp, "d-caf\u00e9", "x.ts")], opts({ workspace: nfdWs, unicodeInsensitive: false }));
    assert.equal(back?.inside, false);
    // Where the file system treats canonically equal names as one (APFS, HFS+), they are one place.
    const [folded] = await resolvePathFacts([path.join(tmp, "cafe\u0301", "new", "y.ts")], opts({ workspace: nfcWs, unicodeInsensitive: true }));
    assert.equal(folded?.inside, true);
    // A protected name in NFD under an NFC workspace still matches when the system folds.
    const [gitTwin] = await resolvePathFacts([path.join(nfcWs, ".git", "hooks", "x")], opts({ workspace: path.join(tmp, "cafe\u0301"), unicodeInsensitive: true }));
    assert.equal(gitTwin?.protectedPath, ".git/");
  });

  test("the platform decides the folding by default: exact on Linux", async () => {
    if (process.platform !== "linux") return;
    const [fact] = await resolvePathFacts([path.join(tmp, "cafe\u0301", "src", "x.ts")], { workspace: path.join(tmp, "caf\u00e9"), homeDir: home });
    assert.equal(fact?.inside, false);
  });

  test("a Cyrillic look-alike of the workspace is outside", async () => {
    const lookalike = path.join(tmp, "caf\u00e9".replace("a", "\u0430"), "src", "x.ts");
    const [fact] = await resolvePathFacts([lookalike], opts({ workspace: path.join(tmp, "caf\u00e9") }));
    assert.equal(fact?.inside, false);
  });

  test("case: folded only when caseInsensitive", async () => {
    const upper = path.join(tmp, "WS", "src", "a.ts");
    assert.equal((await one(upper, { caseInsensitive: true })).inside, true);
    assert.equal((await one(upper, { caseInsensitive: false })).inside, false);
    assert.equal((await one(".GIT/hooks/x", { caseInsensitive: true })).protectedPath, ".git/");
  });

  test("keeps order and length, including duplicates", async () => {
    const raws = ["src/a.ts", "/etc/passwd", "src/a.ts", "https://x"];
    const facts = await resolvePathFacts(raws, opts());
    assert.deepEqual(facts.map((f) => f.raw), raws);
    assert.deepEqual(facts.map((f) => f.inside), [true, false, true, false]);
  });

  test("never throws: odd input", async () => {
    const facts = await resolvePathFacts([42 as unknown as string, null as unknown as string], opts());
    assert.deepEqual(facts.map((f) => f.inside), [false, false]);
    assert.deepEqual(await resolvePathFacts(undefined as unknown as string[], opts()), []);
  });

  test("a workspace that does not exist has nothing inside", async () => {
    const missing = path.join(tmp, "no-such-ws");
    const [fact] = await resolvePathFacts([path.join(missing, "a")], opts({ workspace: missing }));
    assert.equal(fact?.inside, false);
    await assert.rejects(workspaceRoot(missing));
  });

  test("an unresolvable cwd makes relative paths unresolvable", async () => {
    const fact = await one("a.ts", { cwd: "~nobody/x" });
    assert.equal(fact.inside, false);
    assert.equal(fact.resolved, "");
  });

  test("~ without a usable home directory is unresolvable", async () => {
    for (const raw of ["~", "~/x"]) {
      const fact = await one(raw, { homeDir: "" });
      assert.equal(fact.inside, false);
      assert.equal(fact.resolved, "");
    }
  });

  test("workspaceRoot is the real path", async () => {
    assert.equal(await workspaceRoot(path.join(tmp, "ws-link")), ws);
    assert.equal(await workspaceRoot(`${ws}/`), ws);
  });
});
