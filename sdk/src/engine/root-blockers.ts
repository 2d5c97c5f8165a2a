import { CONDITION_DEPENDENCIES_READY, CONDITION_READY, type ResourceObject } from '../api/index.ts';
import { refKey, resourceRef } from './dependencies.ts';
import type { StateGraph } from './state-graph.ts';

/** A Resource at the root of a chain of waiting ones: not Ready because of itself. */
export interface RootBlocker {
  /** `namespace/name`. */
  key: string;
  /** Its own Ready message (why it is not Ready). */
  message: string;
}

/**
 * What actually holds `resource` up: following its dependencies through every Resource that is
 * itself only waiting for its dependencies, the ones that are not Ready for a reason of their
 * own. Found when a stack is read (statuses name only the direct dependency), from the same
 * graph the engine orders by; loops are cut.
 */
export function rootBlockers(resource: ResourceObject, graph: StateGraph): RootBlocker[] {
  const roots = new Map<string, RootBlocker>();
  const seen = new Set<string>([refKey(resourceRef(resource))]);
  const visit = (r: ResourceObject) => {
    for (const dependency of graph.dependenciesOf(r)) {
      const key = refKey(resourceRef(dependency));
      if (seen.has(key)) continue;
      seen.add(key);
      const conditions = dependency.status?.conditions ?? [];
      const ready = conditions.find((c) => c.type === CONDITION_READY);
      if (ready?.status === 'True') continue;
      // Waiting for dependencies that exist and are on their way: the hold-up is further up. (A
      // missing or invalid dependency, a cycle: the hold-up is here, and its message says it.)
      const dependencies = conditions.find((c) => c.type === CONDITION_DEPENDENCIES_READY);
      const waiting = dependencies?.status === 'False' && dependencies.reason === 'WaitingForDependencies';
      // No status yet: it waits for its dependencies when one of them is not Ready.
      const waitsUpstream = ready ? waiting : graph.dependenciesOf(dependency).some((d) => !d.status?.conditions?.some((c) => c.type === CONDITION_READY && c.status === 'True'));
      if (waitsUpstream) visit(dependency);
      else roots.set(key, { key, message: ready?.message ?? 'no status yet' });
    }
  };
  visit(resource);
  return [...roots.values()];
}
