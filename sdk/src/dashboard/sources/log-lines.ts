import type { LogLine } from './source.ts';

/** Cuts a stream of text into lines; a partial line waits for its end (or `flush`). */
export class LineSplitter {
  #partial = '';
  readonly #onLine: (line: string) => void;

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  push(chunk: Buffer | string): void {
    this.#partial += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
    const lines = this.#partial.split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) this.#onLine(line.replace(/\r$/, ''));
  }

  flush(): void {
    if (this.#partial) this.#onLine(this.#partial);
    this.#partial = '';
  }
}

/** A line read with timestamps (`2024-05-01T10:00:00.123456789Z text`), split into time and text. */
export function stampedLine(line: string): LogLine {
  const space = line.indexOf(' ');
  if (space > 0 && /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(line.slice(0, space))) return { at: line.slice(0, space), text: line.slice(space + 1) };
  return { text: line };
}

/** RFC 3339 times with any number of fraction digits, compared as instants (UTC only, as engines write them). */
export function isAfter(a: string, b: string): boolean {
  return normalized(a) > normalized(b);
}

function normalized(time: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(time);
  if (!m) return new Date(time).toISOString().replace('Z', '000000Z');
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0').slice(0, 9)}Z`;
}
