import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { describeError, statusCode } from './api-errors.ts';

/** Where an informer says what it does (a winston logger fits; the CLI passes a silent one). */
export interface InformerLog {
  debug(message: string, meta?: object): void;
  info(message: string, meta?: object): void;
  warn(message: string, meta?: object): void;
  error(message: string, meta?: object): void;
}

/** Says nothing. */
export const SILENT_LOG: InformerLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface ListResult<T> {
  items: T[];
  metadata?: { resourceVersion?: string };
}

export interface InformerOptions<T> {
  /** For logs: `pods`, `clockworkresources`, … */
  name: string;
  list: () => Promise<ListResult<T>>;
  /** The collection path to watch, e.g. /api/v1/pods or /api/v1/namespaces/ns/pods. */
  watchPath: string;
  labelSelector?: string;
  kubeConfig: KubeConfig;
  logger: InformerLog;
  /** Injected for tests; defaults to the client library's Watch over kubeConfig. */
  watch?: Pick<Watch, 'watch'>;
  /** Injected for tests; defaults to a timer. */
  delay?: (ms: number) => Promise<void>;
  maxBackoffMs?: number;
  /** Called on every full list: `initial`, `expired` (410 Gone) or `error` (after a failed list/watch). */
  onRelist?: (reason: 'initial' | 'expired' | 'error') => void;
  /** Give up when the first list fails: `start()` rejects (a command that cannot list should say so, not wait). */
  failOnFirstList?: boolean;
  /** Called when a watch is resumed: `silent` (inactivity timeout) or `closed` (ended by the server). */
  onWatchRestart?: (reason: 'silent' | 'closed') => void;
}

export interface InformerHandlers<T> {
  onAdd?(object: T): void;
  onUpdate?(previous: T, object: T): void;
  onDelete?(object: T): void;
}

const keyOf = (o: KubernetesObject) => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * A list+watch cache. Unlike the client library's informer it never stops on its own: any
 * error restarts it (relist) after an exponential backoff; a 410 Gone relists at once; a watch
 * that stays silent is cut by the watch client's inactivity timeout and resumed from the last
 * resourceVersion, so a stalled connection cannot leave the cache silently stale.
 */
export class Informer<T extends KubernetesObject> {
  readonly name: string;
  readonly #options: InformerOptions<T>;
  readonly #delay: (ms: number) => Promise<void>;
  readonly #watch: Pick<Watch, 'watch'>;
  readonly #handlers: InformerHandlers<T>[] = [];
  #cache = new Map<string, T>();
  #resourceVersion = '';
  /** Why the next relist happens (for the log and the relist counter). */
  #relistReason: 'initial' | 'expired' | 'error' = 'initial';
  #stopped = false;
  #abort: AbortController | undefined;
  #synced = false;
  #syncedWaiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];

  constructor(options: InformerOptions<T>) {
    this.name = options.name;
    this.#options = options;
    this.#delay = options.delay ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.#watch = options.watch ?? new Watch(options.kubeConfig);
  }

  on(handlers: InformerHandlers<T>): void {
    this.#handlers.push(handlers);
  }

  get(namespace: string, name: string): T | undefined {
    return this.#cache.get(`${namespace}/${name}`);
  }

