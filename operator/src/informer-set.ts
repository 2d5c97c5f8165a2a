import type { KubernetesObject, V1ConfigMap, V1Job, V1Namespace, V1PersistentVolumeClaim, V1Pod, V1Service } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { GROUP, LABEL_COMPOSITE, LABEL_MANAGED_BY, LABEL_RESOURCE, MANAGED_BY, PLURAL_COMPOSITE, PLURAL_RESOURCE, VERSION, type ClockworkObject, type CompositeObject, type ResourceObject } from '../../sdk/src/api/index.ts';
import { Informer, StringPool, withoutManagedFields, type ListResult } from '../../sdk/src/kubernetes/index.ts';
import type { KubeClients } from './kube-client.ts';

/** Index of Resources and Composites by the Composite they are labelled into: `ns/composite`. */
export const INDEX_MEMBER_OF = 'memberOf';
/** Index of Resources and Composites by the uid of each Composite owning them. */
export const INDEX_OWNED_BY = 'ownedBy';

const memberOf = (o: ClockworkObject): string[] => {
  const parent = o.metadata.labels?.[LABEL_COMPOSITE];
  return parent === undefined ? [] : [`${o.metadata.namespace ?? 'default'}/${parent}`];
};
const ownedBy = (o: { metadata?: { ownerReferences?: { uid: string }[] } }): string[] => (o.metadata?.ownerReferences ?? []).map((r) => r.uid);

/**
 * What the operator reads of a Pod: its metadata (no managedFields), its status, and of its spec
 * only the node. A Pod's spec (containers, volumes, tolerations) is most of it and is never read
 * from the cache: the desired Pod is built from the Resource, and its spec hash is an annotation.
 * A reader that needs more of the spec adds it here.
 */
export function trimPod(pod: V1Pod): V1Pod {
  const { managedFields: _, ...metadata } = pod.metadata ?? {};
  return { apiVersion: pod.apiVersion, kind: pod.kind, metadata, spec: { containers: [], ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}) }, ...(pod.status ? { status: pod.status } : {}) } as V1Pod;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * What the operator keeps of a Resource or Composite: all but managedFields and the copy of the
 * whole object `kubectl apply` leaves in an annotation (as large as the spec; never read, never
 * copied to a Pod).
 */
export function trimClockworkObject<T extends ClockworkObject & KubernetesObject>(object: T): T {
  const { managedFields: _, ...metadata } = object.metadata;
  if (metadata.annotations?.[LAST_APPLIED] !== undefined) {
    const { [LAST_APPLIED]: __, ...annotations } = metadata.annotations;
    metadata.annotations = annotations;
  }
  return { ...object, metadata } as T;
}

/**
 * What the operator reads of a Job: its metadata, its status, and of its spec the backoffLimit.
 * The Pod template is built from the Resource and never read back (the spec hash is an annotation).
 */
export function trimJob(job: V1Job): V1Job {
  const { managedFields: _, ...metadata } = job.metadata ?? {};
  return { apiVersion: job.apiVersion, kind: job.kind, metadata, spec: { template: {}, ...(job.spec?.backoffLimit !== undefined ? { backoffLimit: job.spec.backoffLimit } : {}) }, ...(job.status ? { status: job.status } : {}) } as V1Job;
}

/** Selects the children the operator made (Pods, Jobs, Services, ConfigMaps, claims). */
export const CHILD_SELECTOR = `${LABEL_MANAGED_BY}=${MANAGED_BY},${LABEL_RESOURCE}`;

export interface InformerSet {
  resources: Informer<ResourceObject & KubernetesObject>;
  composites: Informer<CompositeObject & KubernetesObject>;
  pods: Informer<V1Pod>;
  services: Informer<V1Service>;
  configMaps: Informer<V1ConfigMap>;
  /** Every Namespace (their consent to dependents from others), when the operator watches them all. */
  namespaces?: Informer<V1Namespace>;
  claims: Informer<V1PersistentVolumeClaim>;
  jobs: Informer<V1Job>;
}

/** The informers, over one namespace or all of them. */
export interface InformerHooks {
  onRelist?: (informer: string, reason: string) => void;
  onWatchRestart?: (informer: string, reason: string) => void;
}

