// The ACP SDK's parsing drops what it cannot type: a location whose path is not a string, a diff without a
// path, an unknown tool kind. Over real stdio (a scripted agent, test/fixtures/guardian/rawAgent.mjs), the
// connection keeps each permission request's params as sent, and the guardian judges those: "one good
// location + one malformed" is asked, although the parsed view alone would be allowed as a read.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type * as acp from "@agentclientprotocol/sdk";
import { AgentConnection } from "../../../../server/agent/acp/connection";
import { Guardian } from "../../../../server/guardian/judge";
import { decide } from "../../../../server/guardian/policy";
import { rawRequestNotSeen, rawRequestOf } from "../../../../server/guardian/rawRequest";
import { hermeticEnv, isolatedHome } from "../../../fixtures/home";

const NONE = { allowExternalReads: false, allowWrites: false, allowCommands: false };
const OPTIONS = [
  { optionId: "allow_once", kind: "allow_once", name: "Yes" },
  { optionId: "cancel", kind: "reject_once", name: "No" },
];
let tmp = "";
let ws = "";

before(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "guardian-raw-")));
  ws = path.join(tmp, "ws");
  await fs.mkdir(ws, { recursive: true });
  await fs.writeFile(path.join(ws, "README.md"), "# readme\n");
});

after(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

test("malformed parts of a permission request reach the guardian although the SDK's parsed view drops them", async () => {
  const readme = path.join(ws, "README.md");
  const sent = [
    { sessionId: "s1", toolCall: { toolCallId: "c1", kind: "read", title: "Read", locations: [{ path: readme }, { path: 42 }] }, options: OPTIONS },
    { sessionId: "s1", toolCall: { toolCallId: "c2", kind: "read", title: "Read", locations: [{ path: readme }, { path: { nested: "/etc/shadow" } }, { path: null }] }, options: OPTIONS },
    { sessionId: "s1", toolCall: { toolCallId: "c3", kind: "read", title: "Read", locations: [{ path: readme }], content: [{ type: "diff", path: 7, newText: "x" }] }, options: OPTIONS },
    { sessionId: "s1", toolCall: { toolCallId: "c4", kind: "teleport", title: "Beam", locations: [{ path: readme }] }, options: OPTIONS },
  ];
  const home = isolatedHome(tmp);
  const received: acp.RequestPermissionRequest[] = [];
  let all: () => void = () => {};
  const done = new Promise<void>((resolve) => (all = resolve));
  const agent = await AgentConnection.start(
    {
      argv: [process.execPath, path.join(import.meta.dirname, "../../../fixtures/guardian/rawAgent.mjs")],
      cwd: ws,
      env: hermeticEnv(home, { RAW_AGENT_REQUESTS: JSON.stringify(sent) }),
      requestTimeoutMs: 30_000,
    },
    {
      onUpdate: () => {},
      onPermission: async (request) => {
        received.push(request);
        if (received.length === sent.length) all();
        return { outcome: { outcome: "cancelled" } };
      },
    },
  );
  try {
    await done;
  } finally {
    await agent.stop(500);
  }

  const guardian = new Guardian(ws, NONE, home.home);
  const context = { turnId: null, sessionId: "s1", diffPreview: null };
  const [twoLocations, objectAndNull, badDiff, teleport] = received;

  // What the SDK hands the handler: the malformed parts are gone.
  assert.deepEqual(twoLocations!.toolCall.locations, [{ path: readme }]);
  assert.deepEqual(objectAndNull!.toolCall.locations, [{ path: readme }]);
  assert.deepEqual(badDiff!.toolCall.content, []);
  assert.equal(teleport!.toolCall.kind, undefined);
  // Judged on that view alone, the first would be allowed as a read inside the workspace.
  const facts = { paths: [{ raw: readme, resolved: readme, inside: true, protectedPath: null }], unknownPaths: false };
  assert.equal(decide(twoLocations, facts, NONE, { sessionId: "s1" }).action, "allow");

  // What was sent is kept beside it, and judged.
  assert.deepEqual((rawRequestOf(twoLocations!).raw as { toolCall: { locations: unknown[] } }).toolCall.locations, sent[0]!.toolCall.locations);
  for (const request of [twoLocations!, objectAndNull!, badDiff!]) {
    const { verdict } = await guardian.judge(request, context);
    assert.equal(verdict.action, "ask", verdict.reason);
    assert.match(verdict.reason, /cannot be read from the request/);
  }
  const beam = await guardian.judge(teleport!, context);
  assert.equal(beam.verdict.action, "ask");
  assert.match(beam.verdict.reason, /unknown tool kind "teleport"/);
});

test("a request whose params the connection did not keep is asked: what the SDK dropped cannot be known", async () => {
  const readme = path.join(ws, "README.md");
  const guardian = new Guardian(ws, NONE, tmp);
  const context = { turnId: null, sessionId: "s1", diffPreview: null };
  const read = (): acp.RequestPermissionRequest => ({ sessionId: "s1", toolCall: { toolCallId: "r", kind: "read", title: "Read", locations: [{ path: readme }] }, options: OPTIONS as acp.PermissionOption[] });
  assert.equal((await guardian.judge(read(), context)).verdict.action, "allow", "handed over as is (no wire), a read inside is allowed");
  const unseen = read();
  rawRequestNotSeen(unseen);
  const { verdict } = await guardian.judge(unseen, context);
  assert.equal(verdict.action, "ask", verdict.reason);
});
