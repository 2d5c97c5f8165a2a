import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { confinedUrl, httpGet, type HttpGetResult } from '../../sdk/src/assertions/index.ts';

/**
 * A GET below `prefix` on the API server with the kubeconfig's credentials, returning the status
 * and (at most MAX_READ_BYTES of the) body whatever they are (the generated clients throw on
 * non-2xx and encode `/` in proxy paths). `path` can never leave `prefix`: it is checked and the
 * URL is built without resolving dot segments (confinedUrl), since these requests carry the
 * operator's credentials.
 */
export async function apiGet(kc: KubeConfig, target: { prefix: string; path: string }, timeoutMs: number): Promise<HttpGetResult> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('no current cluster');
  const url = confinedUrl(server, target.prefix, target.path);
  const options: RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(options);
  return httpGet(url, { timeoutMs, request: options });
}
