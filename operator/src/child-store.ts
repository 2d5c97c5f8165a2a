import type { V1ConfigMap, V1Job, V1PersistentVolumeClaim, V1Pod, V1Service } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { isConflict, isNotFound } from '../../sdk/src/kubernetes/index.ts';
import { childConflict, type ChildConflict, type ChildKind, type ChildOwner } from './child-ownership.ts';
import type { BatchApi, CoreApi } from './kube-client.ts';

/** A read-only informer cache. */
export interface Cache<T> {
  get(namespace: string, name: string): T | undefined;
  list(namespace?: string): T[];
  /** Objects by an index of the informer (`ownedBy`: a Job's Pods). */
  byIndex(index: string, value: string): T[];
}

/** The kinds of children the operator makes for a Resource, by the name the store knows them by. */
export interface ChildKinds {
  pod: V1Pod;
  service: V1Service;
  configmap: V1ConfigMap;
  claim: V1PersistentVolumeClaim;
  job: V1Job;
}
export type StoredKind = keyof ChildKinds;

/** The kind each stored kind is, as the ownership rule and its messages name it. */
export const CHILD_KIND: Record<StoredKind, ChildKind> = { pod: 'Pod', service: 'Service', configmap: 'ConfigMap', claim: 'PersistentVolumeClaim', job: 'Job' };

/** Whether a same-named live object may be used for `owner`, or the conflict it is (the ownership rule by default). */
export type Judge = (live: ChildKinds[StoredKind], owner: ChildOwner) => ChildConflict | undefined;

export interface ChildStoreOptions {
  core: CoreApi;
  batch: BatchApi;
  caches: { [K in StoredKind]: Cache<ChildKinds[K]> };
  logger: Logger;
  /** The clock of the read-after-create window. */
  now?: () => Date;
}

/** How long after creating an object a cache miss is double-checked against the API server. */
const FRESH_MS = 30_000;

interface Remembered {
  kind: StoredKind;
  conflict: ChildConflict;
  judge: Judge;
}

/**
 * The children as the informer caches hold them, with a live read right after a create (before
 * the watch has caught up), and idempotent creates: already there counts as created when it is
 * this Resource's; a same-named object of anyone else's is remembered as the Resource's conflict
 * (it is not in the caches: it lacks Clockwork's labels) until it is gone or becomes its own.
 */
export class ChildStore {
  readonly #o: ChildStoreOptions;
  readonly #created = new Map<string, number>();
  readonly #conflicts = new Map<string, Remembered>();

  constructor(options: ChildStoreOptions) {
    this.#o = options;
  }

  cache<K extends StoredKind>(kind: K): Cache<ChildKinds[K]> {
    return this.#o.caches[kind];
  }

  async read<K extends StoredKind>(kind: K, namespace: string, name: string): Promise<ChildKinds[K] | undefined> {
    const cached = this.#o.caches[kind].get(namespace, name);
    if (cached) return cached;
    const created = this.#created.get(`${kind}/${namespace}/${name}`);
    if (created === undefined || this.#nowMs() - created > FRESH_MS) return undefined;
    return this.readLive(kind, namespace, name);
  }

  /** A read from the API server, for what the caches do not hold (a foreign object of the same name). */
  async readLive<K extends StoredKind>(kind: K, namespace: string, name: string): Promise<ChildKinds[K] | undefined> {
    const { core, batch } = this.#o;
    const args = { namespace, name };
    try {
      const read = {
        pod: () => core.readNamespacedPod(args),
        service: () => core.readNamespacedService(args),
        configmap: () => core.readNamespacedConfigMap(args),
        claim: () => core.readNamespacedPersistentVolumeClaim(args),
        job: () => batch.readNamespacedJob(args),
      }[kind];
      return (await read()) as ChildKinds[K];
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Creates a child of `owner`. A 409: the object there is looked at — this Resource's (an
   * earlier pass made it) counts as created; anyone else's is the conflict returned and
   * remembered (see `conflictOf`), and is never touched.
   */
  async create<K extends StoredKind>(kind: K, object: ChildKinds[K], owner: ChildOwner, create: () => Promise<unknown>, judge?: (live: ChildKinds[K], owner: ChildOwner) => ChildConflict | undefined): Promise<ChildConflict | undefined> {
    const namespace = object.metadata?.namespace ?? owner.namespace;
    const name = object.metadata?.name ?? owner.name;
    try {
      await create();
      this.#o.logger.info(`created ${kind}`, { namespace, name });
    } catch (error) {
      if (!isConflict(error)) throw error;
      const live = await this.readLive(kind, namespace, name);
      const rule = (judge as Judge | undefined) ?? ((o: ChildKinds[StoredKind], who: ChildOwner) => childConflict(CHILD_KIND[kind], o, who));
      const conflict = live ? rule(live, owner) : undefined;
      if (conflict) {
        this.#conflicts.set(ownerKey(owner), { kind, conflict, judge: rule });
        this.#o.logger.warn("child conflict: a same-named object is not this Resource's", { namespace, name, kind: CHILD_KIND[kind], holder: conflict.holder });
        return conflict;
      }
    }
    const now = this.#nowMs();
    this.#created.set(`${kind}/${namespace}/${name}`, now);
    if (this.#created.size > 10_000) for (const [k, t] of this.#created) if (now - t > FRESH_MS) this.#created.delete(k);
    return undefined;
  }

  /** The conflict a create of `owner` ran into, re-read: over once the object is gone or is this Resource's. */
  async conflictOf(owner: ChildOwner): Promise<ChildConflict | undefined> {
    const key = ownerKey(owner);
    const remembered = this.#conflicts.get(key);
    if (!remembered) return undefined;
    const live = await this.readLive(remembered.kind, owner.namespace, remembered.conflict.name);
    const still = live ? remembered.judge(live, owner) : undefined;
    if (still) this.#conflicts.set(key, { ...remembered, conflict: still });
    else this.#conflicts.delete(key);
    return still;
  }

  #nowMs(): number {
    return (this.#o.now?.() ?? new Date()).getTime();
  }
}

const ownerKey = (owner: ChildOwner) => `${owner.namespace}/${owner.name}`;
