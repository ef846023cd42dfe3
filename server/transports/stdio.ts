// MCP over stdio that no message can take down. The SDK's StdioServerTransport closes itself — and so ends the
// server — on a message over its 10 MiB buffer, and joins a large message's chunks quadratically. This one splits
// lines from a list of chunks (linear), refuses a line over its limit with a JSON-RPC error naming the limit (the
// request's id is read from the line's ends, where JSON-RPC clients put it), skips the rest of that line, and keeps
// reading. Only the end of stdin closes it.
import type { Readable, Writable } from "node:stream";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { JSONRPCMessage, RequestId } from "@modelcontextprotocol/sdk/types.js";

/** JSON-RPC's "Invalid Request". */
const INVALID_REQUEST = -32600;
/** How much of an oversized line's start and end is kept to find its id. */
const ID_WINDOW = 4096;

export class SafeStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private chunks: Buffer[] = [];
  private size = 0;
  /** While a line over the limit streams past: its first bytes and its latest bytes (to find the id). */
  private oversized: { head: Buffer; tail: Buffer; bytes: number } | null = null;
  private closed = false;

  constructor(
    private readonly maxMessageBytes: number,
    private readonly stdin: Readable = process.stdin,
    private readonly stdout: Writable = process.stdout,
  ) {}

  async start(): Promise<void> {
    this.stdin.on("data", this.onData);
    this.stdin.on("error", this.onStreamError);
    this.stdin.on("end", this.onEnd);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve) => {
      if (this.stdout.write(serializeMessage(message))) resolve();
      else this.stdout.once("drain", resolve);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stdin.off("data", this.onData);
    this.stdin.off("error", this.onStreamError);
    this.stdin.off("end", this.onEnd);
    if (this.stdin.listenerCount("data") === 0) this.stdin.pause();
    this.chunks = [];
    this.onclose?.();
  }

  private readonly onStreamError = (error: Error): void => {
    this.onerror?.(error);
  };

  private readonly onEnd = (): void => {
    void this.close();
  };

  private readonly onData = (data: Buffer | string): void => {
    let chunk = typeof data === "string" ? Buffer.from(data) : data;
    for (;;) {
      const newline = chunk.indexOf(0x0a);
      if (newline === -1) {
        this.take(chunk);
        return;
      }
      this.take(chunk.subarray(0, newline));
      this.endLine();
      chunk = chunk.subarray(newline + 1);
    }
  };

  /** Adds part of the current line; past the limit the line is only sampled (start and end), never kept. */
  private take(part: Buffer): void {
    if (part.length === 0) return;
    if (this.oversized) {
      this.oversized.bytes += part.length;
      this.oversized.tail = Buffer.concat([this.oversized.tail, part]).subarray(-ID_WINDOW);
      return;
    }
    if (this.size + part.length > this.maxMessageBytes) {
      const sofar = Buffer.concat([...this.chunks, part]);
      this.oversized = { head: sofar.subarray(0, ID_WINDOW), tail: sofar.subarray(-ID_WINDOW), bytes: sofar.length };
      this.chunks = [];
      this.size = 0;
      return;
    }
    this.chunks.push(part);
    this.size += part.length;
  }

  private endLine(): void {
    if (this.oversized) {
      const { head, tail, bytes } = this.oversized;
      this.oversized = null;
      this.refuse(head, tail, bytes);
      return;
    }
    const line = Buffer.concat(this.chunks).toString("utf8").replace(/\r$/, "");
    this.chunks = [];
    this.size = 0;
    if (line.trim() === "") return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (error) {
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    // Only the envelope is checked here: the MCP SDK's protocol layer tells requests, notifications and responses
    // apart with its schemas, and every handler parses its own params (the SDK's deserializeMessage would validate
    // the whole message, arguments included, once more first).
    if (typeof message !== "object" || message === null || Array.isArray(message) || (message as { jsonrpc?: unknown }).jsonrpc !== "2.0") {
      this.onerror?.(new Error(`not a JSON-RPC 2.0 message: ${line.slice(0, 200)}`));
      return;
    }
    this.onmessage?.(message as JSONRPCMessage);
  }

  /** A request too large to read is answered with an error (a notification or response is dropped, as it has no id). */
  private refuse(head: Buffer, tail: Buffer, bytes: number): void {
    const id = requestIdIn(tail.toString("utf8"), "last") ?? requestIdIn(head.toString("utf8"), "first");
    const limit = `${Math.round(this.maxMessageBytes / (1024 * 1024))} MiB`;
    const message = `The request is ${(bytes / (1024 * 1024)).toFixed(1)} MiB, over the ${limit} limit for one MCP message — send less (for a diff, pass paths or base and let Codex read git itself).`;
    this.onerror?.(new Error(message));
    if (id !== null) void this.send({ jsonrpc: "2.0", id, error: { code: INVALID_REQUEST, message } });
  }
}

/** The `"id"` of a JSON-RPC request, found in a fragment of its text: clients write it last (or first) at the top level. */
function requestIdIn(fragment: string, which: "first" | "last"): RequestId | null {
  const matches = [...fragment.matchAll(/"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/g)];
  const found = (which === "last" ? matches.at(-1) : matches[0])?.[1];
  if (found === undefined) return null;
  return found.startsWith('"') ? (JSON.parse(found) as string) : Number(found);
}
