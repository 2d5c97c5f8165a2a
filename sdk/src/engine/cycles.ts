import type { ResourceObject } from '../api/index.ts';
import type { StateView } from './backend.ts';
import { directDependencies } from './dependencies.ts';

/**
 * The dependency cycle `resource` is on, as keys `[a, b, a]`, or undefined. Follows the objects
 * that exist now (Composites expanded to their Resources, their own dependencies inherited), so
 * every member of a cycle reports the same loop.
 */
export function findDependencyCycle(resource: ResourceObject, view: StateView, limit = 10_000): string[] | undefined {
  const start = keyOf(resource);
  const previous = new Map<string, string>();
  const queue: ResourceObject[] = [resource];
  let visited = 0;
  while (queue.length > 0 && visited++ < limit) {
    const current = queue.shift()!;
    for (const next of resolvedDependencies(current, view)) {
      const key = keyOf(next);
      if (key === start) {
        const path = [keyOf(current)];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(key)) {
        previous.set(key, keyOf(current));
        queue.push(next);
      }
    }
  }
  return undefined;
}

function keyOf(resource: ResourceObject): string {
  return `${resource.metadata.namespace ?? 'default'}/${resource.metadata.name}`;
}

/** The Resources `resource` waits for, as they exist in the view. */
export function resolvedDependencies(resource: ResourceObject, view: StateView): ResourceObject[] {
  const refs = [...directDependencies(resource).refs, ...view.ancestorsOf(resource).flatMap((c) => directDependencies(c).refs)];
  const out = new Map<string, ResourceObject>();
  for (const ref of refs) {
    if (ref.kind === 'Resource') {
      const r = view.getResource(ref.namespace, ref.name);
      if (r) out.set(keyOf(r), r);
    } else {
      const c = view.getComposite(ref.namespace, ref.name);
      if (c) for (const r of view.descendantsOf(c)) out.set(keyOf(r), r);
    }
  }
  return [...out.values()];
}
