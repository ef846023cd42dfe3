// The permission request as the agent sent it, beside the ACP SDK's parsed view of it. The SDK's parsing is
// lenient: it drops a location whose path is not a string, a diff without a path, an unknown tool kind — so
// "one good location + one malformed" would look like one good location. The guardian judges the raw
// request; the parsed one is what the answer's options are chosen from.
const raws = new WeakMap<object, unknown>();
/** The connection saw no raw params for the request: what the SDK dropped cannot be known. */
const UNSEEN = Symbol("raw request not seen");

/** Called by the connection for each parsed request with the params it came from. */
export function rememberRawRequest(parsed: object, raw: unknown): void {
  raws.set(parsed, raw);
}

/** Called by the connection when a parsed request's params were not kept: it is judged as having unknown paths. */
export function rawRequestNotSeen(parsed: object): void {
  raws.set(parsed, UNSEEN);
}

/**
 * The raw params of a parsed request (`seen`), or the parsed request itself: unseen (`seen: false`, so the guardian
 * asks), or handed over as is by a caller that has no wire (tests, other transports).
 */
export function rawRequestOf(parsed: object): { raw: unknown; seen: boolean } {
  if (!raws.has(parsed)) return { raw: parsed, seen: true };
  const raw = raws.get(parsed);
  return raw === UNSEEN ? { raw: parsed, seen: false } : { raw, seen: true };
}
