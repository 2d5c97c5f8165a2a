import type { KubeConfig, V1Job, V1Pod } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { ANNOTATION_FILES_HASH, REASON } from '../../sdk/src/api/index.ts';
import type { AssertionTarget, UrlPolicy } from '../../sdk/src/assertions/index.ts';
import type { ObservedWorkload, Workload, WorkloadBackend, WorkloadKey } from '../../sdk/src/engine/index.ts';
import { ignoreNotFound, mergePatch } from '../../sdk/src/kubernetes/index.ts';
import { kubernetesAssertionTarget, type AssertionsVia } from './assertion-targets.ts';
import { buildConfigMap, buildJob, buildPod, buildService, configMapMatches, configMapName, serviceMatches, type PodOptions } from './child-objects.ts';
import { childConflict, isControlledBy, type ChildConflict, type ChildOwner } from './child-ownership.ts';
import { CHILD_KIND, ChildStore, type Cache, type ChildKinds, type StoredKind } from './child-store.ts';
import type { BatchApi, CoreApi } from './kube-client.ts';
import { podFilesHash, podHash } from './pod-state.ts';
import { WorkloadObserver, jobHash } from './workload-observer.ts';
import { buildClaim, claimConflict, judgeClaim, withOwnership } from './volume-claims.ts';

export interface KubernetesBackendOptions {
  core: CoreApi;
  batch: BatchApi;
  kc: KubeConfig;
  caches: { [K in StoredKind]: Cache<ChildKinds[K]> };
  logger: Logger;
  assertionsVia: AssertionsVia;
  urls: UrlPolicy;
  clusterDomain?: string;
  terminationGracePeriodSeconds?: number;
  /** The clock of the read-after-create window. */
  now?: () => Date;
}

/** How often a Resource in conflict looks again (a foreign object sends no event when it goes). */
const CONFLICT_RECHECK_MS = 30_000;
const TRANSIENT_RECHECK_MS = 2_000;

/**
 * The engine's WorkloadBackend on Kubernetes: a Workload becomes a Pod (a Job for a task), a
 * ClusterIP Service, a ConfigMap for its files and a PersistentVolumeClaim per volume. Reads
 * come from the informer caches; writes are idempotent, and only ever touch a child that is this
 * Resource's (child-ownership.ts; a retained claim is taken up by its labels). A Pod or Job is
 * replaced by deleting it and creating the new one only once the old one is gone (same name), so
 * two Pods never share a volume.
 */
export class KubernetesBackend implements WorkloadBackend {
  readonly #o: KubernetesBackendOptions;
  readonly #store: ChildStore;
  readonly #observer: WorkloadObserver;

  constructor(options: KubernetesBackendOptions) {
    this.#o = options;
    this.#store = new ChildStore({ core: options.core, batch: options.batch, caches: options.caches, logger: options.logger, ...(options.now ? { now: options.now } : {}) });
    this.#observer = new WorkloadObserver({ core: options.core, store: this.#store });
  }

  hostOf({ namespace, name }: WorkloadKey): string {
    return `${name}.${namespace}.svc.${this.#o.clusterDomain ?? 'cluster.local'}`;
  }

  async observe(workload: Workload): Promise<ObservedWorkload | undefined> {
    // A child of this name that is not this Resource's (an earlier Resource's, which garbage
    // collection is about to remove, or anyone else's): never taken for its workload, never touched.
    const conflict = await this.#conflict(workload);
    if (conflict) return conflictState(conflict);
    const observed = workload.run === 'once' ? await this.#observer.task(workload) : await this.#observer.server(workload);
    if (!observed || observed.state.reason === REASON.Terminating) return observed;
    const missing = await this.#driftedChildren(workload);
    if (missing.length) return { ...observed, state: { ready: false, reason: REASON.Missing, message: `${missing.join(' and ')} missing or changed; restoring` } };
    return observed;
  }

