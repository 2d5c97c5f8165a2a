import { CONDITION_AVAILABLE, CONDITION_READY, REASON, type ClockworkObject } from '../../api/index.ts';
import type { CompiledStack } from '../../stack/compile.ts';
import { liveStacks } from '../live-stack.ts';
import { MemoryStateView } from '../memory-state-view.ts';
import { stackReport } from '../stack-report.ts';
import type { StackReport } from '../target.ts';
import type { WatchedObjects } from './stack-watch.ts';

/**
 * Reports of what the cluster holds, from objects already read (a list, a watch, an informer
 * cache): `status`, `apply`'s wait and the dashboard read the cluster the same way.
 */

/** The stack of a stack file as the cluster reports it; what the operator has not processed yet is Pending. */
export function stackFileReport(options: { stack: CompiledStack; emitted: readonly ClockworkObject[]; live: WatchedObjects; elapsedMs: number }): StackReport {
  const { stack, emitted, live } = options;
  const merged = emitted.map((o) => {
    const current = o.kind === 'Resource' ? live.resources.get(o.metadata.name) : live.composites.get(o.metadata.name);
    return current ? pendingUntilObserved(current) : o;
  });
  return viewReport({
    namespace: stack.namespace,
    view: new MemoryStateView(merged),
    order: stack.resources.map((r) => r.name),
    exists: (name) => live.resources.has(name),
    elapsedMs: options.elapsedMs,
  });
}

/** Every stack among `objects` (any namespaces), one report per namespace, as `status --all` shows them. */
export function liveObjectsReports(objects: readonly ClockworkObject[], elapsedMs: number): StackReport[] {
  return liveStacks(objects.map(pendingUntilObserved)).map(({ namespace, view, waves }) =>
    viewReport({ namespace, view, order: waves.flat(), exists: (name) => view.getResource(namespace, name) !== undefined, elapsedMs }),
  );
}

function viewReport(options: { namespace: string; view: MemoryStateView; order: string[]; exists: (name: string) => boolean; elapsedMs: number }): StackReport {
  const { namespace, view, order, exists } = options;
  const workloads = new Map<string, { id: string; name: string; state: string }>();
  for (const r of view.resources) {
    if (r.status?.podName) workloads.set(r.metadata.name, { id: r.status.podName, name: `pod/${r.status.podName}`, state: r.status.conditions?.find((c) => c.type === CONDITION_AVAILABLE)?.reason ?? 'Unknown' });
  }
  const report = stackReport({ target: 'kubernetes', namespace, view, order, workloads, orphans: [], elapsedMs: options.elapsedMs });
  for (const r of report.resources) {
    if (!exists(r.name)) Object.assign(r, { ready: false, reason: REASON.NotApplied, message: 'the Resource does not exist in the cluster (run clockwork apply)' });
    else if (r.reason === 'Unknown') Object.assign(r, { reason: REASON.Pending, message: 'waiting for the operator to reconcile it' });
  }
  return { ...report, ready: report.resources.every((r) => r.ready) };
}

/** A status from before the latest spec change does not count: the operator has not seen it yet. */
export function pendingUntilObserved<T extends ClockworkObject>(object: T): T {
  const generation = object.metadata.generation;
  const observed = object.status?.observedGeneration;
  if (generation === undefined || observed === undefined || observed >= generation) return object;
  const conditions = (object.status?.conditions ?? []).filter((c) => c.type !== CONDITION_READY);
  return { ...object, status: { ...object.status, conditions } } as T;
}
