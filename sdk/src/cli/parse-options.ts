import { UsageError } from '../api/index.ts';

/** `--tail N`: a whole number of lines. */
export function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`expected a whole number of lines, got "${value}"`);
  return n;
}

/** `--port`: 0 to 65535. */
export function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`expected a port number (0-65535), got "${value}"`);
  return n;
}

/** `--timeout`, `--interval`: a positive whole number of seconds. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`expected a positive whole number of seconds, got "${value}"`);
  return n;
}

/** `--since 30s | 10m | 1h30m` (or plain seconds), in seconds. */
export function parseDuration(value: string): number {
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
  if (/^\d+$/.test(value)) return Number(value);
  const parts = [...value.matchAll(/(\d+)([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) throw new UsageError(`expected a duration such as 30s, 10m or 1h30m, got "${value}"`);
  return parts.reduce((total, p) => total + Number(p[1]) * units[p[2]!]!, 0);
}
