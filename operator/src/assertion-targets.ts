import type { CoreApi } from './kube-client.ts';
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import { directTarget, MAX_READ_BYTES, type AssertionTarget, type UrlPolicy } from '../../sdk/src/assertions/index.ts';
import { apiGet } from './api-get.ts';
import { describeError } from '../../sdk/src/kubernetes/index.ts';
import { CONTAINER_NAME } from './child-objects.ts';
import { podRunning } from './pod-state.ts';

export type AssertionsVia = 'direct' | 'proxy';

export interface TargetOptions {
  namespace: string;
  name: string;
  /** The Service DNS name, for direct checks from inside the cluster. */
  host: string;
  via: AssertionsVia;
  kc: KubeConfig;
  core: CoreApi;
  pod: () => V1Pod | undefined;
  /** Which assertion `url`s may be fetched (off unless the installer allows hosts). */
  urls: UrlPolicy;
}

/** What the API server (or the network under it) says when it could not reach the port behind a proxy request. */
const UNREACHABLE = /dial tcp|connection refused|no route to host|i\/o timeout|no endpoints available|connect: |resolve_deny|denied destination|error trying to reach/i;
/** What it says when the TCP connection worked but the other end does not speak HTTP. */
const CONNECTED_NOT_HTTP = /malformed HTTP|EOF|connection reset by peer|transport connection broken/i;

/** The API server's own error (a Status object or an unreachable-backend message), not the workload's answer. */
function proxyError(status: number, body: string): string | undefined {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (UNREACHABLE.test(flat)) return flat.slice(0, 300);
  if (status >= 500) {
    try {
      const parsed = JSON.parse(body) as { kind?: string; message?: string };
      if (parsed.kind === 'Status') return (parsed.message ?? flat).slice(0, 300);
    } catch (error) {
      // Not JSON: the workload's own 5xx.
      if (!(error instanceof SyntaxError)) throw error;
    }
  }
  return undefined;
}

/**
 * How assertions reach a Resource's Service: directly by its DNS name when the operator runs in
 * the cluster, or through the API server's service proxy when it runs outside. `running` and
 * `logContains` always read the Pod through the API.
 */
export function kubernetesAssertionTarget(o: TargetOptions): AssertionTarget {
  const running = async () => podRunning(o.pod());
  const logs = async (sinceSeconds: number | undefined) => {
    try {
      return String(await o.core.readNamespacedPodLog({ name: o.name, namespace: o.namespace, container: CONTAINER_NAME, limitBytes: MAX_READ_BYTES, ...(sinceSeconds ? { sinceSeconds } : {}) }));
    } catch (error) {
      throw new Error(`read the Pod log: ${describeError(error)}`);
    }
  };
  const direct = directTarget({ address: (port) => ({ host: o.host, port }), running, logs, urls: o.urls });
  if (o.via === 'direct') return direct;
  return {
    async httpGet(req) {
      if (req.url) return direct.httpGet(req);
      const prefix = `/api/v1/namespaces/${o.namespace}/services/${o.name}:${req.port}/proxy`;
      const response = await apiGet(o.kc, { prefix, path: req.path ?? '/' }, req.timeoutMs);
      const error = proxyError(response.status, response.body);
      if (error) throw new Error(`GET port ${req.port}${req.path ?? '/'} through the API server: ${error}`);
      return response;
    },
    async tcpConnect(port, timeoutMs) {
      // The pod proxy opens a TCP connection to the port; any answer other than a dial error
      // (even "malformed HTTP response" from a non-HTTP server) means the port accepts connections.
      const { status, body } = await apiGet(o.kc, { prefix: `/api/v1/namespaces/${o.namespace}/pods/${o.name}:${port}/proxy`, path: '/' }, timeoutMs);
      if (CONNECTED_NOT_HTTP.test(body)) return;
      const error = proxyError(status, body);
      if (error) throw new Error(`connect to port ${port} through the API server: ${error}`);
    },
    running,
    logs,
  };
}
