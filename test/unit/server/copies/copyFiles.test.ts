// The pure parts of a delegate's copy: the file list from git's raw+numstat output, what needs a person's
// confirmation, and which ignored folders a copy links instead of copying.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { attentionOf, filesLine, parseChangedFiles } from "../../../../server/copies/changedFiles";
import { excludeLinks, foldersToLink } from "../../../../server/copies/linkedFolders";

const Z = "0".repeat(40);
const A = "a".repeat(40);

describe("parseChangedFiles", () => {
  test("status, counts, binary, and the flags a reviewer must see", () => {
    const tokens = [
      `:100644 100644 ${A} ${A} M`, "src/app.ts",
      `:000000 100755 ${Z} ${A} A`, "run.sh",
      `:000000 120000 ${Z} ${A} A`, "link",
      `:100644 000000 ${A} ${Z} D`, "old.txt",
      `:000000 100644 ${Z} ${A} A`, ".github/workflows/ci.yml",
      `:000000 100644 ${Z} ${A} A`, "logo.png",
      `:100644 100755 ${A} ${A} M`, "tool",
      "3\t1\tsrc/app.ts", "2\t0\trun.sh", "1\t0\tlink", "0\t4\told.txt", "5\t0\t.github/workflows/ci.yml", "-\t-\tlogo.png", "0\t0\ttool",
    ];
    const files = parseChangedFiles(tokens);
    const by = new Map(files.map((f) => [f.path, f]));
    assert.deepEqual(by.get("src/app.ts"), { path: "src/app.ts", status: "modified", added: 3, removed: 1, binary: false, protectedPath: null, symlink: false, executable: false });
    assert.equal(by.get("run.sh")!.executable, true);
    assert.equal(by.get("run.sh")!.status, "added");
    assert.equal(by.get("link")!.symlink, true);
    assert.equal(by.get("old.txt")!.status, "deleted");
    assert.equal(by.get("old.txt")!.removed, 4);
    assert.equal(by.get(".github/workflows/ci.yml")!.protectedPath, ".github/workflows/");
    assert.deepEqual([by.get("logo.png")!.binary, by.get("logo.png")!.added], [true, null]);
    assert.equal(by.get("tool")!.executable, true, "a mode change to 755 is flagged");
    assert.equal(filesLine(files), "7 files, +11 −5");
    const attention = attentionOf(files);
    assert.equal(attention.length, 4);
    assert.ok(attention.some((line) => line.startsWith(".github/workflows/ci.yml: a protected path")));
    assert.ok(attention.includes("link: becomes a symlink"));
    assert.ok(attention.includes("run.sh: becomes executable"));
  });

  test("an executable that stays executable, or a symlink that stays one, is not flagged again", () => {
    const files = parseChangedFiles([`:100755 100755 ${A} ${A} M`, "bin/x", `:120000 120000 ${A} ${A} M`, "l", "1\t1\tbin/x", "1\t1\tl"]);
    assert.deepEqual(attentionOf(files), []);
  });

  test("paths with spaces, tabs in numstat paths and unicode survive", () => {
    const files = parseChangedFiles([`:100644 100644 ${A} ${A} M`, "a dir/ü\tx.txt", "1\t2\ta dir/ü\tx.txt"]);
    assert.deepEqual([files[0]!.path, files[0]!.added, files[0]!.removed], ["a dir/ü\tx.txt", 1, 2]);
  });
});

describe("foldersToLink", () => {
  test("dependency folders at any depth; build outputs, files and odd paths are not linked", () => {
    assert.deepEqual(
      foldersToLink(["node_modules/", "packages/a/node_modules/", ".venv/", "target/", "dist/", "build/", ".env", "node_modules", "../node_modules/", "/abs/node_modules/", "x/./venv/", "vendor/"]),
      ["node_modules", "packages/a/node_modules", ".venv", "vendor"],
    );
  });

  test("links are kept out of the copy's trees by literal exclude pathspecs", () => {
    assert.deepEqual(excludeLinks(["node_modules", "a*b/venv"]), [":(exclude,literal)node_modules", ":(exclude,literal)a*b/venv"]);
  });
});
