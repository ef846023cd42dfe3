import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { findNativeCodex } from "../../../../../server/agent/acp/nativeCodex";

const files = (links: Record<string, string>, existing: string[]) => ({
  realpath: (p: string) => links[p] ?? (existing.includes(p) ? p : null),
  isFile: (p: string) => existing.includes(p),
});

test("finds the hoisted native codex next to a project-local codex-acp", () => {
  const entry = "/proj/node_modules/@agentclientprotocol/codex-acp/dist/index.js";
  const native = "/proj/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex";
  const facts = files({ "/proj/node_modules/.bin/codex-acp": entry }, [entry, native]);
  assert.equal(findNativeCodex(["/proj/node_modules/.bin/codex-acp"], "linux", "x64", facts), native);
  assert.equal(findNativeCodex(["/usr/bin/node", entry], "linux", "x64", facts), native);
});

test("prefers codex-acp's own nested copy; knows each platform's triple", () => {
  const entry = "/g/lib/node_modules/@agentclientprotocol/codex-acp/dist/index.js";
  const nested = "/g/lib/node_modules/@agentclientprotocol/codex-acp/node_modules/@openai/codex-darwin-arm64/vendor/aarch64-apple-darwin/bin/codex";
  assert.equal(findNativeCodex([entry], "darwin", "arm64", files({}, [entry, nested])), nested);
});

test("null for other agents, unknown platforms and missing binaries", () => {
  const entry = "/proj/node_modules/@agentclientprotocol/codex-acp/dist/index.js";
  assert.equal(findNativeCodex(["/usr/bin/other-agent"], "linux", "x64", files({}, ["/usr/bin/other-agent"])), null);
  assert.equal(findNativeCodex([entry], "aix", "ppc64", files({}, [entry])), null);
  assert.equal(findNativeCodex([entry], "linux", "x64", files({}, [entry])), null);
});

test("the real install in this repository resolves", (t) => {
  const entry = path.resolve(__dirname, "../../../../../node_modules/@agentclientprotocol/codex-acp/dist/index.js");
  if (process.platform !== "linux" || process.arch !== "x64") return t.skip("checked on linux-x64 only");
  assert.match(findNativeCodex([process.execPath, entry], process.platform, process.arch) ?? "", /codex-linux-x64\/vendor\/x86_64-unknown-linux-musl\/bin\/codex$/);
});
