import { DependencyModel, type DependencyNode } from '../graph/index.ts';
import { Composite } from '../stack/composite.ts';
import { ExternalRef } from '../stack/external.ts';
import { dependenciesOf, parentsOf, type StackNode } from '../stack/membership.ts';
import { Resource } from '../stack/resource.ts';

/** A stack as completion sees it, before validation. */
export interface StackWalk {
  /**
   * The Resources of the stack in dependency order (a Resource after what it depends on, so
   * that a completed dependency is context for its dependents).
   */
  resources: Resource[];
  /** The Composites above a node, nearest first. */
  ancestorsOf(node: StackNode): Composite[];
  /** What a Resource waits for: its own dependencies and its composites', composites expanded. */
  dependenciesOf(resource: Resource): (Resource | ExternalRef)[];
}

/**
 * Walks the objects a stack file exports through the dependency model. Tolerates what compile
 * rejects (cycles, foreign items, duplicate names): completion runs before validation and must
 * not crash on them, so nodes are keyed by identity, not by name.
 */
export function walkStack(items: readonly unknown[]): StackWalk {
  const keys = new Map<StackNode, string>();
  const externals = new Map<string, ExternalRef>();
  const keyOf = (node: StackNode) => keys.get(node)!;
  // Every node the stack reaches: members, the Composites above them, and what they depend on.
  const reach = (node: StackNode) => {
    if (keys.has(node)) return;
    keys.set(node, `${String(keys.size).padStart(6, '0')}:${node instanceof Composite ? 'c' : 'r'}`);
    const parent = parentsOf(node)[0];
    if (parent) reach(parent);
    if (node instanceof Composite) for (const child of node.members) reach(child);
    for (const dep of dependenciesOf(node)) if (!(dep instanceof ExternalRef)) reach(dep);
  };
  const inStack: Resource[] = [];
  const seen = new Set<StackNode>();
  const visit = (node: StackNode) => {
    if (seen.has(node)) return;
    seen.add(node);
    reach(node);
    if (node instanceof Resource) inStack.push(node);
    else for (const child of node.members) visit(child);
  };
  for (const item of items) if (item instanceof Resource || item instanceof Composite) visit(outermost(item));

  const byKey = new Map([...keys].map(([node, key]) => [key, node]));
  const model = DependencyModel.of(
    [...keys].map(([node, key]): DependencyNode => {
      const parent = parentsOf(node)[0];
      const dependsOn = dependenciesOf(node).map((dep) => {
        if (!(dep instanceof ExternalRef)) return keyOf(dep);
        const external = `external:${externals.size}`;
        externals.set(external, dep);
        return external;
      });
      return { key, kind: node instanceof Composite ? 'Composite' : 'Resource', parent: parent && keyOf(parent), dependsOn };
    }),
  );
  return {
    resources: model
      .waves(inStack.map(keyOf))
      .flat()
      .map((key) => byKey.get(key) as Resource),
    ancestorsOf: (node) => model.ancestors(keyOf(node)).map((n) => byKey.get(n.key) as Composite),
    dependenciesOf: (resource) => {
      const self = keyOf(resource);
      const expanded = (d: string): (Resource | ExternalRef)[] => {
        const external = externals.get(d);
        return external ? [external] : model.expand(d).resources.filter((r) => r !== self).map((r) => byKey.get(r) as Resource);
      };
      return [...new Set(model.declared(self).flatMap(expanded))];
    },
  };
}

/** The outermost Composite above an item (the item itself when it sits in none). */
function outermost(node: StackNode): StackNode {
  const chain: StackNode[] = [node];
  for (let p = parentsOf(node)[0]; p && !chain.includes(p); p = parentsOf(p)[0]) chain.push(p);
  return chain.at(-1)!;
}
