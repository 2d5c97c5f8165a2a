import type { Composite } from './composite.ts';
import type { Resource } from './resource.ts';
import type { ExternalRef } from './external.ts';

/**
 * Graph bookkeeping kept outside the node objects, so that a Resource's own enumerable
 * properties are exactly what the user wrote (and a misspelt field is caught by validation).
 */
export type StackNode = Resource | Composite;
export type Dependency = StackNode | ExternalRef;

const parents = new WeakMap<StackNode, Composite[]>();
const dependencies = new WeakMap<StackNode, Dependency[]>();

export function addParent(child: StackNode, parent: Composite): void {
  const list = parents.get(child) ?? [];
  if (!list.includes(parent)) list.push(parent);
  parents.set(child, list);
}

export function parentsOf(node: StackNode): readonly Composite[] {
  return parents.get(node) ?? [];
}

export function addDependencies(node: StackNode, deps: readonly Dependency[]): void {
  const list = dependencies.get(node) ?? [];
  for (const d of deps) if (!list.includes(d)) list.push(d);
  dependencies.set(node, list);
}

export function dependenciesOf(node: StackNode): readonly Dependency[] {
  return dependencies.get(node) ?? [];
}
