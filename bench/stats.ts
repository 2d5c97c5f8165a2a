// Small statistics helpers: medians and nearest-rank percentiles (robust on few, noisy samples).

export function sorted(xs: readonly number[]): number[] {
  return [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
}

/** Nearest-rank percentile (p in 0..100); NaN for no samples. */
export function percentile(xs: readonly number[], p: number): number {
  const s = sorted(xs);
  if (s.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]!;
}

export function median(xs: readonly number[]): number {
  const s = sorted(xs);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const p99 = (xs: readonly number[]): number => percentile(xs, 99);
export const min = (xs: readonly number[]): number => sorted(xs)[0] ?? Number.NaN;
export const max = (xs: readonly number[]): number => sorted(xs).at(-1) ?? Number.NaN;

/** Rounds to `digits` decimals (NaN stays NaN, becomes null in JSON). */
export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
