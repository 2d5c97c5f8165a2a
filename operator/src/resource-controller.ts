import type { Logger } from 'winston';
import { CONDITION_READY, type ResourceObject, type ResourceStatus } from '../../sdk/src/api/index.ts';
import { reconcileResource, type ReconcileResult, type StateView, type WorkloadBackend } from '../../sdk/src/engine/index.ts';
import type { EventRecorder } from './events.ts';
import type { OperatorMetrics } from './metrics.ts';
import type { StatusWriter } from './status-writer.ts';

export interface ResourceControllerOptions {
  view: StateView;
  backend: WorkloadBackend;
  status: StatusWriter;
  events: EventRecorder;
  logger: Logger;
  metrics?: OperatorMetrics;
  now?: () => Date;
}

/**
 * Reconciles one Resource from the caches: the engine decides (dependencies, workload,
 * assertions, conditions); this writes the status and the Events it returns. Nothing here
 * depends on the event that queued the key.
 */
export class ResourceController {
  readonly #o: ResourceControllerOptions;
  /** Attempts per assertion before its first pass (the engine's start-up backoff). */
  readonly #attempts = new Map<string, number>();

  constructor(options: ResourceControllerOptions) {
    this.#o = options;
  }

  async reconcile(namespace: string, name: string): Promise<ReconcileResult> {
    const resource = this.#o.view.getResource(namespace, name);
    // Gone, or being deleted (its children go with it through garbage collection).
    if (!resource || resource.metadata.deletionTimestamp) return;
    const outcome = await reconcileResource(resource, { view: this.#o.view, backend: this.#o.backend, attempts: this.#attempts, ...(this.#o.now ? { now: this.#o.now } : {}) });
    const status: ResourceStatus = {
      ...outcome.status,
      ...(outcome.status.specHash ? { podName: name } : {}),
      ...(outcome.status.specHash && resource.spec.ports?.length ? { serviceName: name } : {}),
    };
    this.#countChecks(resource, status);
    // Events first: if the status write conflicts, the retry will not see the same transition again.
    for (const event of outcome.events) await this.#o.events.record(resource, event);
    const wrote = await this.#o.status.write(resource, status);
    if (wrote) this.#o.logger.debug('status written', { resource: `${namespace}/${name}`, ready: readyOf(status) });
    const deadline = stallDeadlineMs(resource, status, (this.#o.now?.() ?? new Date()).getTime());
    const requeue = Math.min(outcome.requeueAfterMs ?? Infinity, deadline ?? Infinity);
    return Number.isFinite(requeue) ? { requeueAfterMs: Math.max(requeue, 50) } : undefined;
  }

  /** Counts the assertions this pass checked (their lastCheckedTime moved). */
  #countChecks(resource: ResourceObject, status: ResourceStatus): void {
    if (!this.#o.metrics) return;
    for (const a of status.assertions ?? []) {
      const before = resource.status?.assertions?.find((b) => b.name === a.name);
      if (a.lastCheckedTime && a.lastCheckedTime !== before?.lastCheckedTime) this.#o.metrics.assertionChecks.inc({ kind: a.kind, result: a.passed ? 'passed' : 'failed' });
    }
  }
}

function readyOf(status: ResourceStatus): string | undefined {
  const c = status.conditions?.find((x) => x.type === CONDITION_READY);
  return c ? `${c.status}/${c.reason}` : undefined;
}

/**
 * When a `timeouts` budget runs out, the Resource must turn Stalled without any event to wake
 * it: the time left until the next budget ends (a deadline, not polling).
 */
export function stallDeadlineMs(resource: ResourceObject, status: ResourceStatus, now: number): number | undefined {
  const timeouts = resource.spec.timeouts;
  if (!timeouts) return undefined;
  const ready = status.conditions?.find((c) => c.type === CONDITION_READY);
  if (!ready || ready.status === 'True' || ready.reason === 'Stalled') return undefined;
  const created = Date.parse(resource.metadata.creationTimestamp ?? '') || now;
  const candidates: number[] = [];
  if (timeouts.dependenciesSeconds) candidates.push(created + timeouts.dependenciesSeconds * 1000 + 100 - now);
  if (timeouts.readySeconds) {
    const available = status.conditions?.find((c) => c.type === 'Available');
    const since = available ? Date.parse(available.lastTransitionTime) : created;
    // The engine counts from the Pod's creation, which may be later than this estimate: once
    // the estimate has passed without Stalled, check again shortly (bounded by that gap).
    const ms = since + timeouts.readySeconds * 1000 + 1100 - now;
    candidates.push(ms > 0 ? ms : available?.reason === 'WaitingForDependencies' ? -1 : 1000);
  }
  const future = candidates.filter((ms) => ms > 0);
  return future.length ? Math.min(...future) : undefined;
}
