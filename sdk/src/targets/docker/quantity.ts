const SUFFIX: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A Kubernetes quantity (`250m`, `0.5`, `256Mi`) as a number; undefined when it is not one. */
export function parseQuantity(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const match = /^([+-]?[0-9.]+)(?:[eE]([+-]?[0-9]+))?([a-zA-Z]*)$/.exec(value.trim());
  if (!match) return undefined;
  const factor = SUFFIX[match[3] ?? ''];
  if (factor === undefined) return undefined;
  return Number(match[1]) * 10 ** Number(match[2] ?? 0) * factor;
}
