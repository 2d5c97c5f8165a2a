import type { KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import type { ClockworkObject, CompositeObject, ResourceObject, ResourceStatus } from '../../sdk/src/api/index.ts';
import { StateGraph, WorkQueue } from '../../sdk/src/engine/index.ts';
import type { UrlPolicy } from '../../sdk/src/assertions/index.ts';
import { DependentsIndex } from '../../sdk/src/graph/index.ts';
import type { AssertionsVia } from './assertion-targets.ts';
import { CacheView } from './cache-view.ts';
import { CompositeController } from './composite-controller.ts';
import { registerEventHandlers, compositeKey, indexDependencies, resourceKey, type EventHandlers } from './event-handlers.ts';
import { PendingStatuses } from './pending-statuses.ts';
import { EventRecorder } from './events.ts';
import { createInformers, INDEX_MEMBER_OF, INDEX_OWNED_BY } from './informer-set.ts';
import { describeError, isConflict } from '../../sdk/src/kubernetes/index.ts';
import type { KubeClients } from './kube-client.ts';
import { KubernetesBackend } from './kubernetes-backend.ts';
import { NamespaceGuard } from './namespace-guard.ts';
import type { OperatorMetrics } from './metrics.ts';
import { ResourceController } from './resource-controller.ts';
import { StatusWriter } from './status-writer.ts';

export interface OperatorOptions {
  clients: KubeClients;
  logger: Logger;
  /** Watch one namespace; all when left out. */
  namespace?: string;
  workers: number;
  assertionsVia: AssertionsVia;
  /** Which assertion `url`s may be fetched. */
  urls: UrlPolicy;
  clusterDomain?: string;
  terminationGracePeriodSeconds?: number;
  metrics?: OperatorMetrics;
  /** How long a passing state (waiting, creating, starting) lasts before its status is written. */
  statusSettleMs?: number;
  /** Manage Resources in kube-system, kube-public and kube-node-lease too (refused by default). */
  manageSystemNamespaces?: boolean;
  /** The wall clock every part reads (condition times, Events, the read-after-create window). */
  now?: () => Date;
}

/**
 * A passing state is written once it has lasted this long: long enough that a Resource coming
 * up without trouble is written once (Ready), short enough that one held up shows why while
 * `clockwork apply` or `kubectl get -w` watch.
 */
export const DEFAULT_STATUS_SETTLE_MS = 2_000;

export interface RunningOperator {
  /** Resolves when the informers have synced and the workers run. */
  started: Promise<void>;
  readonly ready: boolean;
  stop(): Promise<void>;
}

/** Wires informers → work queue → the two controllers. Owns no logic of its own. */
export function startOperator(o: OperatorOptions): RunningOperator {
  const { clients, logger, metrics } = o;
  const informers = createInformers(clients, logger, o.namespace, metrics ? {
    onRelist: (informer, reason) => metrics.relists.inc({ informer, reason }),
    onWatchRestart: (informer, reason) => metrics.watchRestarts.inc({ informer, reason }),
  } : {});
  const pending = new PendingStatuses();
  const view = new CacheView({ resources: informers.resources, composites: informers.composites, ...(informers.namespaces ? { namespaces: informers.namespaces } : {}) }, pending);
  const graph = new StateGraph(view);
  const now = o.now ?? (() => new Date());
  const backend = new KubernetesBackend({
    now,
    core: clients.core,
    batch: clients.batch,
    kc: clients.kc,
    caches: { pod: informers.pods, service: informers.services, configmap: informers.configMaps, claim: informers.claims, job: informers.jobs },
    logger,
    assertionsVia: o.assertionsVia,
    urls: o.urls,
    ...(o.clusterDomain ? { clusterDomain: o.clusterDomain } : {}),
    ...(o.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: o.terminationGracePeriodSeconds } : {}),
  });
  // The answer to each write goes into the cache at once (handlers run as for a watch event), so a
  // dependency's Ready wakes its dependents without waiting for the watch to bring it back.
  const feedBack = (object: ClockworkObject & KubernetesObject) => {
    if (object.kind === 'Resource') {
      pending.clear(object);
      informers.resources.upsert(object as ResourceObject & KubernetesObject);
    } else informers.composites.upsert(object as CompositeObject & KubernetesObject);
  };
  let handlers: EventHandlers | undefined;
  const status = new StatusWriter({
    custom: clients.custom,
    settleMs: o.statusSettleMs ?? DEFAULT_STATUS_SETTLE_MS,
    // While a Resource's status is on its way, its dependents already see it (and are woken if it
    // concerns them): the hop to a dependent costs one round trip, not two.
    onWriting: (object, written) => {
      if (object.kind !== 'Resource') return;
      pending.set(object, written as ResourceStatus);
      handlers?.resourceChanged(object, { ...object, status: written as ResourceStatus });
    },
    onWritten: feedBack,
    onWriteFailed: (object) => pending.clear(object),
  });
  const events = new EventRecorder({ core: clients.core, logger, now });
  const resources = new ResourceController({ view, backend, status, events, logger, now, ...(metrics ? { metrics } : {}) });
  const composites = new CompositeController({
    now,
    graph,
    custom: clients.custom,
    status,
    events,
    logger,
    membersOf: (ns, name) => [...informers.resources.byIndex(INDEX_MEMBER_OF, `${ns}/${name}`), ...informers.composites.byIndex(INDEX_MEMBER_OF, `${ns}/${name}`)],
    ownedBy: (uid) => [...informers.resources.byIndex(INDEX_OWNED_BY, uid), ...informers.composites.byIndex(INDEX_OWNED_BY, uid)],
    onWritten: feedBack,
  });
  const queue = new WorkQueue<string>({
    ...(metrics ? { onDepth: (d: number) => metrics.queueDepth.set(d), onWait: (ms: number) => metrics.queueWaitSeconds.observe(ms / 1000) } : {}),
  });
  const index = new DependentsIndex();
  handlers = registerEventHandlers(informers, graph, index, (key) => queue.add(key));

  const guard = new NamespaceGuard({ manageSystemNamespaces: o.manageSystemNamespaces ?? false, status, logger });
  const reconcile = async (key: string) => {
    const [kind, namespace, name] = key.split('/') as [string, string, string];
    const end = metrics?.reconcileSeconds.startTimer({ kind });
    try {
      if (guard.refuses(namespace)) {
        const object = kind === 'Resource' ? view.getResource(namespace, name) : view.getComposite(namespace, name);
        if (object) await guard.report(object);
        return undefined;
      }
      const result = kind === 'Resource' ? await resources.reconcile(namespace, name) : await composites.reconcile(namespace, name);
      metrics?.reconciles.inc({ kind, result: 'success' });
      return result;
    } catch (error) {
      metrics?.reconciles.inc({ kind, result: 'error' });
      throw error;
    } finally {
      end?.();
    }
  };

  let ready = false;
  let running: Promise<void> | undefined;
  const all = Object.values(informers);
  const started = (async () => {
    await Promise.all(all.map((i) => i.start()));
    for (const r of informers.resources.list()) {
      indexDependencies(index, graph, r);
      queue.add(resourceKey(r.metadata.namespace ?? 'default', r.metadata.name));
    }
    for (const c of informers.composites.list()) queue.add(compositeKey(c.metadata.namespace ?? 'default', c.metadata.name));
    running = queue.run(o.workers, reconcile, (key, error, retryInMs) =>
      // A conflict only means the cache was behind a write; the retry reads the newer object.
      logger.log(isConflict(error) ? 'debug' : 'warn', retryInMs === undefined ? 'reconcile failed; not retried until the object changes' : 'reconcile failed', { key, error: describeError(error), ...(retryInMs !== undefined ? { retryInMs } : {}) }));
    ready = true;
    logger.info('operator started', { namespace: o.namespace ?? '(all)', workers: o.workers, assertionsVia: o.assertionsVia, assertionUrls: o.urls.off ? 'off' : 'allowed by --allow-assertion-urls' });
  })();

  return {
    started,
    get ready() {
      return ready;
    },
    async stop() {
      for (const i of all) i.stop();
      queue.shutdown();
      await running;
    },
  };
}
