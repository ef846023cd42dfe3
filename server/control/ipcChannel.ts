// The editor's control channel, carried over the IPC pipe of a child process started by the extension:
// events out, commands in. Only the parent that spawned us can reach it, so it needs no token.
import type { CodexSession } from "../agent/session";
import { describeSource } from "../guardian/broker";
import { isControlCommand, type ControlCommand, type ControlEvent } from "./protocol";

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
  }
}
