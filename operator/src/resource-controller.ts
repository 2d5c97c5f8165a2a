import type { Logger } from 'winston';
import { CONDITION_ASSERTIONS_PASSED, CONDITION_AVAILABLE, CONDITION_DEPENDENCIES_READY, CONDITION_READY, CONDITION_STALLED, REASON, TerminalError, type ResourceObject, type ResourceStatus } from '../../sdk/src/api/index.ts';
import { condition, PASSING_REASONS, reconcileResource, type ReconcileOutcome, type ReconcileResult, type StateView, type WorkloadBackend } from '../../sdk/src/engine/index.ts';
import type { EventRecorder } from './events.ts';
import { describeError, statusCode } from '../../sdk/src/kubernetes/index.ts';
import type { OperatorMetrics } from './metrics.ts';
import type { StatusOutcome, StatusWriter } from './status-writer.ts';

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
  /** Resources whose loss of Ready went out as a NotReady Warning (uids): their return to Ready is news too. */
  readonly #lostReady = new Set<string>();

  constructor(options: ResourceControllerOptions) {
    this.#o = options;
  }

  async reconcile(namespace: string, name: string): Promise<ReconcileResult> {
    const resource = this.#o.view.getResource(namespace, name);
    // Gone, or being deleted (its children go with it through garbage collection).
    if (!resource || resource.metadata.deletionTimestamp) return;
    let outcome;
    try {
      outcome = await reconcileResource(resource, { view: this.#o.view, backend: this.#o.backend, attempts: this.#attempts, ...(this.#o.now ? { now: this.#o.now } : {}) });
    } catch (error) {
      if (!isRejection(error)) throw error;
      // The apiserver refused a child for good (e.g. a ConfigMap over 1 MiB): say so in the
      // status, and do not retry the same spec; a change of the Resource brings the next attempt.
      // (A failed status write is not terminal: the queue retries until the rejection is reported.)
      await this.#reportRejected(resource, error);
      throw new WorkloadRejectedError(`${namespace}/${name}`, error);
    }
    const status: ResourceStatus = {
      ...outcome.status,
      ...(outcome.status.specHash ? { podName: name } : {}),
      ...(outcome.status.specHash && resource.spec.ports?.length ? { serviceName: name } : {}),
    };
    this.#countChecks(resource, status);
    // The status first (it wakes the dependents), then the Events, not awaited — but recorded
    // even when the status write fails: a retry would not see a one-off transition again.
    let written: StatusOutcome = { wrote: false };
    try {
      written = await this.#o.status.write(resource, status);
    } finally {
      for (const event of outcome.events.filter((e) => this.#worthAnEvent(e, resource)))
        void this.#o.events.record(resource, event).catch((error: unknown) => this.#o.logger.warn('event not recorded', { resource: `${namespace}/${name}`, reason: event.reason, error: String(error) }));
    }
    if (written.wrote) this.#o.logger.debug('status written', { resource: `${namespace}/${name}`, ready: readyOf(status) });
    const deadline = stallDeadlineMs(resource, status, (this.#o.now?.() ?? new Date()).getTime());
    const requeue = Math.min(outcome.requeueAfterMs ?? Infinity, deadline ?? Infinity, written.laterMs ?? Infinity);
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

  /** Ready and Available False with reason WorkloadRejected and the apiserver's message. */
  async #reportRejected(resource: ResourceObject, error: unknown): Promise<void> {
    const now = this.#o.now?.() ?? new Date();
    const facts = { previous: resource.status?.conditions, now, ...(resource.metadata.generation !== undefined ? { generation: resource.metadata.generation } : {}) };
    const rejected = { status: 'False' as const, reason: REASON.WorkloadRejected, message: `the API server rejected the workload: ${describeError(error)}`.slice(0, 1024) };
    const conditions = [
      condition(CONDITION_READY, rejected, facts),
      // The workload is only applied once every dependency is Ready.
      condition(CONDITION_DEPENDENCIES_READY, { status: 'True', reason: REASON.AllDependenciesReady, message: resource.status?.conditions?.find((c) => c.type === CONDITION_DEPENDENCIES_READY)?.message ?? 'dependencies Ready' }, facts),
      condition(CONDITION_AVAILABLE, rejected, facts),
      condition(CONDITION_ASSERTIONS_PASSED, resource.spec.assertions?.length ? { status: 'Unknown', reason: REASON.NotChecked, message: 'assertions start once the workload is available' } : { status: 'True', reason: REASON.NoAssertions, message: 'no assertions declared' }, facts),
      // Retrying the same spec cannot help: kstatus tools read it as Failed.
      condition(CONDITION_STALLED, { status: 'True', reason: rejected.reason, message: rejected.message }, facts),
    ];
    await this.#o.status.write(resource, { ...resource.status, ...(resource.metadata.generation !== undefined ? { observedGeneration: resource.metadata.generation } : {}), conditions });
  }

  /**
   * What a clean rollout says in Events: nothing per Resource (its status says it, and an Event is
   * a write). Warnings always; Normal Events for what is not routine — a workload replaced or
   * repaired, an assertion passing again, Ready again after a failure or after Ready was lost.
   */
  #worthAnEvent(event: ReconcileOutcome['events'][number], resource: ResourceObject): boolean {
    const uid = resource.metadata.uid ?? `${resource.metadata.namespace}/${resource.metadata.name}`;
    if (event.reason === 'NotReady') {
      this.#lostReady.add(uid);
      // Bounded: the oldest go first (a Resource deleted while not Ready never comes back).
      if (this.#lostReady.size > 10_000) this.#lostReady.delete(this.#lostReady.values().next().value!);
    }
    if (event.type === 'Warning') return true;
    if (event.reason === 'Created') return false;
    if (event.reason === REASON.Ready) {
      if (this.#lostReady.delete(uid)) return true;
      const before = resource.status?.conditions?.find((c) => c.type === CONDITION_READY);
      return before !== undefined && before.status === 'False' && !PASSING_REASONS.has(before.reason);
    }
    return true;
  }
}

/** The API server refused a Resource's workload; reported in its status, not retried. */
export class WorkloadRejectedError extends TerminalError {
  constructor(resource: string, cause: unknown) {
    super(`the API server rejected the workload of ${resource}: ${describeError(cause)}`, { cause });
  }
}

/** A 4xx that retrying the same request cannot fix (not 404, 409 or 429). */
function isRejection(error: unknown): boolean {
  const code = statusCode(error);
  return code !== undefined && code >= 400 && code < 500 && ![404, 409, 429].includes(code);
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
  if (!ready || ready.status === 'True' || ready.reason === REASON.Stalled) return undefined;
  const created = Date.parse(resource.metadata.creationTimestamp ?? '') || now;
  const candidates: number[] = [];
  if (timeouts.dependenciesSeconds) candidates.push(created + timeouts.dependenciesSeconds * 1000 + 100 - now);
  if (timeouts.readySeconds) {
    const available = status.conditions?.find((c) => c.type === CONDITION_AVAILABLE);
    const since = available ? Date.parse(available.lastTransitionTime) : created;
    // The engine counts from the Pod's creation, which may be later than this estimate: once
    // the estimate has passed without Stalled, check again shortly (bounded by that gap).
    const ms = since + timeouts.readySeconds * 1000 + 1100 - now;
    candidates.push(ms > 0 ? ms : available?.reason === REASON.WaitingForDependencies ? -1 : 1000);
  }
  const future = candidates.filter((ms) => ms > 0);
  return future.length ? Math.min(...future) : undefined;
}
