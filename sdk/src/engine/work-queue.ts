import { TerminalError } from '../api/index.ts';

/** Time, injected so that tests drive backoff without sleeping. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface WorkQueueOptions {
  clock?: Clock;
  /** First retry delay of a failing key; doubles on each failure. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Global token bucket over retries: sustained rate and burst. */
  qps?: number;
  burst?: number;
  /** Called whenever the depth changes (for metrics). */
  onDepth?: (depth: number) => void;
  /** Called with how long a key waited in the queue before a worker took it (for metrics). */
  onWait?: (ms: number) => void;
}

export type ReconcileResult = { requeueAfterMs?: number } | void;

/**
 * A controller work queue: a key is queued once however often it is added; a key being
 * processed is never handed to a second worker (an add while it runs queues it again after);
 * failures retry with per-key exponential backoff under a global rate limit.
 */
export class WorkQueue<K = string> {
  readonly #clock: Clock;
  readonly #options: Required<Omit<WorkQueueOptions, 'clock' | 'onDepth' | 'onWait'>> & Pick<WorkQueueOptions, 'onDepth' | 'onWait'>;
  readonly #queue: K[] = [];
  readonly #queued = new Set<K>();
  readonly #addedAt = new Map<K, number>();
  readonly #processing = new Set<K>();
  readonly #dirty = new Set<K>();
  readonly #failures = new Map<K, number>();
  readonly #timers = new Map<K, { at: number; handle: unknown }>();
  readonly #waiters: ((key: K | undefined) => void)[] = [];
  #tokens: number;
  #tokensAt: number;
  #shutDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#options = {
      baseDelayMs: options.baseDelayMs ?? 100,
      maxDelayMs: options.maxDelayMs ?? 60_000,
      qps: options.qps ?? 20,
      burst: options.burst ?? 200,
      onDepth: options.onDepth,
      onWait: options.onWait,
    };
    this.#tokens = this.#options.burst;
    this.#tokensAt = this.#clock.now();
  }

  get length(): number {
    return this.#queue.length;
  }

  get shuttingDown(): boolean {
    return this.#shutDown;
  }

  add(key: K): void {
    if (this.#shutDown) return;
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#addedAt.set(key, this.#clock.now());
    const waiter = this.#waiters.shift();
    if (waiter) this.#take(key, waiter);
    else {
      this.#queue.push(key);
      this.#options.onDepth?.(this.#queue.length);
    }
  }

  /** Adds the key after `ms`; an earlier pending add wins over a later one. */
  addAfter(key: K, ms: number): void {
    if (this.#shutDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.#clock.now() + ms;
    const pending = this.#timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) this.#clock.clearTimeout(pending.handle);
    const handle = this.#clock.setTimeout(() => {
      this.#timers.delete(key);
      this.add(key);
    }, ms);
    this.#timers.set(key, { at, handle });
  }

  /** Re-adds a failed key after its backoff (and the global rate limit). Returns the delay. */
  addRateLimited(key: K): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    const perKey = Math.min(this.#options.maxDelayMs, this.#options.baseDelayMs * 2 ** failures);
    const delay = Math.max(perKey, this.#bucketDelay());
    this.addAfter(key, delay);
    return delay;
  }

  /** Clears a key's backoff after it succeeded. */
  forget(key: K): void {
    this.#failures.delete(key);
  }

  failures(key: K): number {
    return this.#failures.get(key) ?? 0;
  }

  /** The next key to process; undefined once the queue is shut down. */
  get(): Promise<K | undefined> {
    if (this.#shutDown) return Promise.resolve(undefined);
    const key = this.#queue.shift();
    if (key !== undefined) {
      this.#options.onDepth?.(this.#queue.length);
      return new Promise((resolve) => this.#take(key, resolve));
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Marks a key as processed; if it was added meanwhile it is queued again. */
  done(key: K): void {
    this.#processing.delete(key);
    if (this.#dirty.delete(key)) this.add(key);
  }

  shutdown(): void {
    this.#shutDown = true;
    for (const { handle } of this.#timers.values()) this.#clock.clearTimeout(handle);
    this.#timers.clear();
    for (const waiter of this.#waiters.splice(0)) waiter(undefined);
  }

  /**
   * Runs `workers` loops that take keys and call `reconcile`; a result's requeueAfterMs re-adds
   * the key later, a throw retries it with backoff, a TerminalError is reported and not retried
   * (`retryInMs` undefined: the key comes back only when it is added again). Resolves when the
   * queue is shut down.
   */
  async run(workers: number, reconcile: (key: K) => Promise<ReconcileResult>, onError?: (key: K, error: unknown, retryInMs: number | undefined) => void): Promise<void> {
    const loop = async () => {
      for (;;) {
        const key = await this.get();
        if (key === undefined) return;
        try {
          const result = await reconcile(key);
          this.forget(key);
          if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
        } catch (error) {
          const retryInMs = error instanceof TerminalError ? undefined : this.addRateLimited(key);
          if (retryInMs === undefined) this.forget(key);
          onError?.(key, error, retryInMs);
        } finally {
          this.done(key);
        }
      }
    };
    await Promise.all(Array.from({ length: workers }, loop));
  }

  #take(key: K, deliver: (key: K) => void): void {
    this.#queued.delete(key);
    this.#processing.add(key);
    const added = this.#addedAt.get(key);
    this.#addedAt.delete(key);
    if (added !== undefined) this.#options.onWait?.(this.#clock.now() - added);
    deliver(key);
  }

  #bucketDelay(): number {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#options.burst, this.#tokens + ((now - this.#tokensAt) / 1000) * this.#options.qps);
    this.#tokensAt = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.#options.qps) * 1000;
  }
}
