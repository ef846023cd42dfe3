// Markdown code fences around text written by someone else (a model, a file): the fence is longer than any backtick
// run inside, so the text cannot close it. Pure.
export function fenced(text: string, lang: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${lang}\n${text.replace(/\n$/, "")}\n${fence}`;
}
