import type { KubernetesObject } from '@kubernetes/client-node';

/** A secondary index: the values an object is filed under (e.g. `ns/composite` for a member). */
export type IndexFunction<T> = (object: T) => readonly string[];

const keyOf = (o: KubernetesObject): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/**
 * resourceVersion as a number, for "is this copy newer than that one". Kubernetes calls it
 * opaque, but on one API server it is etcd's revision, an increasing integer; kube-scheduler's
 * assume cache compares it the same way. Undefined when it is not one.
 */
export function revisionOf(object: KubernetesObject | undefined): number | undefined {
  const rv = object?.metadata?.resourceVersion;
  if (!rv || !/^\d+$/.test(rv)) return undefined;
  return Number(rv);
}

/**
 * The objects of one kind by `namespace/name`, with a per-namespace index and named secondary
 * indexes kept up to date on every change, so that a lookup costs what it returns, not the
 * size of the cache (client-go's Indexer).
 */
export class ObjectStore<T extends KubernetesObject> {
  readonly #objects = new Map<string, T>();
  readonly #byNamespace = new Map<string, Map<string, T>>();
  readonly #indexers = new Map<string, IndexFunction<T>>();
  readonly #indexes = new Map<string, Map<string, Map<string, T>>>();

  get size(): number {
    return this.#objects.size;
  }

  /** Adds a named index; objects already stored are filed too. */
  addIndex(name: string, fn: IndexFunction<T>): void {
    this.#indexers.set(name, fn);
    this.#indexes.set(name, new Map());
    for (const [key, object] of this.#objects) this.#file(name, fn, key, object);
  }

  get(namespace: string, name: string): T | undefined {
    return this.#objects.get(`${namespace}/${name}`);
  }

  getByKey(key: string): T | undefined {
    return this.#objects.get(key);
  }

  /** Every object, or those of one namespace. */
  list(namespace?: string): T[] {
    if (namespace === undefined) return [...this.#objects.values()];
    return [...(this.#byNamespace.get(namespace)?.values() ?? [])];
  }

  /** The objects filed under `value` by the index `name`. */
  byIndex(name: string, value: string): T[] {
    const index = this.#indexes.get(name);
    if (!index) throw new Error(`no index "${name}"`);
    return [...(index.get(value)?.values() ?? [])];
  }

  keys(): IterableIterator<string> {
    return this.#objects.keys();
  }

  entries(): IterableIterator<[string, T]> {
    return this.#objects.entries();
  }

  /** Stores `object` in place of what was there; returns what was there. */
  set(object: T): T | undefined {
    const key = keyOf(object);
    const old = this.#objects.get(key);
    if (old) this.#unfile(key, old);
    this.#objects.set(key, object);
    const namespace = object.metadata?.namespace ?? '';
    let inNamespace = this.#byNamespace.get(namespace);
    if (!inNamespace) this.#byNamespace.set(namespace, (inNamespace = new Map()));
    inNamespace.set(key, object);
    for (const [name, fn] of this.#indexers) this.#file(name, fn, key, object);
    return old;
  }

  /** Removes the object stored under the key of `object`; returns what was there. */
  delete(object: KubernetesObject): T | undefined {
    const key = keyOf(object);
    const old = this.#objects.get(key);
    if (!old) return undefined;
    this.#unfile(key, old);
    this.#objects.delete(key);
    return old;
  }

  #file(name: string, fn: IndexFunction<T>, key: string, object: T): void {
    const index = this.#indexes.get(name)!;
    for (const value of fn(object)) {
      let bucket = index.get(value);
      if (!bucket) index.set(value, (bucket = new Map()));
      bucket.set(key, object);
    }
  }

  #unfile(key: string, old: T): void {
    const namespace = old.metadata?.namespace ?? '';
    const inNamespace = this.#byNamespace.get(namespace);
    inNamespace?.delete(key);
    if (inNamespace?.size === 0) this.#byNamespace.delete(namespace);
    for (const [name, fn] of this.#indexers) {
      const index = this.#indexes.get(name)!;
      for (const value of fn(old)) {
        const bucket = index.get(value);
        bucket?.delete(key);
        if (bucket?.size === 0) index.delete(value);
      }
    }
  }
}

export { keyOf as objectKey };
