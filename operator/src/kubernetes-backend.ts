import type { CoreApi } from './kube-client.ts';
import type { KubeConfig, V1ConfigMap, V1Pod, V1Service } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { ANNOTATION_FILES_HASH, REASON } from '../../sdk/src/api/index.ts';
import type { AssertionTarget, UrlPolicy } from '../../sdk/src/assertions/index.ts';
import type { ObservedWorkload, Workload, WorkloadBackend, WorkloadKey } from '../../sdk/src/engine/index.ts';
import { kubernetesAssertionTarget, type AssertionsVia } from './assertion-targets.ts';
import { buildConfigMap, buildPod, buildService, configMapMatches, configMapName, serviceMatches } from './child-objects.ts';
import { ignoreNotFound, isConflict, isNotFound, mergePatch } from '../../sdk/src/kubernetes/index.ts';
import { observePod, podFilesHash, podHash } from './pod-state.ts';
import { childConflict, isControlledBy, type ChildConflict, type ChildKind, type ChildOwner } from './child-ownership.ts';

interface Cache<T> {
  get(namespace: string, name: string): T | undefined;
}

export interface KubernetesBackendOptions {
  core: CoreApi;
  kc: KubeConfig;
  pods: Cache<V1Pod>;
  services: Cache<V1Service>;
  configMaps: Cache<V1ConfigMap>;
  logger: Logger;
  assertionsVia: AssertionsVia;
  urls: UrlPolicy;
  clusterDomain?: string;
  terminationGracePeriodSeconds?: number;
  /** The clock of the read-after-create window. */
  now?: () => Date;
}

/** How long after creating an object a cache miss is double-checked against the API server. */
const FRESH_MS = 30_000;
/** How often a Resource in conflict looks again (a foreign object sends no event when it goes). */
const CONFLICT_RECHECK_MS = 30_000;
const TRANSIENT_RECHECK_MS = 2_000;

/**
 * The engine's WorkloadBackend on Kubernetes: a Workload becomes a Pod, a ClusterIP Service and
 * a ConfigMap for its files. Reads come from the informer caches (with a live read right after
 * a create, before the watch has caught up); writes are idempotent.
 */
export class KubernetesBackend implements WorkloadBackend {
  readonly #o: KubernetesBackendOptions;
  readonly #created = new Map<string, number>();
  /** Children found in the way by a create (not in the caches: they lack Clockwork's labels), by Resource. */
  readonly #conflicts = new Map<string, ChildConflict>();

  constructor(options: KubernetesBackendOptions) {
    this.#o = options;
  }

  hostOf({ namespace, name }: WorkloadKey): string {
    return `${name}.${namespace}.svc.${this.#o.clusterDomain ?? 'cluster.local'}`;
  }

  async observe(workload: Workload): Promise<ObservedWorkload | undefined> {
    const { namespace, name } = workload;
    // A child of this name that is not this Resource's (an earlier Resource's, which garbage
    // collection is about to remove, or anyone else's): never taken for its workload, never touched.
    const conflict = await this.#conflict(workload);
    if (conflict) return conflictState(conflict);
    const pod = await this.#read('pod', namespace, name);
    if (!pod) return undefined;
    const observed = observePod(pod);
    if (pod.metadata?.deletionTimestamp) return observed;
    const missing = await this.#driftedChildren(workload);
    if (missing.length) return { ...observed, state: { ready: false, reason: REASON.Missing, message: `${missing.join(' and ')} missing or changed; restoring` } };
    return observed;
  }

