import { test } from "node:test";
import assert from "node:assert/strict";
import { MAIN } from "../../../../../server/agent/sessions/sessionState";
import { place, type PlacementInput } from "../../../../../server/agent/scheduling/placement";

const base: PlacementInput = { reply: false, conversation: null, busy: new Set(), running: 0, max: 3, canFork: true };
const with_ = (over: Partial<PlacementInput>): PlacementInput => ({ ...base, ...over });

test("placement: where an ask runs", () => {
  const cases: [string, Partial<PlacementInput>, ReturnType<typeof place>][] = [
    ["a first ask takes the main session", {}, { kind: "use", key: MAIN }],
    ["the main session busy: fork", { busy: new Set([MAIN]), running: 1 }, { kind: "fork" }],
    ["main idle after another caller's ask: main (one shared workspace conversation)", { conversation: null }, { kind: "use", key: MAIN }],
    ["main is the caller's own conversation: main", { conversation: MAIN }, { kind: "use", key: MAIN }],
    ["the caller's own idle fork: stay there", { conversation: "f1" }, { kind: "use", key: "f1" }],
    ["its own fork busy (a second concurrent ask): main", { conversation: "f1", busy: new Set(["f1"]), running: 1 }, { kind: "use", key: MAIN }],
    ["turn limit reached: wait", { busy: new Set([MAIN, "f1", "f2"]), running: 3 }, { kind: "wait", on: "slot" }],
    ["the limit counts even an idle own fork", { conversation: "f1", busy: new Set([MAIN]), running: 1, max: 1 }, { kind: "wait", on: "slot" }],
    ["no forks: main when idle", { canFork: false }, { kind: "use", key: MAIN }],
    ["no forks and main busy: wait", { busy: new Set([MAIN]), running: 1, canFork: false }, { kind: "wait", on: "slot" }],
    ["reply continues its conversation", { reply: true, conversation: "f1", busy: new Set([MAIN]), running: 1 }, { kind: "use", key: "f1" }],
    ["reply continues main", { reply: true, conversation: MAIN }, { kind: "use", key: MAIN }],
    ["reply waits for its own busy conversation (never a fork of it)", { reply: true, conversation: MAIN, busy: new Set([MAIN]), running: 1 }, { kind: "wait", on: "session" }],
    ["reply without a conversation: like any ask", { reply: true }, { kind: "use", key: MAIN }],
    ["reply without a conversation while main is busy: a fork", { reply: true, busy: new Set([MAIN]), running: 1 }, { kind: "fork" }],
  ];
  for (const [name, over, expected] of cases) assert.deepEqual(place(with_(over)), expected, name);
});
