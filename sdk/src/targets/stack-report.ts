import { CONDITION_READY, LABEL_COMPOSITE, REASON, type ResourceObject } from '../api/index.ts';
import { evaluateComposite, readinessOf, rootBlockers, StateGraph } from '../engine/index.ts';
import type { MemoryStateView } from './memory-state-view.ts';
import type { CompositeReport, ResourceReport, StackReport, TargetKind } from './target.ts';

/** The report of a stack from the statuses the engine computed in `view`. */
export function stackReport(options: {
  target: TargetKind;
  namespace: string;
  view: MemoryStateView;
  /** Resource names in stack order. */
  order: readonly string[];
  /** The workloads that exist; left out when unknown (a snapshot taken mid-apply). */
  workloads?: ReadonlyMap<string, { id: string; name: string; state: string }>;
  orphans: string[];
  elapsedMs: number;
  timedOut?: boolean;
  /** The wall clock of the Composites' condition times. */
  now?: () => Date;
}): StackReport {
  const { view, namespace } = options;
  const graph = new StateGraph(view);
  const resources: ResourceReport[] = options.order.map((name) => withRootBlockers(resourceReport(view.getResource(namespace, name)!, options.workloads?.get(name), options.workloads !== undefined), view.getResource(namespace, name)!, graph));
  const now = options.now?.() ?? new Date();
  const composites: CompositeReport[] = view.composites.map((c) => {
    const evaluation = evaluateComposite({ now, descendants: graph.descendantsOf(c).map((r) => ({ key: r.metadata.name, ...readinessOf(r) })) });
    const ready = evaluation.conditions[0]!;
    const parent = c.metadata.labels?.[LABEL_COMPOSITE];
    return { name: c.metadata.name, ...(parent ? { composite: parent } : {}), ready: evaluation.ready, reason: ready.reason, message: ready.message, readyCount: evaluation.readyCount, totalCount: evaluation.totalCount, conditions: evaluation.conditions };
  });
  return {
    target: options.target,
    namespace,
    ready: resources.every((r) => r.ready),
    resources,
    composites,
    orphans: options.orphans,
    elapsedMs: options.elapsedMs,
    ...(options.timedOut ? { timedOut: true } : {}),
  };
}

/** A Resource waiting for its dependencies says what holds it up at the root of the chain (its status names only the direct dependency). */
function withRootBlockers(report: ResourceReport, resource: ResourceObject, graph: StateGraph): ResourceReport {
  if (report.ready || report.reason !== 'WaitingForDependencies') return report;
  const roots = rootBlockers(resource, graph);
  return roots.length ? { ...report, message: roots.map((r) => `waiting for ${r.key}: ${r.message}`).join('; ') } : report;
}

function readyCondition(r: ResourceObject) {
  return r.status?.conditions?.find((c) => c.type === CONDITION_READY);
}

function resourceReport(r: ResourceObject, workload: { id: string; name: string; state: string } | undefined, workloadsKnown: boolean): ResourceReport {
  let ready = readyCondition(r);
  // Read-only passes never create anything: a workload "being created" is one not applied yet.
  if (workloadsKnown && !workload && ready?.reason === REASON.Creating) ready = { ...ready, reason: REASON.NotApplied, message: 'no workload: the stack is not applied (run clockwork apply)' };
  const composite = r.metadata.labels?.[LABEL_COMPOSITE];
  return {
    name: r.metadata.name,
    ...(composite ? { composite } : {}),
    ready: ready?.status === 'True',
    reason: ready?.reason ?? 'Unknown',
    message: ready?.message ?? 'not evaluated',
    assertionsSummary: r.status?.assertionsSummary ?? `0/${r.spec.assertions?.length ?? 0}`,
    assertions: r.status?.assertions ?? [],
    dependencies: r.status?.dependencies ?? [],
    ...(r.status?.restarts ? { restarts: r.status.restarts } : {}),
    ...(workload ? { workload } : {}),
    conditions: r.status?.conditions ?? [],
  };
}
