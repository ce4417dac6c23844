// Tiny DOM helpers. Text only ever goes in through textContent: collected data is never markup.

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // Integers (row counts, on every progress message) skip Intl: its first use loads locale data (~40 ms).
  if (Number.isSafeInteger(n)) return String(n).replace(/\B(?=(\d{3})+$)/g, ",");
  const abs = Math.abs(n);
  return abs !== 0 && (abs < 0.001 || abs >= 1e9) ? n.toExponential(3) : n.toLocaleString("en-US", { maximumFractionDigits: 4 });
}
