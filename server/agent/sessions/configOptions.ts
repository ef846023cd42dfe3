// The agent's session config options (mode, model, reasoning effort): lookup, validation, per-call values.
import type * as acp from "@agentclientprotocol/sdk";

export type OptionKind = "mode" | "model" | "effort";

const IDS: Record<OptionKind, { ids: string[]; category: string }> = {
  mode: { ids: ["mode"], category: "mode" },
  model: { ids: ["model"], category: "model" },
  effort: { ids: ["reasoning_effort", "effort", "thought_level"], category: "thought_level" },
};

export interface PlannedChange {
  set?: { id: string; value: string };
  error?: string;
}

export class ConfigOptions {
  private options: acp.SessionConfigOption[] = [];
  /** Values the session started with: an ask without model/effort goes back to them. */
  private initial = new Map<string, string>();

  reset(options: acp.SessionConfigOption[], captureInitial = true): void {
    this.options = options;
    if (captureInitial) {
      this.initial = new Map(options.filter((o) => o.type === "select").map((o) => [o.id, String(o.currentValue)]));
    }
  }

  clear(): void {
    this.options = [];
    this.initial.clear();
  }

  find(kind: OptionKind): acp.SessionConfigOption | undefined {
    const { ids, category } = IDS[kind];
    return this.options.find((o) => ids.includes(o.id)) ?? this.options.find((o) => o.category === category);
  }

  values(option: acp.SessionConfigOption): string[] {
    if (option.type !== "select") return [];
    return option.options.flatMap((entry) => ("group" in entry ? entry.options.map((o) => o.value) : [entry.value]));
  }

  /** What to send so the session uses `value` (or its initial value when none is asked for). */
  plan(kind: "model" | "effort", value: string | undefined): PlannedChange {
    const option = this.find(kind);
    if (!option || option.type !== "select") {
      return value === undefined ? {} : { error: `This agent does not offer a ${kind} setting, so \`${kind}\` cannot be used — omit it.` };
    }
    const target = value ?? this.initial.get(option.id);
    if (target === undefined || String(option.currentValue) === target) return {};
    const valid = this.values(option);
    if (!valid.includes(target)) {
      return { error: `Unknown ${kind} "${target}" — valid values: ${valid.join(", ")}.` };
    }
    return { set: { id: option.id, value: target } };
  }
}