  async apply(workload: Workload, _observed: ObservedWorkload | undefined): Promise<void> {
    const { namespace, name } = workload;
    const { core } = this.#o;
    // Nothing is written while any child of this name is someone else's.
    if (await this.#conflict(workload)) return;
    const owner = ownerOf(workload);
    // The three children do not wait for one another (a Pod whose ConfigMap is not there yet
    // waits for it in the kubelet): one round trip per hop instead of three.
    const ensureConfigMap = async () => {
      const configMap = buildConfigMap(workload);
      const liveConfigMap = await this.#read('configmap', namespace, configMapName(name));
      if (liveConfigMap && !isControlledBy(liveConfigMap, owner)) return;
      if (configMap && !liveConfigMap) await this.#create('configmap', configMap, owner, () => core.createNamespacedConfigMap({ namespace, body: configMap }));
      else if (configMap && liveConfigMap && !configMapMatches(liveConfigMap, configMap))
        await core.replaceNamespacedConfigMap({ namespace, name: configMapName(name), body: { ...configMap, metadata: { ...configMap.metadata, resourceVersion: liveConfigMap.metadata?.resourceVersion } } });
      else if (!configMap && liveConfigMap) await ignoreNotFound(core.deleteNamespacedConfigMap({ namespace, name: configMapName(name) }));
    };
    const ensureService = async () => {
      const service = buildService(workload);
      const liveService = await this.#read('service', namespace, name);
      if (liveService && !isControlledBy(liveService, owner)) return;
      if (service && !liveService) await this.#create('service', service, owner, () => core.createNamespacedService({ namespace, body: service }));
      else if (service && liveService && !serviceMatches(liveService, service))
        // A replace, not a merge: keys someone added (a selector entry, a port) must go too.
        await core.replaceNamespacedService({
          namespace,
          name,
          body: { ...liveService, metadata: { ...liveService.metadata, labels: { ...liveService.metadata?.labels, ...service.metadata?.labels }, ownerReferences: service.metadata?.ownerReferences }, spec: { ...liveService.spec, ...service.spec } },
        });
      else if (!service && liveService) await ignoreNotFound(core.deleteNamespacedService({ namespace, name }));
    };
    const ensurePod = async () => {
      const livePod = await this.#read('pod', namespace, name);
      if (livePod && !isControlledBy(livePod, owner)) return;
      if (livePod && podHash(livePod) !== workload.hash) {
        // Replaced, not patched: most of a Pod's spec is immutable. The Pod's deletion event
        // wakes this Resource again, and the next pass creates the new Pod under the same name.
        if (!livePod.metadata?.deletionTimestamp) {
          this.#o.logger.info('replacing Pod: spec changed', { namespace, name, from: podHash(livePod), to: workload.hash });
          await ignoreNotFound(core.deleteNamespacedPod({ namespace, name, body: { preconditions: { uid: livePod.metadata?.uid } } }));
        }
        return;
      }
      if (!livePod) {
        const pod = buildPod(workload, this.#o.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: this.#o.terminationGracePeriodSeconds } : {});
        await this.#create('pod', pod, owner, () => core.createNamespacedPod({ namespace, body: pod }));
      }
    };
    // Files whose content alone changed: the ConfigMap first, then a new files-hash on the Pod.
    // The Pod update makes the kubelet sync it at once, which rewrites its configMap volumes
    // (otherwise it does so on its periodic sync, up to a minute or more later).
    const nudgeFiles = async () => {
      const livePod = await this.#read('pod', namespace, name);
      if (!livePod || !isControlledBy(livePod, owner) || livePod.metadata?.deletionTimestamp || podHash(livePod) !== workload.hash || podFilesHash(livePod) === workload.filesHash) return;
      this.#o.logger.info('updating files in place', { namespace, name, to: workload.filesHash });
      await ignoreNotFound(core.patchNamespacedPod({ namespace, name, body: { metadata: { annotations: { [ANNOTATION_FILES_HASH]: workload.filesHash } } } }, mergePatch));
    };
    await Promise.all([ensureConfigMap().then(nudgeFiles), ensureService(), ensurePod()]);
  }

  assertionTarget(workload: Workload): AssertionTarget {
    const { namespace, name } = workload;
    return kubernetesAssertionTarget({ namespace, name, host: this.hostOf(workload), via: this.#o.assertionsVia, urls: this.#o.urls, kc: this.#o.kc, core: this.#o.core, pod: () => this.#o.pods.get(namespace, name) });
  }

  /**
   * A child of this Resource's name that is not its own: one in the caches (labelled as
   * Clockwork's, but controlled by something else), or one a create ran into (re-read each time:
   * once it is gone, or is this Resource's, the conflict is over).
   */
  async #conflict(workload: Workload): Promise<ChildConflict | undefined> {
    const owner = ownerOf(workload);
    const key = `${owner.namespace}/${owner.name}`;
    const remembered = this.#conflicts.get(key);
    const rememberedKind = remembered && KIND_OF[remembered.kind];
    if (remembered && rememberedKind) {
      const live = await this.#live(rememberedKind, owner.namespace, remembered.name);
      const still = live ? childConflict(remembered.kind, live, owner) : undefined;
      if (still) {
        this.#conflicts.set(key, still);
        return still;
      }
      this.#conflicts.delete(key);
    }
    const wanted: [ChildKind, keyof Kinds, string][] = [
      ['Pod', 'pod', owner.name],
      ...(workload.ports.length ? [['Service', 'service', owner.name] as [ChildKind, keyof Kinds, string]] : []),
      ...(workload.files.length ? [['ConfigMap', 'configmap', configMapName(owner.name)] as [ChildKind, keyof Kinds, string]] : []),
    ];
    for (const [kind, cacheKind, name] of wanted) {
      const cached = this.#cache(cacheKind).get(owner.namespace, name);
      const conflict = cached ? childConflict(kind, cached, owner) : undefined;
      if (conflict) return conflict;
    }
    return undefined;
  }

  /** Names of the Service / ConfigMap that are missing or differ from what the workload says. */
  async #driftedChildren(workload: Workload): Promise<string[]> {
    const { namespace, name } = workload;
    const out: string[] = [];
    const service = buildService(workload);
    const liveService = await this.#read('service', namespace, name);
    if (service && (!liveService || !serviceMatches(liveService, service))) out.push('Service');
    const configMap = buildConfigMap(workload);
    const liveConfigMap = await this.#read('configmap', namespace, configMapName(name));
    if (configMap && (!liveConfigMap || !configMapMatches(liveConfigMap, configMap))) out.push('ConfigMap');
    return out;
  }

  #cache<K extends keyof Kinds>(kind: K): Cache<Kinds[K]> {
    return { pod: this.#o.pods, service: this.#o.services, configmap: this.#o.configMaps }[kind] as Cache<Kinds[K]>;
  }

  #nowMs(): number {
    return (this.#o.now?.() ?? new Date()).getTime();
  }

  async #read<K extends keyof Kinds>(kind: K, namespace: string, name: string): Promise<Kinds[K] | undefined> {
    const cached = this.#cache(kind).get(namespace, name);
    if (cached) return cached;
    const key = `${kind}/${namespace}/${name}`;
    const created = this.#created.get(key);
    if (created === undefined || this.#nowMs() - created > FRESH_MS) return undefined;
    return this.#live(kind, namespace, name);
  }

  /** The object as the API server has it now, or undefined. */
  async #live<K extends keyof Kinds>(kind: K, namespace: string, name: string): Promise<Kinds[K] | undefined> {
    const { core } = this.#o;
    try {
      if (kind === 'pod') return (await core.readNamespacedPod({ namespace, name })) as Kinds[K];
      if (kind === 'service') return (await core.readNamespacedService({ namespace, name })) as Kinds[K];
      return (await core.readNamespacedConfigMap({ namespace, name })) as Kinds[K];
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async #create(kind: keyof Kinds, object: { metadata?: { namespace?: string; name?: string } }, owner: ChildOwner, create: () => Promise<unknown>): Promise<void> {
    const namespace = object.metadata?.namespace ?? owner.namespace;
    const name = object.metadata?.name ?? owner.name;
    const key = `${kind}/${namespace}/${name}`;
    try {
      await create();
      this.#o.logger.info(`created ${kind}`, { namespace, name });
    } catch (error) {
      if (!isConflict(error)) throw error;
      // Already there: created by an earlier pass (or a crashed earlier process), or someone
      // else's object of the same name, which is never touched and is reported instead.
      const live = await this.#live(kind, namespace, name);
      const conflict = live ? childConflict(CHILD_KIND[kind], live, owner) : undefined;
      if (conflict) {
        this.#conflicts.set(`${owner.namespace}/${owner.name}`, conflict);
        this.#o.logger.warn("child conflict: a same-named object is not this Resource's", { namespace, name, kind: CHILD_KIND[kind], holder: conflict.holder });
        return;
      }
    }
    const now = this.#nowMs();
    this.#created.set(key, now);
    if (this.#created.size > 10_000) for (const [k, t] of this.#created) if (now - t > FRESH_MS) this.#created.delete(k);
  }
}

interface Kinds {
  pod: V1Pod;
  service: V1Service;
  configmap: V1ConfigMap;
}

const CHILD_KIND: Record<keyof Kinds, ChildKind> = { pod: 'Pod', service: 'Service', configmap: 'ConfigMap' };
const KIND_OF: Partial<Record<ChildKind, keyof Kinds>> = { Pod: 'pod', Service: 'service', ConfigMap: 'configmap' };

function ownerOf(workload: Workload): ChildOwner {
  return { namespace: workload.namespace, name: workload.name, uid: workload.owner.uid };
}

/** What the engine sees of a Resource whose child is someone else's: not created, never touched, checked again later. */
function conflictState(conflict: ChildConflict): ObservedWorkload {
  return {
    hash: '',
    foreign: true,
    retryAfterMs: conflict.transient ? TRANSIENT_RECHECK_MS : CONFLICT_RECHECK_MS,
    state: { ready: false, reason: REASON.ChildConflict, message: conflict.message, ...(conflict.transient ? {} : { failed: true, terminal: true }) },
  };
}
