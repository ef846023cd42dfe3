// The permission request as the agent sent it, beside the ACP SDK's parsed view of it. The SDK's parsing is
// lenient: it drops a location whose path is not a string, a diff without a path, an unknown tool kind — so
// "one good location + one malformed" would look like one good location. The guardian judges the raw
// request; the parsed one is what the answer's options are chosen from.
const raws = new WeakMap<object, unknown>();

/** Called by the connection for each parsed request with the params it came from. */
export function rememberRawRequest(parsed: object, raw: unknown): void {
  raws.set(parsed, raw);
}

/** The raw params of a parsed request, or the parsed request itself when the raw ones are unknown (tests, other transports). */
export function rawRequestOf(parsed: object): unknown {
  return raws.has(parsed) ? raws.get(parsed) : parsed;
}
