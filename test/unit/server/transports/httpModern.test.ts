// Which sessionless HTTP messages are modern, and the caller key they are served under (server/transports/httpModern.ts,
// ADR 0074): the key is the bearer token plus the client's declared name and version, nothing per instance.
import { test } from "node:test";
import assert from "node:assert/strict";
import { callerKey, isModernHttpMessage } from "../../../../server/transports/httpModern";

const meta = (name: string, version: string) => ({
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name, version },
});
const call = (_meta: Record<string, unknown>, id: number = 1) => ({ jsonrpc: "2.0" as const, id, method: "tools/call", params: { name: "consult", _meta } });

test("a sessionless message is modern when the request names 2026-07-28 or it comes under that protocol header", () => {
  assert.ok(isModernHttpMessage(call(meta("claude-code", "2.1.332")), undefined));
  assert.ok(isModernHttpMessage({ jsonrpc: "2.0", id: "d", method: "server/discover" }, undefined));
  assert.ok(isModernHttpMessage({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 1 } }, "2026-07-28"));
  assert.ok(!isModernHttpMessage({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-11-25" } }, undefined), "a legacy initialize");
  assert.ok(!isModernHttpMessage(call({ progressToken: 1 }), "2025-11-25"), "a legacy request");
  assert.ok(!isModernHttpMessage([call(meta("claude-code", "2.1.332"))], "2026-07-28"), "a batch is never modern");
  assert.ok(!isModernHttpMessage("text", "2026-07-28"));
});

test("the caller key: same token and client name/version share it whatever the request id; another token or client does not", () => {
  const key = callerKey("tok", call(meta("claude-code", "2.1.332"), 1));
  assert.equal(callerKey("tok", call(meta("claude-code", "2.1.332"), 7)), key);
  assert.notEqual(callerKey("other", call(meta("claude-code", "2.1.332"))), key);
  assert.notEqual(callerKey("tok", call(meta("claude-code", "2.1.333"))), key);
  assert.notEqual(callerKey("tok", call(meta("cursor", "2.1.332"))), key);
  // No clientInfo: one anonymous caller per token, and a crafted name cannot collide with the separator.
  assert.equal(callerKey("tok", call({})), callerKey("tok", call({ "io.modelcontextprotocol/clientInfo": "nonsense" })));
  assert.notEqual(callerKey("tok", call(meta('a","b', "1"))), callerKey("tok", call(meta("a", 'b","1'))));
});
