// The editor's control channel, carried over the IPC pipe of a child process started by the extension:
// events out, commands in. Only the parent that spawned us can reach it, so it needs no token.
import type { CodexSession } from "../agent/session";
import { describeSource } from "../guardian/broker";
import { z } from "zod";
import { EDITOR_CLIENT, isControlCommand, type AskResponse, type ControlCommand, type ControlEvent, type TurnResult } from "./protocol";
import { inputs } from "../tools/schemas";
import { runAsk, type AskInput } from "../tools/ask";
import { outcomeResult } from "../tools/results";
import { ProgressReporter } from "../progress";


type Send = (event: ControlEvent) => void;

export function attachIpcControl(session: CodexSession, send: Send, onCommand: (handler: (message: unknown) => void) => void): void {
  session.on("control", send);
  onCommand((message) => {
    if (!isControlCommand(message)) return;
    void handle(session, message).then(
      (result) => send({ type: "response", requestId: message.requestId, ok: true, result }),
      (error: Error) => send({ type: "response", requestId: message.requestId, ok: false, error: error.message }),
    );
  });
}

async function handle(session: CodexSession, command: ControlCommand): Promise<unknown> {
  switch (command.type) {
    case "decidePermission": {
      const outcome = session.broker.decide(command.id, command.decision, "editor", command.note);
      if (!outcome.ok) throw new Error(outcome.reason);
      return { decidedBy: describeSource("editor") };
    }
    case "cancelTurn":
      return { cancelled: session.cancelCurrent() };
    case "resetSession":
      return { message: await session.reset() };
    case "getStatus":
      return session.status();
    case "ask": {
      const parsed = z.object(inputs[command.tool]).safeParse(command.args);
      if (!parsed.success) throw new Error(`Invalid arguments for ${command.tool}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
      const outcome = await runAsk(session, command.tool, parsed.data as AskInput, { client: EDITOR_CLIENT, progress: new ProgressReporter(null), firstTurn: command.tool !== "reply" });
      const shaped = outcomeResult(outcome);
      const response: AskResponse = {
        isError: shaped.isError === true,
        text: shaped.content.map((item) => (item.type === "text" ? item.text : "")).join("\n"),
        result: (shaped.structuredContent as TurnResult | undefined) ?? null,
      };
      return response;
    }
  }
}
