import { reuseConnections } from '../../sdk/src/targets/kubernetes/kube-config.ts';
import { ApiException, CoordinationV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';

/** Field manager name for everything the operator writes. */
export const FIELD_MANAGER = 'clockwork-operator';

export interface KubeConfigOptions {
  kubeconfig?: string;
  context?: string;
}

/** Loads a kubeconfig: the given file, else $KUBECONFIG / ~/.kube/config, else the in-cluster service account. */
export function loadKubeConfig(options: KubeConfigOptions): { kc: KubeConfig; inCluster: boolean } {
  const kc = new KubeConfig();
  let inCluster = false;
  if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
  else if (!process.env.KUBECONFIG && process.env.KUBERNETES_SERVICE_HOST) {
    kc.loadFromCluster();
    inCluster = true;
  } else kc.loadFromDefault();
  if (options.context) kc.setCurrentContext(options.context);
  if (!kc.getCurrentCluster()) throw new Error('no cluster in the kubeconfig (give --kubeconfig, set KUBECONFIG, or run in a cluster)');
  return { kc: reuseConnections(kc), inCluster };
}

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

/** Options that make a generated client's patch call send a JSON merge patch. */
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function statusCode(error: unknown): number | undefined {
  if (error instanceof ApiException) return error.code;
  const e = error as { code?: unknown; statusCode?: unknown };
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return typeof e?.code === 'number' ? e.code : undefined;
}

export const isNotFound = (error: unknown) => statusCode(error) === 404;
export const isConflict = (error: unknown) => statusCode(error) === 409;

/** A short description of an API error (the Status message when there is one). */
export function describeError(error: unknown): string {
  if (error instanceof ApiException) {
    const body = error.body as unknown;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    try {
      const parsed = JSON.parse(text) as { message?: string };
      if (parsed.message) return `${error.code}: ${parsed.message}`;
    } catch {
      /* not JSON */
    }
    return `${error.code}: ${text.slice(0, 300)}`;
  }
  return error instanceof Error ? error.message : String(error);
}
