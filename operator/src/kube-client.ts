import type { BatchV1Api, CoordinationV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { KubeJson, type Query } from '../../sdk/src/kubernetes/index.ts';

/** Field manager name for everything the operator writes. */
export const FIELD_MANAGER = 'clockwork-operator';

/** The calls the operator makes, shaped as the client library's generated APIs (add one here to use it). */
export type CoreApi = Pick<
  CoreV1Api,
  | 'createNamespacedPod'
  | 'readNamespacedPod'
  | 'patchNamespacedPod'
  | 'deleteNamespacedPod'
  | 'listNamespacedPod'
  | 'listPodForAllNamespaces'
  | 'readNamespacedPodLog'
  | 'createNamespacedService'
  | 'readNamespacedService'
  | 'replaceNamespacedService'
  | 'deleteNamespacedService'
  | 'listNamespacedService'
  | 'listServiceForAllNamespaces'
  | 'createNamespacedConfigMap'
  | 'readNamespacedConfigMap'
  | 'replaceNamespacedConfigMap'
  | 'deleteNamespacedConfigMap'
  | 'listNamespacedConfigMap'
  | 'listConfigMapForAllNamespaces'
  | 'createNamespacedPersistentVolumeClaim'
  | 'readNamespacedPersistentVolumeClaim'
  | 'replaceNamespacedPersistentVolumeClaim'
  | 'deleteNamespacedPersistentVolumeClaim'
  | 'listNamespacedPersistentVolumeClaim'
  | 'listPersistentVolumeClaimForAllNamespaces'
  | 'createNamespacedEvent'
  | 'listNamespacedEvent'
  | 'listNamespace'
>;
export type CustomApi = Pick<CustomObjectsApi, 'listNamespacedCustomObject' | 'listClusterCustomObject' | 'patchNamespacedCustomObjectStatus' | 'patchNamespacedCustomObject' | 'deleteNamespacedCustomObject'> & {
  /**
   * Server-side apply of the fields in `body` as `fieldManager`: set once, merged with other
   * writers' list entries, no resourceVersion to conflict on. An apply declares every field its
   * manager owns (those it leaves out are removed): one manager per purpose.
   */
  applyNamespacedCustomObject(param: { group: string; version: string; namespace: string; plural: string; name: string; body: object; fieldManager: string }): Promise<KubernetesObject>;
};
export type BatchApi = Pick<BatchV1Api, 'createNamespacedJob' | 'readNamespacedJob' | 'deleteNamespacedJob' | 'listNamespacedJob' | 'listJobForAllNamespaces'>;
export type CoordinationApi = Pick<CoordinationV1Api, 'readNamespacedLease' | 'createNamespacedLease' | 'replaceNamespacedLease'>;

/** The API clients the operator uses, made once. */
export interface KubeClients {
  kc: KubeConfig;
  json: KubeJson;
  core: CoreApi;
  batch: BatchApi;
  custom: CustomApi;
  coordination: CoordinationApi;
}

/**
 * The operator's clients: plain JSON over the kubeconfig's connection (see KubeJson), in the
 * shape of the generated APIs. Answers are the API server's JSON as it is: timestamps stay
 * strings (the generated clients would make Dates of them).
 */
export function makeClients(kc: KubeConfig): KubeClients {
  const json = new KubeJson(kc);
  return { kc, json, core: coreApi(json), batch: batchApi(json), custom: customApi(json), coordination: coordinationApi(json) };
}

type Params = { namespace?: string; name?: string; labelSelector?: string; body?: unknown; [key: string]: unknown };

/** The list query of a generated list call (labelSelector, fieldSelector, limit …). */
function listQuery(p: Params): Query {
  const { namespace: _n, ...rest } = p;
  return rest as Query;
}

const DELETE_OPTIONS = ['gracePeriodSeconds', 'propagationPolicy', 'orphanDependents', 'dryRun'] as const;

/** The calls on one namespaced kind (`pods`, `services`, … of the core group; `jobs` under `/apis/batch/v1`), generated-API style. */
function namespaced(json: KubeJson, plural: string, base = '/api/v1') {
  const collection = (p: Params) => `${base}/namespaces/${encodeURIComponent(p.namespace!)}/${plural}`;
  const item = (p: Params) => `${collection(p)}/${encodeURIComponent(p.name!)}`;
  return {
    create: (p: Params) => json.create(collection(p), p.body),
    read: (p: Params) => json.get(item(p)),
    replace: (p: Params) => json.replace(item(p), p.body),
    patch: (p: Params) => json.mergePatch(item(p), p.body),
    delete: (p: Params) => json.delete(item(p), p.body, Object.fromEntries(DELETE_OPTIONS.filter((k) => p[k] !== undefined).map((k) => [k, p[k] as string]))),
    list: (p: Params) => json.get(collection(p), listQuery(p)),
    listAll: (p: Params) => json.get(`${base}/${plural}`, listQuery(p)),
  };
}

function coreApi(json: KubeJson): CoreApi {
  const pods = namespaced(json, 'pods');
  const services = namespaced(json, 'services');
  const configMaps = namespaced(json, 'configmaps');
  const claims = namespaced(json, 'persistentvolumeclaims');
  const events = namespaced(json, 'events');
  const api = {
    createNamespacedPod: pods.create,
    readNamespacedPod: pods.read,
    patchNamespacedPod: pods.patch,
    deleteNamespacedPod: pods.delete,
    listNamespacedPod: pods.list,
    listPodForAllNamespaces: pods.listAll,
    readNamespacedPodLog: (p: Params) => {
      const { namespace, name, ...query } = p;
      return json.request('GET', `/api/v1/namespaces/${encodeURIComponent(namespace!)}/pods/${encodeURIComponent(name!)}/log`, { query: query as Query, text: true });
    },
    createNamespacedService: services.create,
    readNamespacedService: services.read,
    replaceNamespacedService: services.replace,
    deleteNamespacedService: services.delete,
    listNamespacedService: services.list,
    listServiceForAllNamespaces: services.listAll,
    createNamespacedConfigMap: configMaps.create,
    readNamespacedConfigMap: configMaps.read,
    replaceNamespacedConfigMap: configMaps.replace,
    deleteNamespacedConfigMap: configMaps.delete,
    listNamespacedConfigMap: configMaps.list,
    listConfigMapForAllNamespaces: configMaps.listAll,
    createNamespacedPersistentVolumeClaim: claims.create,
    readNamespacedPersistentVolumeClaim: claims.read,
    replaceNamespacedPersistentVolumeClaim: claims.replace,
    deleteNamespacedPersistentVolumeClaim: claims.delete,
    listNamespacedPersistentVolumeClaim: claims.list,
    listPersistentVolumeClaimForAllNamespaces: claims.listAll,
    createNamespacedEvent: events.create,
    listNamespacedEvent: events.list,
    listNamespace: (p: Params = {}) => json.get('/api/v1/namespaces', listQuery(p)),
  };
  return api as unknown as CoreApi;
}

function batchApi(json: KubeJson): BatchApi {
  const jobs = namespaced(json, 'jobs', '/apis/batch/v1');
  const api = {
    createNamespacedJob: jobs.create,
    readNamespacedJob: jobs.read,
    deleteNamespacedJob: jobs.delete,
    listNamespacedJob: jobs.list,
    listJobForAllNamespaces: jobs.listAll,
  };
  return api as unknown as BatchApi;
}

function customApi(json: KubeJson): CustomApi {
  type Ref = { group: string; version: string; namespace?: string; plural: string; name?: string };
  const collection = (p: Ref) => `/apis/${p.group}/${p.version}${p.namespace !== undefined ? `/namespaces/${encodeURIComponent(p.namespace)}` : ''}/${p.plural}`;
  const item = (p: Ref) => `${collection(p)}/${encodeURIComponent(p.name!)}`;
  const api = {
    listNamespacedCustomObject: (p: Ref & Params) => json.get(collection(p), p.labelSelector ? { labelSelector: p.labelSelector } : undefined),
    listClusterCustomObject: (p: Ref & Params) => json.get(collection({ ...p, namespace: undefined } as Ref), p.labelSelector ? { labelSelector: p.labelSelector } : undefined),
    // Every caller patches with a JSON merge patch (what `mergePatch` asks of the generated client).
    patchNamespacedCustomObjectStatus: (p: Ref & Params) => json.mergePatch(`${item(p)}/status`, p.body),
    patchNamespacedCustomObject: (p: Ref & Params) => json.mergePatch(item(p), p.body),
    deleteNamespacedCustomObject: (p: Ref & Params) => json.delete(item(p), undefined, p.propagationPolicy ? { propagationPolicy: p.propagationPolicy as string } : undefined),
    applyNamespacedCustomObject: (p: Ref & { body: object; fieldManager: string }) => json.apply(item(p), p.body, p.fieldManager),
  };
  return api as unknown as CustomApi;
}

function coordinationApi(json: KubeJson): CoordinationApi {
  const leases = (p: Params) => `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(p.namespace!)}/leases`;
  const api = {
    readNamespacedLease: (p: Params) => json.get(`${leases(p)}/${encodeURIComponent(p.name!)}`),
    createNamespacedLease: (p: Params) => json.create(leases(p), p.body),
    replaceNamespacedLease: (p: Params) => json.replace(`${leases(p)}/${encodeURIComponent(p.name!)}`, p.body),
  };
  return api as unknown as CoordinationApi;
}
