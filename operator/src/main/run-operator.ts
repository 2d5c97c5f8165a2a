import type { Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { OPERATOR_LEASE_NAME } from '../../../sdk/src/api/index.ts';
import { createLogger } from '../logger.ts';
import { describeError, loadKubeConfig } from '../../../sdk/src/kubernetes/index.ts';
import { makeClients } from '../kube-client.ts';
import { LeaderElector } from '../leader-election.ts';
import { OperatorMetrics } from '../metrics.ts';
import { startOperator, type RunningOperator } from '../operator.ts';
import type { AssertionsVia } from '../assertion-targets.ts';
import { UrlPolicy } from '../../../sdk/src/assertions/index.ts';
import { apiServerAddresses } from '../api-server-addresses.ts';

export interface RunOperatorOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  workers: number;
  metricsPort: number;
  logLevel: string;
  /** How assertions reach Services; default: direct in the cluster, proxy outside. */
  assertionsVia?: AssertionsVia;
  clusterDomain?: string;
  /** Run only while holding the Lease `clockwork-operator` in leaseNamespace (which `clockwork apply` looks for). */
  leaderElect?: boolean;
  leaseNamespace?: string;
  /** terminationGracePeriodSeconds of the Pods the operator creates. */
  terminationGracePeriodSeconds?: number;
  /** What assertion `url`s may reach: none unless hosts or ranges are listed (`--allow-assertion-urls`). */
  assertionUrls?: { allow: string[]; clusterCidrs?: string[] };
  /** Manage Resources in kube-system, kube-public and kube-node-lease too. */
  manageSystemNamespaces?: boolean;
  /** Resolves to stop the operator (default: SIGINT or SIGTERM). */
  until?: Promise<unknown>;
}

const SA_NAMESPACE_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

/** `clockwork operator`: runs until SIGINT/SIGTERM (exit 0) or a lost leader lease (exit 1). Only wiring. */
export async function runOperator(options: RunOperatorOptions): Promise<number> {
  const logger = createLogger(options.logLevel);
  const { kc, inCluster } = loadKubeConfig({ ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}), ...(options.context ? { context: options.context } : {}) });
  const clients = makeClients(kc);
  const urls = new UrlPolicy({ allow: options.assertionUrls?.allow ?? [], clusterCidrs: options.assertionUrls?.clusterCidrs ?? [], apiServer: await apiServerAddresses(kc) });
  const metrics = options.metricsPort > 0 ? new OperatorMetrics() : undefined;
  let stopReason: (reason: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (stopReason = resolve));
  void (options.until ?? new Promise<string>((resolve) => ['SIGINT', 'SIGTERM'].forEach((s) => process.once(s, () => resolve(s))))).then((r) => stopReason(String(r)));

  let operator: RunningOperator | undefined;
  let stopping = false;
  let exitCode = 0;
  const start = () =>
    (operator = startOperator({
      clients,
      logger,
      workers: options.workers,
      assertionsVia: options.assertionsVia ?? (inCluster ? 'direct' : 'proxy'),
      urls,
      manageSystemNamespaces: options.manageSystemNamespaces ?? false,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      ...(options.clusterDomain ? { clusterDomain: options.clusterDomain } : {}),
      ...(options.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: options.terminationGracePeriodSeconds } : {}),
      ...(metrics ? { metrics } : {}),
    }));
  const lease = {
    namespace: options.leaseNamespace ?? (existsSync(SA_NAMESPACE_FILE) ? readFileSync(SA_NAMESPACE_FILE, 'utf8').trim() : 'default'),
    name: OPERATOR_LEASE_NAME,
  };
  const elector = options.leaderElect
    ? new LeaderElector({
        api: clients.coordination,
        ...lease,
        identity: process.env.POD_NAME ?? `${hostname()}_${randomBytes(4).toString('hex')}`,
        onStartedLeading: () => {
          logger.info('became leader', { lease: `${lease.namespace}/${lease.name}` });
          metrics?.leader.set(1);
          start();
        },
        onStoppedLeading: () => {
          metrics?.leader.set(0);
          if (stopping) return;
          // Another replica may lead now: stop at once (the Deployment restarts this one as a standby).
          logger.error('lost the leader lease', { lease: `${lease.namespace}/${lease.name}` });
          exitCode = 1;
          stopReason('lost the leader lease');
        },
        onError: (error) => logger.warn('leader election request failed', { error: describeError(error) }),
      })
    : undefined;
  let server: Server | undefined;
  if (metrics) {
    // A standby replica is ready (a spare); the leader once its caches have synced.
    server = await metrics.serve(options.metricsPort, () => (operator ? operator.ready : Boolean(elector && !elector.isLeader)));
    logger.info('serving /metrics, /healthz, /readyz', { port: options.metricsPort });
  }
  if (elector) {
    logger.info('waiting for the leader lease', { lease: `${lease.namespace}/${lease.name}` });
    elector.start();
  } else {
    metrics?.leader.set(1);
    start();
  }

  const reason = await stopped;
  logger.info('stopping', { reason });
  stopping = true;
  await operator?.stop();
  await elector?.stop();
  server?.close();
  await new Promise((r) => logger.on('finish', r).end());
  return exitCode;
}
