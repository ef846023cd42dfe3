// The agent's stdio as the ACP SDK's message stream, straight on the Node pipes: newline-delimited JSON in, one
// `write` per message out. It replaces Readable.toWeb → ndJsonStream → a TransformStream tap, three stream stages per
// incoming message (a long answer is tens of thousands of them), with one `data` handler. Same rules as the SDK's
// ndJsonStream: blank lines skipped, a line that is not JSON answered with a parse error, a batch or a non-object
// refused, a line over the size limit fails the stream (the connection then ends, and with it the agent).
import type { Readable, Writable } from "node:stream";
import type * as acp from "@agentclientprotocol/sdk/unstable";

/** The SDK's own default: no ACP message comes near it. */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

export function ndJsonWire(stdin: Writable, stdout: Readable, onMessage: (message: acp.AnyMessage) => void = () => {}, maxMessageBytes = MAX_MESSAGE_BYTES): acp.Stream {
  let closed = false;
  const send = (message: unknown): Promise<void> => {
    if (closed || stdin.destroyed) return Promise.reject(new Error("the agent's stdin is closed"));
    // Resolved at once unless the pipe is full: a caller waits only for backpressure, never for each write's callback.
    if (stdin.write(`${JSON.stringify(message)}\n`)) return Promise.resolve();
    return new Promise((resolve) => stdin.once("drain", resolve));
  };
  const refuse = (code: number, message: string) => void send({ jsonrpc: "2.0", id: null, error: { code, message } }).catch(() => undefined);
  const readable = new ReadableStream<acp.AnyMessage>({
    start(controller) {
      let pending = "";
      const line = (text: string) => {
        const trimmed = text.trim();
        if (!trimmed) return;
        let message: unknown;
        try {
          message = JSON.parse(trimmed);
        } catch {
          return refuse(-32700, "Parse error");
        }
        if (Array.isArray(message)) return refuse(-32600, "JSON-RPC batches are not supported");
        if (typeof message !== "object" || message === null) return refuse(-32600, "Invalid Request");
        onMessage(message as acp.AnyMessage);
        controller.enqueue(message as acp.AnyMessage);
      };
      stdout.setEncoding("utf8");
      stdout.on("data", (chunk: string) => {
        if (closed) return;
        let start = 0;
        for (let newline = chunk.indexOf("\n"); newline >= 0; newline = chunk.indexOf("\n", start)) {
          const text = pending ? pending + chunk.slice(start, newline) : chunk.slice(start, newline);
          pending = "";
          start = newline + 1;
          line(text);
        }
        if (start < chunk.length) pending += chunk.slice(start);
        // Characters, not bytes: a bound that holds for any encoding (a UTF-8 character is at least one byte).
        if (pending.length > maxMessageBytes) {
          closed = true;
          pending = "";
          controller.error(new Error(`Incoming ACP data exceeds the configured ${maxMessageBytes} byte limit`));
          stdout.destroy();
        }
      });
      stdout.once("end", () => {
        if (closed) return;
        closed = true;
        if (pending) line(pending);
        controller.close();
      });
      stdout.once("error", (error) => {
        if (closed) return;
        closed = true;
        controller.error(error);
      });
    },
    cancel() {
      closed = true;
      stdout.destroy();
    },
  });
  const writable = new WritableStream<acp.AnyMessage>({ write: (message) => send(message) });
  return { readable, writable };
}
