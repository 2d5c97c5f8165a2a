import type { ClockworkObject } from '../api/index.ts';
import { resolvedDependencies } from '../engine/index.ts';
import { Dag } from '../graph/index.ts';
import { MemoryStateView } from './memory-state-view.ts';

/**
 * The Clockwork objects a target holds, one stack view per namespace: what `status --all` reads
 * when there is no stack file. Namespaces in name order.
 */
export function liveStacks(objects: readonly ClockworkObject[]): { namespace: string; view: MemoryStateView; waves: string[][] }[] {
  const byNamespace = new Map<string, ClockworkObject[]>();
  for (const o of objects) {
    const namespace = o.metadata.namespace ?? 'default';
    const list = byNamespace.get(namespace) ?? [];
    list.push(o);
    byNamespace.set(namespace, list);
  }
  return [...byNamespace.keys()].sort().map((namespace) => {
    const view = new MemoryStateView(byNamespace.get(namespace)!);
    return { namespace, view, waves: startWaves(view, namespace) };
  });
}

/**
 * The Resources of a namespace in start order, from the dependencies their objects declare
 * (Composites expanded). A cycle, which the engine reports on the Resources themselves, leaves
 * one wave in name order.
 */
function startWaves(view: MemoryStateView, namespace: string): string[][] {
  const resources = view.resources.filter((r) => (r.metadata.namespace ?? 'default') === namespace);
  const dependencies = new Map(
    resources.map((r) => [
      r.metadata.name,
      resolvedDependencies(r, view)
        .filter((d) => (d.metadata.namespace ?? 'default') === namespace && d.metadata.name !== r.metadata.name)
        .map((d) => d.metadata.name),
    ]),
  );
  try {
    return Dag.build(dependencies).waves().map((w) => [...w]);
  } catch {
    return resources.length ? [resources.map((r) => r.metadata.name).sort()] : [];
  }
}