  list(namespace?: string): T[] {
    const all = [...this.#cache.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata?.namespace === namespace);
  }

  get synced(): boolean {
    return this.#synced;
  }

  /** Starts the loop; resolves once the first list has filled the cache. */
  start(): Promise<void> {
    void this.#run();
    return this.#synced ? Promise.resolve() : new Promise((resolve, reject) => this.#syncedWaiters.push({ resolve, reject }));
  }

  stop(): void {
    this.#stopped = true;
    this.#abort?.abort();
  }

  async #run(): Promise<void> {
    let backoffMs = 0;
    // Capped low: after an apiserver or etcd outage every informer must be back within seconds.
    const maxBackoffMs = this.#options.maxBackoffMs ?? 5_000;
    while (!this.#stopped) {
      try {
        if (!this.#resourceVersion) await this.#relist();
        const error = await this.#watchOnce();
        if (this.#stopped) return;
        backoffMs = 0;
        if (!this.#resourceVersion) {
          // a 410 event inside the stream: relist
          this.#relistReason = 'expired';
          continue;
        }
        if (!error) {
          // closed by the server: resume
          this.#options.onWatchRestart?.('closed');
          continue;
        }
        if (statusCode(error) === 410) {
          this.#resourceVersion = '';
          this.#relistReason = 'expired';
          continue;
        }
        if ((error as Error).name === 'TimeoutError') {
          this.#options.logger.debug('watch silent too long, resuming', { informer: this.name });
          this.#options.onWatchRestart?.('silent');
          continue;
        }
        throw error;
      } catch (error) {
        if (this.#stopped) return;
        if (!this.#synced && this.#options.failOnFirstList) {
          this.stop();
          for (const w of this.#syncedWaiters.splice(0)) w.reject(error);
          return;
        }
        backoffMs = Math.min(maxBackoffMs, backoffMs ? backoffMs * 2 : 500);
        this.#options.logger.warn('list/watch failed, restarting', { informer: this.name, error: describeError(error), retryInMs: backoffMs });
        this.#resourceVersion = '';
        this.#relistReason = 'error';
        await this.#delay(backoffMs);
      }
    }
  }

  async #relist(): Promise<void> {
    const reason = this.#relistReason;
    if (reason !== 'initial') this.#options.logger.info('relisting', { informer: this.name, reason });
    const list = await this.#options.list();
    this.#options.onRelist?.(reason);
    const next = new Map<string, T>();
    for (const item of list.items) next.set(keyOf(item), item);
    const previous = this.#cache;
    this.#cache = next;
    this.#resourceVersion = list.metadata?.resourceVersion ?? '';
    for (const [key, old] of previous) if (!next.has(key)) this.#emit((h) => h.onDelete?.(old));
    for (const [key, object] of next) {
      const old = previous.get(key);
      if (!old) this.#emit((h) => h.onAdd?.(object));
      else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) this.#emit((h) => h.onUpdate?.(old, object));
    }
    if (!this.#synced) {
      this.#synced = true;
      for (const w of this.#syncedWaiters.splice(0)) w.resolve();
    }
  }

  #watchOnce(): Promise<unknown> {
    return new Promise((resolve) => {
      const query: Record<string, string | number | boolean> = {
        resourceVersion: this.#resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: 240 + Math.floor(Math.random() * 120),
      };
      if (this.#options.labelSelector) query.labelSelector = this.#options.labelSelector;
      this.#watch
        .watch(this.#options.watchPath, query, (type: string, object: T & { code?: number }) => this.#onEvent(type, object), resolve)
        .then((abort) => {
          this.#abort = abort;
          if (this.#stopped) abort.abort();
        })
        .catch(resolve);
    });
  }

  #onEvent(type: string, object: T & { code?: number }): void {
    if (type === 'ERROR') {
      if (object.code === 410) this.#resourceVersion = '';
      this.#abort?.abort();
      return;
    }
    const rv = object.metadata?.resourceVersion;
    if (type === 'ADDED' || type === 'MODIFIED') {
      const key = keyOf(object);
      const old = this.#cache.get(key);
      this.#cache.set(key, object);
      if (!old) this.#emit((h) => h.onAdd?.(object));
      else if (old.metadata?.resourceVersion !== rv) this.#emit((h) => h.onUpdate?.(old, object));
    } else if (type === 'DELETED') {
      const key = keyOf(object);
      if (this.#cache.delete(key)) this.#emit((h) => h.onDelete?.(object));
    }
    if (rv) this.#resourceVersion = rv;
  }

  #emit(call: (h: InformerHandlers<T>) => void): void {
    for (const h of this.#handlers) {
      try {
        call(h);
      } catch (error) {
        this.#options.logger.error('informer handler failed', { informer: this.name, error: (error as Error).stack ?? String(error) });
      }
    }
  }
}
