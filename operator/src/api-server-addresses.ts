import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * The addresses the operator knows the API server by: its kubeconfig's server (resolved) and,
 * in a Pod, the `kubernetes` Service address. Assertion URLs never reach them unless named.
 */
export async function apiServerAddresses(kc: KubeConfig, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const hosts = new Set<string>();
  const server = kc.getCurrentCluster()?.server;
  if (server) hosts.add(new URL(server).hostname.replace(/^\[|\]$/g, ''));
  if (env.KUBERNETES_SERVICE_HOST) hosts.add(env.KUBERNETES_SERVICE_HOST);
  const addresses = await Promise.all(
    [...hosts].map(async (host) => (isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address))),
  );
  return [...new Set(addresses.flat())];
}
