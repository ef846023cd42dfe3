// The permission view names what a request really asks for: a socks5 approval is "use the network (socks5/TCP to
// host)", not "run `psql`"; an MCP approval names its tool and server, also when codex-acp's request carries only
// the id of the MCP call announced before (the turn remembers the announcement); a sandbox widening says so.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import type * as acp from "@agentclientprotocol/sdk";
import { Turn } from "../../../../server/agent/turn/turn";
import { Guardian, type ToolCallContext } from "../../../../server/guardian/judge";
import { commandApproval, mcpQuestion, mcpToolApproval, mcpUrl, permissionsRequest, type Built } from "../../../fixtures/guardian/codexAcp";

const ALL = { allowExternalReads: true, allowWrites: true, allowCommands: true };
const SESSION = "root";
let tmp = "";
let ws = "";

before(async () => {
  tmp = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), "guardian-view-")));
  ws = path.join(tmp, "ws");
  await fs.mkdir(ws, { recursive: true });
});

after(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

async function judged(built: Built, extra: Partial<ToolCallContext> = {}) {
  const guardian = new Guardian(ws, ALL, path.join(tmp, "home"));
  return guardian.judge(built.request as unknown as acp.RequestPermissionRequest, {
    turnId: "turn-1",
    sessionId: SESSION,
    diffPreview: null,
    ...(built.announced ? { announced: built.announced } : {}),
    ...extra,
  });
}

describe("the permission view names the category truthfully", () => {
  const cases: Array<{ name: string; built: () => Built; category: string; summary: RegExp; reason: RegExp }> = [
    {
      name: "socks5Tcp with the command that reached for it",
      built: () => commandApproval({ threadId: SESSION, itemId: "n1", command: "/bin/bash -lc 'psql -h db.example.com'", cwd: ws, networkApprovalContext: { protocol: "socks5Tcp", host: "db.example.com" } }),
      category: "network",
      summary: /^use the network \(socks5\/TCP to db\.example\.com\) for `psql -h db\.example\.com`$/,
      reason: /^network access: socks5\/TCP to db\.example\.com$/,
    },
    {
      name: "socks5Udp without a command",
      built: () => commandApproval({ threadId: SESSION, itemId: "n2", networkApprovalContext: { protocol: "socks5Udp", host: "8.8.8.8" } }),
      category: "network",
      summary: /^use the network \(socks5\/UDP to 8\.8\.8\.8\)$/,
      reason: /socks5\/UDP to 8\.8\.8\.8/,
    },
    {
      name: "https",
      built: () => commandApproval({ threadId: SESSION, itemId: "n3", command: "curl https://x.example", cwd: ws, networkApprovalContext: { protocol: "https", host: "x.example" } }),
      category: "network",
      summary: /^use the network \(https to x\.example\) for `curl https:\/\/x\.example`$/,
      reason: /https to x\.example/,
    },
    {
      name: "MCP tool approval carrying only the announced call's id",
      built: () => mcpToolApproval({ threadId: SESSION, server: "github", tool: "create_issue", callId: "call_7", persist: ["always"] }),
      category: "mcp",
      summary: /^call MCP tool `create_issue` on server `github`$/,
      reason: /^MCP tool `create_issue` on server `github`: a call into another MCP server$/,
    },
    {
      name: "standalone MCP tool approval (names come from its message)",
      built: () => mcpToolApproval({ threadId: SESSION, server: "playwright", tool: "browser_navigate", persist: [] }),
      category: "mcp",
      summary: /^call MCP tool `browser_navigate` on server `playwright`$/,
      reason: /browser_navigate/,
    },
    {
      name: "a question from an MCP server",
      built: () => mcpQuestion({ threadId: SESSION, server: "jira", message: "Continue?", persist: [] }),
      category: "mcp",
      summary: /^relay a question from MCP server `jira`$/,
      reason: /jira/,
    },
    {
      name: "an MCP server that wants a URL opened",
      built: () => mcpUrl({ threadId: SESSION, server: "auth", url: "https://login.example/device", persist: [] }),
      category: "network",
      summary: /^use the network \(MCP server `auth` opens https:\/\/login\.example\/device\)$/,
      reason: /auth/,
    },
    {
      name: "extra writable root on a command",
      built: () => commandApproval({ threadId: SESSION, itemId: "s1", command: "make", cwd: ws, additionalPermissions: { fileSystem: { write: [path.join(ws, "build")] } } }),
      category: "sandbox",
      summary: /^widen its sandbox \(write access to 1 path — build\) for `make`$/,
      reason: /^sandbox widening: write access to 1 path$/,
    },
    {
      name: "permission profile with network",
      built: () => permissionsRequest({ threadId: SESSION, itemId: "p1", cwd: ws, permissions: { network: { enabled: true }, fileSystem: { write: [ws] } } }),
      category: "sandbox",
      summary: /^widen its sandbox \(network access, write access to 1 path — \.\)$/,
      reason: /network access, write access to 1 path/,
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const { verdict, view } = await judged(c.built());
      assert.equal(verdict.action, "ask");
      assert.equal(view.category, c.category);
      assert.match(view.summary, c.summary);
      assert.match(view.reason, c.reason);
    });
  }

  test("without the announcement an MCP approval is still MCP, and says what it does not know", async () => {
    const built = mcpToolApproval({ threadId: SESSION, server: "github", tool: "create_issue", callId: "call_8", persist: [] });
    const { verdict, view } = await judged({ ...built, announced: undefined });
    assert.equal(verdict.action, "ask");
    assert.equal(view.category, "mcp");
    assert.match(view.summary, /the request names neither server nor tool/);
  });

  test("a request from a subagent session says so", async () => {
    const built = commandApproval({ threadId: "root:subagent:child", itemId: "c", command: "ls", cwd: ws });
    const { verdict } = await judged(built);
    assert.equal(verdict.action, "ask");
    assert.match(verdict.reason, /^request from another Codex session \(root:subagent:child, e\.g\. a subagent\)/);
  });
});

test("the turn remembers how each tool call was announced, for the guardian", () => {
  const turn = new Turn({ tool: "consult", client: null, summary: "q", idleTimeoutMs: 60_000, onIdle: () => {}, sessionId: () => SESSION });
  turn.apply({
    sessionUpdate: "tool_call",
    toolCallId: "call_7",
    title: "mcp.github.create_issue",
    kind: "execute",
    status: "pending",
    rawInput: { server: "github", tool: "create_issue", arguments: {} },
    _meta: { is_mcp_tool_call: true },
  } as acp.SessionUpdate);
  assert.deepEqual(turn.announcedToolCall("call_7"), {
    title: "mcp.github.create_issue",
    kind: "execute",
    rawInput: { server: "github", tool: "create_issue", arguments: {} },
    meta: { is_mcp_tool_call: true },
  });
  assert.equal(turn.announcedToolCall("other"), undefined);
  assert.equal(turn.currentSessionId(), SESSION);
  turn.fail("agent_crashed", "done");
});
