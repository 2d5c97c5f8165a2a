/**
 * Reading what a stack's containers print, the same way on both targets: `clockwork logs`, the
 * failure tails under an apply error, `clockwork dev` and the dashboard all use this one API.
 */

/** One line a Resource's container printed, or a note about its container (exited, replaced). */
export interface LogLine {
  resource: string;
  /** The line, without its trailing newline. */
  text: string;
  /** When it was written: RFC 3339 in UTC with nanoseconds (`2026-01-02T03:04:05.000000001Z`). */
  time?: string;
  /** The container or Pod instance that wrote it; a restart or a replacement changes it. */
  instance?: string;
  /**
   * `output`: the process printed it; `event`: Clockwork's note (`container exited with code 3`);
   * `waiting`: a note that there is no container to read yet.
   */
  kind: 'output' | 'event' | 'waiting';
}

export interface LogsOptions {
  namespace: string;
  /** Resource names (a Composite expanded to its Resources by the caller). */
  resources: readonly string[];
  /** Keep reading; a restarted or replaced container is picked up. */
  follow?: boolean;
  /** Only lines written in the last N seconds. */
  sinceSeconds?: number;
  /** Only the last N lines of each Resource (before following). */
  tail?: number;
  /** The last terminated instance instead of the running one. */
  previous?: boolean;
  /** Stops a follow (and any read under way). */
  signal?: AbortSignal;
}

/** The target side: each backend reads its containers' output. */
export interface LogReader {
  /** Lines of every Resource asked for: in time order without `follow`, as they come with it. */
  read(options: LogsOptions): AsyncIterable<LogLine>;
  /** The last `lines` lines the Resource's container printed (of the last terminated run when it is not running), for failure messages. */
  failureTail(namespace: string, resource: string, lines: number): Promise<string[]>;
}

/** Clockwork's own note about a Resource's container, stamped now. */
export function logEvent(resource: string, text: string, instance?: string, kind: 'event' | 'waiting' = 'event'): LogLine {
  return { resource, text, time: new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z'), ...(instance ? { instance } : {}), kind };
}

/** How many lines of a failed Resource's output go under the error. */
export const FAILURE_TAIL_LINES = 20;

/**
 * Splits `RFC3339-time text` as both runtimes write it with timestamps on; the time is normalised
 * to nine fractional digits so that times compare as strings.
 */
export function splitTimestamp(line: string): { time?: string; text: string } {
  const space = line.indexOf(' ');
  const head = space > 0 ? line.slice(0, space) : line;
  const time = normaliseTime(head);
  if (!time) return { text: line };
  return { time, text: space > 0 ? line.slice(space + 1) : '' };
}

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** `2026-01-02T03:04:05.5Z` → `2026-01-02T03:04:05.500000000Z`; undefined when it is not a time. */
export function normaliseTime(text: string): string | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const fraction = (m[2] ?? '').padEnd(9, '0');
  if (m[3] === 'Z') return `${m[1]}.${fraction}Z`;
  const date = new Date(`${m[1]}${m[3]}`);
  if (Number.isNaN(date.getTime())) return undefined;
  return `${date.toISOString().slice(0, 19)}.${fraction}Z`;
}

/** Seconds since the epoch with nanoseconds, as Docker's `since`/`until` take them. */
export function unixSeconds(time: string): string {
  const whole = Math.floor(Date.parse(`${time.slice(0, 19)}Z`) / 1000);
  return `${whole}.${time.slice(20, 29)}`;
}

/** Turns a stream of byte chunks into lines (the last one kept until its newline comes). */
export class LineSplitter {
  #partial = '';

  push(chunk: string): string[] {
    const text = this.#partial + chunk;
    const lines = text.split('\n');
    this.#partial = lines.pop()!;
    return lines.map((l) => l.replace(/\r$/, ''));
  }

  /** What is left when the stream ends without a final newline. */
  flush(): string[] {
    const rest = this.#partial;
    this.#partial = '';
    return rest ? [rest] : [];
  }
}

/** What a target supplies to read its containers' output; `readLogs` does the rest. */
export interface LogSource {
  /** The lines a Resource's container has printed so far. */
  once(options: LogsOptions, resource: string): Promise<LogLine[]>;
  /** A Resource's lines as they come, across restarts and replacements (`changes` says when). */
  follow(options: LogsOptions, resource: string, changes: ChangeCounter): AsyncIterable<LogLine>;
  /** Starts watching the stack's containers, bumping `changes`; stopped by the returned function or the signal. */
  watch(options: LogsOptions, changes: ChangeCounter): () => void;
}

/** A `LogReader.read` for either target: every Resource in time order, or followed as they come. */
export async function* readLogs(options: LogsOptions, source: LogSource): AsyncGenerator<LogLine> {
  if (!options.follow) {
    const all = await Promise.all(options.resources.map((r) => source.once(options, r)));
    yield* inWriteOrder(all.flat());
    return;
  }
  // Breaking out of the loop over these lines stops every follower, not only the caller's.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const scoped = { ...options, signal };
  const changes = new ChangeCounter();
  const stopWatching = source.watch(scoped, changes);
  try {
    yield* mergeAsync(options.resources.map((r) => source.follow(scoped, r, changes)));
  } finally {
    stop.abort();
    stopWatching();
  }
}

/** Lines of several Resources in the order they were written (stable for equal times and events). */
export function inWriteOrder(lines: readonly LogLine[]): LogLine[] {
  return lines
    .map((line, i) => ({ line, i }))
    .sort((a, b) => {
      const ta = a.line.time ?? '';
      const tb = b.line.time ?? '';
      if (ta && tb && ta !== tb) return ta < tb ? -1 : 1;
      return a.i - b.i;
    })
    .map((x) => x.line);
}

/** The items of several async iterables as each produces them; ends when all have ended. */
export async function* mergeAsync<T>(sources: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = sources.map((s) => s[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const next = (index: number) => pending.set(index, iterators[index]!.next().then((result) => ({ index, result })));
  iterators.forEach((_, i) => next(i));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      next(index);
      yield result.value;
    }
  } finally {
    // The consumer stopped early (or one source threw): end the others too. A source busy
    // waiting ends when its caller's signal aborts; this does not wait for it.
    for (const it of iterators) void it.return?.(undefined)?.catch(() => undefined);
  }
}

/**
 * Counts "something happened to this Resource's workload" (a container started, a Pod changed)
 * so that a follower can wait for the next change after a given point without missing one that
 * came in between.
 */
export class ChangeCounter {
  readonly #counts = new Map<string, number>();
  /** Changes of every Resource at once (a watch that restarted may have missed some). */
  #all = 0;
  readonly #waiters = new Set<{ resource: string; after: number; resolve: () => void }>();

  current(resource: string): number {
    return (this.#counts.get(resource) ?? 0) + this.#all;
  }

  /** A change of `resource`, or of every Resource when undefined. */
  bump(resource?: string): void {
    if (resource === undefined) this.#all++;
    else this.#counts.set(resource, (this.#counts.get(resource) ?? 0) + 1);
    for (const waiter of [...this.#waiters]) if (this.current(waiter.resource) > waiter.after) waiter.resolve();
  }

  /** Resolves once `resource` changed after `after` (a value of `current`), or when `signal` aborts. */
  changed(resource: string, after: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.current(resource) > after || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        resource,
        after,
        resolve: () => {
          this.#waiters.delete(waiter);
          signal?.removeEventListener('abort', waiter.resolve);
          resolve();
        },
      };
      signal?.addEventListener('abort', waiter.resolve, { once: true });
      this.#waiters.add(waiter);
    });
  }
}
