import { UrlPolicy, UrlPolicyEntryError } from '../../assertions/index.ts';
import { UsageError } from '../errors.ts';

export interface OperatorCommandOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  workers: string;
  metricsPort: string;
  logLevel: string;
  assertionsVia?: string;
  clusterDomain?: string;
  leaderElect?: boolean;
  leaseNamespace?: string;
  terminationGracePeriod?: string;
  allowAssertionUrls?: string;
  clusterCidrs?: string;
}

const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);

function integer(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min}, got "${value}"`);
  return n;
}

/** `clockwork operator`: loads the operator only when asked for (it pulls in the Kubernetes client). */
export async function operator(o: OperatorCommandOptions): Promise<number> {
  const workers = integer(o.workers, '--workers', 1);
  const metricsPort = integer(o.metricsPort, '--metrics-port', 0);
  if (o.assertionsVia !== undefined && o.assertionsVia !== 'proxy' && o.assertionsVia !== 'direct') throw new UsageError(`--assertions-via must be proxy or direct, got "${o.assertionsVia}"`);
  const assertionUrls = { allow: list(o.allowAssertionUrls), clusterCidrs: list(o.clusterCidrs) };
  try {
    new UrlPolicy({ ...assertionUrls, apiServer: [] });
  } catch (error) {
    if (error instanceof UrlPolicyEntryError) throw new UsageError(error.message);
    throw error;
  }
  const { runOperator } = await import('../../../../operator/src/main/run-operator.ts');
  return runOperator({
    workers,
    metricsPort,
    logLevel: o.logLevel,
    ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
    ...(o.context ? { context: o.context } : {}),
    ...(o.namespace ? { namespace: o.namespace } : {}),
    ...(o.assertionsVia ? { assertionsVia: o.assertionsVia as 'proxy' | 'direct' } : {}),
    ...(o.clusterDomain ? { clusterDomain: o.clusterDomain } : {}),
    leaderElect: o.leaderElect !== false,
    ...(o.terminationGracePeriod !== undefined ? { terminationGracePeriodSeconds: integer(o.terminationGracePeriod, '--termination-grace-period', 0) } : {}),
    ...(o.leaseNamespace ? { leaseNamespace: o.leaseNamespace } : {}),
    assertionUrls,
  });
}
