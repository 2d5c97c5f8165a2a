import type { CompositeObject, ResourceObject } from '../../sdk/src/api/index.ts';
import { resolvedDependencies } from '../../sdk/src/engine/index.ts';
import type { CacheView } from './cache-view.ts';

export type TeardownStep = { kind: 'resources'; objects: ResourceObject[] } | { kind: 'composites'; objects: CompositeObject[] } | { kind: 'done' };

const keyOf = (r: ResourceObject) => `${r.metadata.namespace ?? 'default'}/${r.metadata.name}`;

/**
 * The next wave of a Composite's teardown, computed from what still exists: first the
 * descendant Resources that no remaining descendant depends on (dependents before their
 * dependencies), wave after wave; then the nested Composites (whose own teardown finds nothing
 * left); then done. A cycle among the rest is deleted at once, as it has no order.
 */
export function teardownStep(composite: CompositeObject, view: CacheView): TeardownStep {
  const tree = view.descendantTree(composite);
  if (tree.resources.length > 0) {
    const remaining = new Set(tree.resources.map(keyOf));
    const dependedOn = new Set<string>();
    for (const r of tree.resources) for (const d of resolvedDependencies(r, view)) if (remaining.has(keyOf(d)) && keyOf(d) !== keyOf(r)) dependedOn.add(keyOf(d));
    const wave = tree.resources.filter((r) => !dependedOn.has(keyOf(r)));
    return { kind: 'resources', objects: wave.length ? wave : tree.resources };
  }
  if (tree.composites.length > 0) return { kind: 'composites', objects: tree.composites };
  return { kind: 'done' };
}
