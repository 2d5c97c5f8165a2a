import type { KubernetesObject, V1ConfigMap, V1Pod, V1Service } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { GROUP, LABEL_MANAGED_BY, LABEL_RESOURCE, MANAGED_BY, PLURAL_COMPOSITE, PLURAL_RESOURCE, VERSION, type CompositeObject, type ResourceObject } from '../../sdk/src/api/index.ts';
import { Informer, type ListResult } from '../../sdk/src/kubernetes/index.ts';
import type { KubeClients } from './kube-client.ts';

/** Selects the children the operator made (Pods, Services, ConfigMaps). */
export const CHILD_SELECTOR = `${LABEL_MANAGED_BY}=${MANAGED_BY},${LABEL_RESOURCE}`;

export interface InformerSet {
  resources: Informer<ResourceObject & KubernetesObject>;
  composites: Informer<CompositeObject & KubernetesObject>;
  pods: Informer<V1Pod>;
  services: Informer<V1Service>;
  configMaps: Informer<V1ConfigMap>;
}

/** The five informers, over one namespace or all of them. */
export interface InformerHooks {
  onRelist?: (informer: string, reason: string) => void;
  onWatchRestart?: (informer: string, reason: string) => void;
}

export function createInformers(clients: KubeClients, logger: Logger, namespace?: string, hooks: InformerHooks = {}): InformerSet {
  const { kc, core, custom } = clients;
  const nsPath = namespace ? `/namespaces/${namespace}` : '';
  const common = { kubeConfig: kc, logger };
  // Each informer reports under its own name.
  const hooksFor = (name: string) => ({
    onRelist: (reason: string) => hooks.onRelist?.(name, reason),
    onWatchRestart: (reason: string) => hooks.onWatchRestart?.(name, reason),
  });
  const customList = (plural: string) => async () =>
    (namespace
      ? await custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural })
      : await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural })) as ListResult<never>;
  const labelSelector = CHILD_SELECTOR;
  return {
    resources: new Informer({ ...common, ...hooksFor(PLURAL_RESOURCE), name: PLURAL_RESOURCE, list: customList(PLURAL_RESOURCE), watchPath: `/apis/${GROUP}/${VERSION}${nsPath}/${PLURAL_RESOURCE}` }),
    composites: new Informer({ ...common, ...hooksFor(PLURAL_COMPOSITE), name: PLURAL_COMPOSITE, list: customList(PLURAL_COMPOSITE), watchPath: `/apis/${GROUP}/${VERSION}${nsPath}/${PLURAL_COMPOSITE}` }),
    pods: new Informer<V1Pod>({
      ...common,
      ...hooksFor('pods'),
      name: 'pods',
      labelSelector,
      watchPath: `/api/v1${nsPath}/pods`,
      list: async () => (namespace ? await core.listNamespacedPod({ namespace, labelSelector }) : await core.listPodForAllNamespaces({ labelSelector })) as ListResult<V1Pod>,
    }),
    services: new Informer<V1Service>({
      ...common,
      ...hooksFor('services'),
      name: 'services',
      labelSelector,
      watchPath: `/api/v1${nsPath}/services`,
      list: async () => (namespace ? await core.listNamespacedService({ namespace, labelSelector }) : await core.listServiceForAllNamespaces({ labelSelector })) as ListResult<V1Service>,
    }),
    configMaps: new Informer<V1ConfigMap>({
      ...common,
      ...hooksFor('configmaps'),
      name: 'configmaps',
      labelSelector,
      watchPath: `/api/v1${nsPath}/configmaps`,
      list: async () => (namespace ? await core.listNamespacedConfigMap({ namespace, labelSelector }) : await core.listConfigMapForAllNamespaces({ labelSelector })) as ListResult<V1ConfigMap>,
    }),
  };
}
