// Small text helpers every message writer uses. No runtime dependencies: the extension bundles this file.

/** Whitespace (newlines included) folded to single spaces, trimmed. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** One line of at most `max` characters, ending in "…" when cut. */
export function clip(text: string, max: number): string {
  const flat = oneLine(text);
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** 12345 → "12,345" (what toLocaleString("en-US") gives, without starting Intl). */
export function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Quotes one argument for a POSIX shell only when it needs it. */
export function posixQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Quotes one argument for the person's shell: POSIX sh, or cmd / PowerShell on Windows (double quotes). */
export function shellQuote(arg: string, platform: NodeJS.Platform): string {
  if (platform !== "win32") return posixQuote(arg);
  return /^[A-Za-z0-9_@+=:,./\\-]+$/.test(arg) ? arg : `"${arg.replace(/"/g, '""')}"`;
}