export function createInformers(clients: KubeClients, logger: Logger, namespace?: string, hooks: InformerHooks = {}): InformerSet {
  // One pool for the caches: Pods, Services and Resources repeat the same namespaces, names and labels.
  const strings = new StringPool();
  const kept = <T,>(trim: (o: T) => T) => (o: T) => strings.intern(trim(o));
  const { kc, core, batch, custom } = clients;
  const nsPath = namespace ? `/namespaces/${namespace}` : '';
  const common = { kubeConfig: kc, logger };
  // Each informer reports under its own name.
  const hooksFor = (name: string) => ({
    onRelist: (reason: string) => hooks.onRelist?.(name, reason),
    onWatchRestart: (reason: string) => hooks.onWatchRestart?.(name, reason),
  });
  const customList = <T,>(plural: string) => async () =>
    (namespace
      ? await custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural })
      : await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural })) as ListResult<T>;
  const labelSelector = CHILD_SELECTOR;
  const resources = new Informer<ResourceObject & KubernetesObject>({ ...common, ...hooksFor(PLURAL_RESOURCE), name: PLURAL_RESOURCE, transform: kept(trimClockworkObject), list: customList(PLURAL_RESOURCE), watchPath: `/apis/${GROUP}/${VERSION}${nsPath}/${PLURAL_RESOURCE}` });
  const composites = new Informer<CompositeObject & KubernetesObject>({ ...common, ...hooksFor(PLURAL_COMPOSITE), name: PLURAL_COMPOSITE, transform: kept(trimClockworkObject), list: customList(PLURAL_COMPOSITE), watchPath: `/apis/${GROUP}/${VERSION}${nsPath}/${PLURAL_COMPOSITE}` });
  // Members of a Composite (its label) and holders of an ownerReference, found without a scan.
  for (const informer of [resources, composites] as Informer<ClockworkObject & KubernetesObject>[]) {
    informer.addIndex(INDEX_MEMBER_OF, memberOf);
    informer.addIndex(INDEX_OWNED_BY, ownedBy);
  }
  const pods = new Informer<V1Pod>({
    ...common,
    ...hooksFor('pods'),
    name: 'pods',
    transform: kept(trimPod),
    labelSelector,
    watchPath: `/api/v1${nsPath}/pods`,
    list: async () => (namespace ? await core.listNamespacedPod({ namespace, labelSelector }) : await core.listPodForAllNamespaces({ labelSelector })) as ListResult<V1Pod>,
  });
  // A task's Pods, by the uid of the Job that runs them.
  pods.addIndex(INDEX_OWNED_BY, ownedBy);
  return {
    resources,
    composites,
    pods,
    services: new Informer<V1Service>({
      ...common,
      ...hooksFor('services'),
      name: 'services',
      transform: kept(withoutManagedFields),
      labelSelector,
      watchPath: `/api/v1${nsPath}/services`,
      list: async () => (namespace ? await core.listNamespacedService({ namespace, labelSelector }) : await core.listServiceForAllNamespaces({ labelSelector })) as ListResult<V1Service>,
    }),
    configMaps: new Informer<V1ConfigMap>({
      ...common,
      ...hooksFor('configmaps'),
      name: 'configmaps',
      transform: kept(withoutManagedFields),
      labelSelector,
      watchPath: `/api/v1${nsPath}/configmaps`,
      list: async () => (namespace ? await core.listNamespacedConfigMap({ namespace, labelSelector }) : await core.listConfigMapForAllNamespaces({ labelSelector })) as ListResult<V1ConfigMap>,
    }),
    claims: new Informer<V1PersistentVolumeClaim>({
      ...common,
      ...hooksFor('persistentvolumeclaims'),
      name: 'persistentvolumeclaims',
      transform: kept(withoutManagedFields),
      labelSelector,
      watchPath: `/api/v1${nsPath}/persistentvolumeclaims`,
      list: async () =>
        (namespace ? await core.listNamespacedPersistentVolumeClaim({ namespace, labelSelector }) : await core.listPersistentVolumeClaimForAllNamespaces({ labelSelector })) as ListResult<V1PersistentVolumeClaim>,
    }),
    jobs: new Informer<V1Job>({
      ...common,
      ...hooksFor('jobs'),
      name: 'jobs',
      transform: kept(trimJob),
      labelSelector,
      watchPath: `/apis/batch/v1${nsPath}/jobs`,
      list: async () => (namespace ? await batch.listNamespacedJob({ namespace, labelSelector }) : await batch.listJobForAllNamespaces({ labelSelector })) as ListResult<V1Job>,
    }),
    // Watching one namespace, the operator sees no other: a dependency on one is never honoured.
    ...(namespace
      ? {}
      : {
          namespaces: new Informer<V1Namespace>({
            ...common,
            ...hooksFor('namespaces'),
            name: 'namespaces',
            watchPath: '/api/v1/namespaces',
            list: async () => (await core.listNamespace()) as ListResult<V1Namespace>,
          }),
        }),
  };
}
