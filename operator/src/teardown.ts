import type { CompositeObject, ResourceObject } from '../../sdk/src/api/index.ts';
import { refKey, resourceRef, type StateGraph } from '../../sdk/src/engine/index.ts';

export type TeardownStep = { kind: 'resources'; objects: ResourceObject[] } | { kind: 'composites'; objects: CompositeObject[] } | { kind: 'done' };

/**
 * The next wave of a Composite's teardown, computed from what still exists: first the
 * descendant Resources that no remaining descendant depends on (the first of the dependency
 * model's teardown waves), wave after wave; then the nested Composites (whose own teardown finds
 * nothing left); then done. A cycle among the rest is deleted at once, as it has no order.
 */
export function teardownStep(composite: CompositeObject, graph: StateGraph): TeardownStep {
  const tree = graph.descendantTree(composite);
  if (tree.resources.length > 0) {
    const byKey = new Map(tree.resources.map((r) => [refKey(resourceRef(r)), r]));
    const [first = []] = graph.model.waves(byKey.keys(), { reverse: true });
    return { kind: 'resources', objects: first.map((key) => byKey.get(key)!) };
  }
  if (tree.composites.length > 0) return { kind: 'composites', objects: tree.composites };
  return { kind: 'done' };
}
