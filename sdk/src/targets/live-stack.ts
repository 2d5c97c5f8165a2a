import type { ClockworkObject } from '../api/index.ts';
import { refKey, refOfKey, resourceRef, StateGraph } from '../engine/index.ts';
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
 * (Composites expanded). What a cycle holds up, which the engine reports on the Resources
 * themselves, comes last.
 */
function startWaves(view: MemoryStateView, namespace: string): string[][] {
  const keys = view.resources.filter((r) => (r.metadata.namespace ?? 'default') === namespace).map((r) => refKey(resourceRef(r)));
  return new StateGraph(view).model.waves(keys).map((wave) => wave.map((key) => refOfKey(key).name));
}
