import { CoordinationV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';

/** Field manager name for everything the operator writes. */
export const FIELD_MANAGER = 'clockwork-operator';

/** The API clients the operator uses, made once. */
export interface KubeClients {
  kc: KubeConfig;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  coordination: CoordinationV1Api;
}

export function makeClients(kc: KubeConfig): KubeClients {
  return { kc, core: kc.makeApiClient(CoreV1Api), custom: kc.makeApiClient(CustomObjectsApi), coordination: kc.makeApiClient(CoordinationV1Api) };
}
