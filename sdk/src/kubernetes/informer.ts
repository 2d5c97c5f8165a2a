import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
// The watch module alone: the package's index loads every generated API model.
import { Watch } from '@kubernetes/client-node/dist/watch.js';
import { describeError, statusCode } from './api-errors.ts';
import { ObjectStore, objectKey, revisionOf, type IndexFunction } from './object-store.ts';

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
  /**
   * What the cache keeps of each object (list items, watch events, the operator's own writes):
   * by default everything but `metadata.managedFields`, which no reader here needs and which is
   * more than half of a Pod.
   */
  transform?: (object: T) => T;
}

export interface InformerHandlers<T> {
  onAdd?(object: T): void;
  onUpdate?(previous: T, object: T): void;
  onDelete?(object: T): void;
}

/** The object without `metadata.managedFields` (a copy of metadata only when there were some). */
export function withoutManagedFields<T extends KubernetesObject>(object: T): T {
  if (!object.metadata?.managedFields) return object;
  const { managedFields: _, ...metadata } = object.metadata;
  return { ...object, metadata };
}

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
  readonly #cache = new ObjectStore<T>();
  readonly #transform: (object: T) => T;
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
    this.#transform = options.transform ?? withoutManagedFields;
  }

  /** Files objects under the values `fn` gives, for `byIndex(name, value)`. */
  addIndex(name: string, fn: IndexFunction<T>): void {
    this.#cache.addIndex(name, fn);
  }

  byIndex(name: string, value: string): T[] {
    return this.#cache.byIndex(name, value);
  }

  /**
   * Puts an object this process just wrote (the API server's answer) into the cache, as its
   * watch event will, so that what reads the cache next sees the write at once. Only a newer
   * copy replaces the cached one: an answer that arrives after the watch brought someone
   * else's later write never hides that write. Handlers are told as for a watch event; the
   * event itself, when it comes, changes nothing.
   */
  upsert(object: T): boolean {
    const cached = this.#cache.get(object.metadata?.namespace ?? '', object.metadata?.name ?? '');
    const mine = revisionOf(object);
    const theirs = revisionOf(cached);
    if (mine === undefined || !this.#synced) return false;
    if (cached && (theirs === undefined || theirs >= mine)) return false;
    const stored = this.#transform(object);
    this.#cache.set(stored);
    if (!cached) this.#emit((h) => h.onAdd?.(stored));
    else this.#emit((h) => h.onUpdate?.(cached, stored));
    return true;
  }

  on(handlers: InformerHandlers<T>): void {
    this.#handlers.push(handlers);
  }

  get(namespace: string, name: string): T | undefined {
    return this.#cache.get(namespace, name);
  }

  /** Every cached object, or those of one namespace (through the namespace index). */
  list(namespace?: string): T[] {
    return this.#cache.list(namespace);
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
    for (const item of list.items) next.set(objectKey(item), this.#transform(item));
    this.#resourceVersion = list.metadata?.resourceVersion ?? '';
    for (const [key, old] of [...this.#cache.entries()]) {
      if (next.has(key)) continue;
      this.#cache.delete(old);
      this.#emit((h) => h.onDelete?.(old));
    }
    for (const object of next.values()) {
      const old = this.#cache.set(object);
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


  #onEvent(type: string, event: T & { code?: number }): void {
    if (type === 'ERROR') {
      if (event.code === 410) this.#resourceVersion = '';
      this.#abort?.abort();
      return;
    }
    const rv = event.metadata?.resourceVersion;
    if (type === 'ADDED' || type === 'MODIFIED') {
      const old = this.#cache.getByKey(objectKey(event));
      // Older than the copy this process put there from its own write's answer: already seen.
      const stale = old !== undefined && (revisionOf(old) ?? 0) > (revisionOf(event) ?? Infinity);
      if (!stale && old?.metadata?.resourceVersion !== rv) {
        const object = this.#transform(event);
        this.#cache.set(object);
        if (!old) this.#emit((h) => h.onAdd?.(object));
        else this.#emit((h) => h.onUpdate?.(old, object));
      }
    } else if (type === 'DELETED') {
      const old = this.#cache.delete(event);
      if (old) this.#emit((h) => h.onDelete?.(this.#transform(event)));
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
