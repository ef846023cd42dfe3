// Small, dependency-free statistics for latency samples (ms).

export interface Summary {
  n: number;
  median: number;
  p90: number;
  min: number;
  max: number;
  mean: number;
}

function sorted(xs: readonly number[]): number[] {
  return [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
}

/** Linear-interpolated quantile (q in [0, 1]) of the finite samples; NaN when there are none. */
export function quantile(xs: readonly number[], q: number): number {
  const s = sorted(xs);
  if (s.length === 0) return Number.NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export const median = (xs: readonly number[]) => quantile(xs, 0.5);
export const p90 = (xs: readonly number[]) => quantile(xs, 0.9);

export function summarize(xs: readonly number[]): Summary {
  const s = sorted(xs);
  return {
    n: s.length,
    median: median(s),
    p90: p90(s),
    min: s[0] ?? Number.NaN,
    max: s[s.length - 1] ?? Number.NaN,
    mean: s.length ? s.reduce((a, b) => a + b, 0) / s.length : Number.NaN,
  };
}

/** Per-iteration differences a[i] − b[i] (interleaved pairs), for a paired estimate of the overhead. */
export function pairedDiffs(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.min(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(a[i]!) && Number.isFinite(b[i]!)) out.push(a[i]! - b[i]!);
  return out;
}

/** ms with a sensible number of decimals. */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return "—";
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
}

export function ratio(a: number, b: number): string {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return "—";
  return `${(a / b).toFixed(2)}×`;
}

export function mb(kb: number | null | undefined): string {
  if (kb === null || kb === undefined || !Number.isFinite(kb)) return "—";
  return `${(kb / 1024).toFixed(1)} MB`;
}

export function pct(x: number): string {
  if (!Number.isFinite(x)) return "—";
  return `${x >= 0 ? "+" : ""}${x.toFixed(1)} %`;
}
