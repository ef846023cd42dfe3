// The answer archive: a long answer kept on disk once per turn (a turn archived again after a pause rewrites its own
// file), the newest 20 only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AnswerArchive } from "../../../../../server/agent/turn/answerArchive";

test("a turn archived twice keeps one file with its latest answer; only the newest 20 files stay", () => {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "answer-archive-")), "answers");
  try {
    const archive = new AnswerArchive(dir);
    const first = archive.keep("turn-a", "the answer so far");
    const again = archive.keep("turn-a", "the answer so far, and the rest after the permission");
    assert.equal(again, first);
    assert.deepEqual(readdirSync(dir), [path.basename(first!)]);
    assert.equal(readFileSync(first!, "utf8"), "the answer so far, and the rest after the permission");
    for (let i = 0; i < 24; i++) archive.keep(`turn-${i}`, `answer ${i}`);
    assert.equal(readdirSync(dir).length, 20);
  } finally {
    rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