  async apply(workload: Workload, _observed: ObservedWorkload | undefined): Promise<void> {
    // Nothing is written while any child of this name is someone else's.
    if (await this.#conflict(workload)) return;
    const owner = ownerOf(workload);
    // The claims first: the Pod is created at once (a claim binds when its Pod is scheduled),
    // but not while a claim of that name is someone else's or still going away.
    const claims = await this.#ensureClaims(workload, owner);
    // The other children do not wait for one another (a Pod whose ConfigMap is not there yet
    // waits for it in the kubelet): one round trip per hop.
    const runner = claims ? undefined : workload.run === 'once' ? this.#ensureJob(workload, owner) : this.#ensurePod(workload, owner);
    await Promise.all([this.#ensureConfigMap(workload, owner).then(() => this.#nudgeFiles(workload, owner)), this.#ensureService(workload, owner), runner]);
  }

  assertionTarget(workload: Workload): AssertionTarget {
    const { namespace, name } = workload;
    return kubernetesAssertionTarget({ namespace, name, host: this.hostOf(workload), via: this.#o.assertionsVia, urls: this.#o.urls, kc: this.#o.kc, core: this.#o.core, pod: () => this.#store.cache('pod').get(namespace, name) });
  }

  /**
   * A child of this Resource's names that is not its own: one in the caches (labelled as
   * Clockwork's, but controlled by something else; a claim judged by its labels), or one a create
   * ran into (re-read each time: once it is gone, or is this Resource's, the conflict is over).
   */
  async #conflict(workload: Workload): Promise<ChildConflict | undefined> {
    const owner = ownerOf(workload);
    const remembered = await this.#store.conflictOf(owner);
    if (remembered) return remembered;
    const wanted: [StoredKind, string][] = [
      [workload.run === 'once' ? 'job' : 'pod', owner.name],
      ...(workload.ports.length ? [['service', owner.name] as [StoredKind, string]] : []),
      ...(workload.files.length ? [['configmap', configMapName(owner.name)] as [StoredKind, string]] : []),
    ];
    for (const [kind, name] of wanted) {
      const cached = this.#store.cache(kind).get(owner.namespace, name);
      const conflict = cached ? childConflict(CHILD_KIND[kind], cached, owner) : undefined;
      if (conflict) return conflict;
    }
    for (const volume of workload.volumes) {
      const cached = this.#store.cache('claim').get(owner.namespace, volume.claimName);
      const verdict = cached && judgeClaim(cached, workload, volume);
      if (verdict && !verdict.use) return verdict.conflict;
    }
    return undefined;
  }

  /** Makes each volume's claim, or takes up the retained one; the conflict that holds the Pod back, if any. */
  async #ensureClaims(workload: Workload, owner: ChildOwner): Promise<ChildConflict | undefined> {
    const { namespace } = workload;
    const { core } = this.#o;
    for (const volume of workload.volumes) {
      const live = await this.#store.read('claim', namespace, volume.claimName);
      if (!live) {
        const claim = buildClaim(workload, volume);
        const conflict = await this.#store.create('claim', claim, owner, () => core.createNamespacedPersistentVolumeClaim({ namespace, body: claim }), claimConflict(workload, volume));
        if (conflict) return conflict;
        continue;
      }
      const verdict = judgeClaim(live, workload, volume);
      if (!verdict.use) return verdict.conflict;
      if (verdict.ownerReferences !== 'keep') {
        this.#o.logger.info('claim ownership follows retain', { namespace, claim: volume.claimName, retain: volume.retain });
        await core.replaceNamespacedPersistentVolumeClaim({ namespace, name: volume.claimName, body: withOwnership(live, workload, verdict.ownerReferences) });
      }
    }
    return undefined;
  }

  async #ensureConfigMap(workload: Workload, owner: ChildOwner): Promise<void> {
    const { namespace, name } = workload;
    const { core } = this.#o;
    const configMap = buildConfigMap(workload);
    const live = await this.#store.read('configmap', namespace, configMapName(name));
    if (live && !isControlledBy(live, owner)) return;
    if (configMap && !live) await this.#store.create('configmap', configMap, owner, () => core.createNamespacedConfigMap({ namespace, body: configMap }));
    else if (configMap && live && !configMapMatches(live, configMap))
      await core.replaceNamespacedConfigMap({ namespace, name: configMapName(name), body: { ...configMap, metadata: { ...configMap.metadata, resourceVersion: live.metadata?.resourceVersion } } });
    else if (!configMap && live) await ignoreNotFound(core.deleteNamespacedConfigMap({ namespace, name: configMapName(name) }));
  }

  async #ensureService(workload: Workload, owner: ChildOwner): Promise<void> {
    const { namespace, name } = workload;
    const { core } = this.#o;
    const service = buildService(workload);
    const live = await this.#store.read('service', namespace, name);
    if (live && !isControlledBy(live, owner)) return;
    if (service && !live) await this.#store.create('service', service, owner, () => core.createNamespacedService({ namespace, body: service }));
    else if (service && live && !serviceMatches(live, service))
      // A replace, not a merge: keys someone added (a selector entry, a port) must go too.
      await core.replaceNamespacedService({
        namespace,
        name,
        body: { ...live, metadata: { ...live.metadata, labels: { ...live.metadata?.labels, ...service.metadata?.labels }, ownerReferences: service.metadata?.ownerReferences }, spec: { ...live.spec, ...service.spec } },
      });
    else if (!service && live) await ignoreNotFound(core.deleteNamespacedService({ namespace, name }));
  }

  async #ensurePod(workload: Workload, owner: ChildOwner): Promise<void> {
    const { namespace, name } = workload;
    const { core } = this.#o;
    if (await this.#deleteOther('job', workload, owner)) return;
    const live = await this.#store.read('pod', namespace, name);
    if (live && !isControlledBy(live, owner)) return;
    if (live && podHash(live) !== workload.hash) {
      // Replaced, not patched: most of a Pod's spec is immutable. The Pod's deletion event
      // wakes this Resource again, and the next pass creates the new Pod under the same name.
      if (!live.metadata?.deletionTimestamp) {
        this.#o.logger.info('replacing Pod: spec changed', { namespace, name, from: podHash(live), to: workload.hash });
        await ignoreNotFound(core.deleteNamespacedPod({ namespace, name, body: { preconditions: { uid: live.metadata?.uid } } }));
      }
      return;
    }
    if (!live) {
      const pod = buildPod(workload, this.#podOptions());
      await this.#store.create('pod', pod, owner, () => core.createNamespacedPod({ namespace, body: pod }));
    }
  }

  async #ensureJob(workload: Workload, owner: ChildOwner): Promise<void> {
    const { namespace, name } = workload;
    const { batch } = this.#o;
    if (await this.#deleteOther('pod', workload, owner)) return;
    const live = await this.#store.read('job', namespace, name);
    if (live && !isControlledBy(live, owner)) return;
    if (live && jobHash(live) !== workload.hash) {
      // Foreground: the Job is gone only once its Pods are, so the next one never shares a volume with them.
      if (!live.metadata?.deletionTimestamp) {
        this.#o.logger.info('replacing Job: spec changed', { namespace, name, from: jobHash(live), to: workload.hash });
        await ignoreNotFound(batch.deleteNamespacedJob({ namespace, name, body: { propagationPolicy: 'Foreground', preconditions: { uid: live.metadata?.uid } } }));
      }
      return;
    }
    if (!live) {
      const job = buildJob(workload, this.#podOptions());
      await this.#store.create('job', job, owner, () => batch.createNamespacedJob({ namespace, body: job }));
    }
  }

  /** Deletes this Resource's Pod (or Job) of the other run mode; true while one is still there. */
  async #deleteOther(kind: 'pod' | 'job', workload: Workload, owner: ChildOwner): Promise<boolean> {
    const { namespace, name } = workload;
    const live: V1Pod | V1Job | undefined = await this.#store.read(kind, namespace, name);
    if (!live || !isControlledBy(live, owner)) return false;
    if (!live.metadata?.deletionTimestamp) {
      this.#o.logger.info(`replacing ${kind === 'pod' ? 'Pod by a Job' : 'Job by a Pod'}: run mode changed`, { namespace, name });
      const body = { preconditions: { uid: live.metadata?.uid }, ...(kind === 'job' ? { propagationPolicy: 'Foreground' } : {}) };
      await ignoreNotFound(kind === 'pod' ? this.#o.core.deleteNamespacedPod({ namespace, name, body }) : this.#o.batch.deleteNamespacedJob({ namespace, name, body }));
    }
    return true;
  }

  /**
   * A server's files whose content alone changed: the ConfigMap first, then a new files-hash on
   * the Pod. The Pod update makes the kubelet sync it at once, which rewrites its configMap
   * volumes (otherwise it does so on its periodic sync, up to a minute or more later).
   */
  async #nudgeFiles(workload: Workload, owner: ChildOwner): Promise<void> {
    const { namespace, name } = workload;
    if (workload.run === 'once') return;
    const live = await this.#store.read('pod', namespace, name);
    if (!live || !isControlledBy(live, owner) || live.metadata?.deletionTimestamp || podHash(live) !== workload.hash || podFilesHash(live) === workload.filesHash) return;
    this.#o.logger.info('updating files in place', { namespace, name, to: workload.filesHash });
    await ignoreNotFound(this.#o.core.patchNamespacedPod({ namespace, name, body: { metadata: { annotations: { [ANNOTATION_FILES_HASH]: workload.filesHash } } } }, mergePatch));
  }

  #podOptions(): PodOptions {
    return this.#o.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: this.#o.terminationGracePeriodSeconds } : {};
  }

  /** Names of the Service / ConfigMap / claims that are missing or differ from what the workload says. */
  async #driftedChildren(workload: Workload): Promise<string[]> {
    const { namespace, name } = workload;
    const out: string[] = [];
    for (const volume of workload.volumes) {
      const claim = await this.#store.read('claim', namespace, volume.claimName);
      // A claim whose ownerReference does not follow `retain` (changed without a new Pod).
      const verdict = claim && judgeClaim(claim, workload, volume);
      if (!claim) out.push(`PersistentVolumeClaim ${volume.claimName}`);
      else if (verdict && verdict.use && verdict.ownerReferences !== 'keep') out.push(`the ownerReference of PersistentVolumeClaim ${volume.claimName} (retain: ${volume.retain})`);
    }
    const service = buildService(workload);
    const liveService = await this.#store.read('service', namespace, name);
    if (service && (!liveService || !serviceMatches(liveService, service))) out.push('Service');
    const configMap = buildConfigMap(workload);
    const liveConfigMap = await this.#store.read('configmap', namespace, configMapName(name));
    if (configMap && (!liveConfigMap || !configMapMatches(liveConfigMap, configMap))) out.push('ConfigMap');
    return out;
  }
}

function ownerOf(workload: Workload): ChildOwner {
  return { namespace: workload.namespace, name: workload.name, uid: workload.owner.uid };
}

/**
 * What the engine sees of a Resource whose child is someone else's: not created, never touched,
 * checked again later. A volume's claim still going away (being deleted, or an earlier namesake's
 * with `retain: false`) is a wait for the claim, not a conflict.
 */
function conflictState(conflict: ChildConflict): ObservedWorkload {
  const reason = conflict.transient && conflict.kind === 'PersistentVolumeClaim' ? REASON.ClaimPending : REASON.ChildConflict;
  return {
    hash: '',
    foreign: true,
    retryAfterMs: conflict.transient ? TRANSIENT_RECHECK_MS : CONFLICT_RECHECK_MS,
    state: { ready: false, reason, message: conflict.message, ...(conflict.transient ? {} : { failed: true, terminal: true }) },
  };
}
