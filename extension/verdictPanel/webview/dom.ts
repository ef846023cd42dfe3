/// <reference lib="dom" />
// The verdict webview's one DOM helper: an element with its class and its text (always as text, never as HTML).
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
