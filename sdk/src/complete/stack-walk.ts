import { Composite } from '../stack/composite.ts';
import { ExternalRef } from '../stack/external.ts';
import { dependenciesOf, parentsOf, type StackNode } from '../stack/membership.ts';
import { Resource } from '../stack/resource.ts';

/**
 * The Resources of a stack in dependency order (a Resource after what it depends on, so that
 * a completed dependency is context for its dependents). Tolerates what compile rejects
 * (cycles, foreign items): completion runs before validation and must not crash on them.
 */
export function resourcesInDependencyOrder(items: readonly unknown[]): Resource[] {
  const inStack = new Set<Resource>();
  const seen = new Set<StackNode>();
  const visit = (node: StackNode) => {
    if (seen.has(node)) return;
    seen.add(node);
    if (node instanceof Resource) inStack.add(node);
    else for (const child of node.members) visit(child);
  };
  for (const item of items) {
    if (!(item instanceof Resource || item instanceof Composite)) continue;
    visit(ancestorsOf(item).at(-1) ?? item);
  }
  const ordered: Resource[] = [];
  const done = new Set<Resource>();
  const onPath = new Set<Resource>();
  const place = (r: Resource) => {
    if (done.has(r) || onPath.has(r)) return;
    onPath.add(r);
    for (const dep of resourceDependencies(r)) if (dep instanceof Resource && inStack.has(dep)) place(dep);
    onPath.delete(r);
    done.add(r);
    ordered.push(r);
  };
  for (const r of inStack) place(r);
  return ordered;
}

/** The Composites above a node, nearest first. */
export function ancestorsOf(node: StackNode): Composite[] {
  const out: Composite[] = [];
  for (let p = parentsOf(node)[0]; p && !out.includes(p); p = parentsOf(p)[0]) out.push(p);
  return out;
}

function descendantResources(node: StackNode, seen = new Set<StackNode>()): Resource[] {
  if (seen.has(node)) return [];
  seen.add(node);
  if (node instanceof Resource) return [node];
  return node.members.flatMap((m) => descendantResources(m, seen));
}

/** What a Resource waits for: its own dependencies and its composites', composites expanded. */
export function resourceDependencies(resource: Resource): (Resource | ExternalRef)[] {
  const out: (Resource | ExternalRef)[] = [];
  for (const source of [resource, ...ancestorsOf(resource)])
    for (const dep of dependenciesOf(source)) {
      const expanded = dep instanceof ExternalRef ? [dep] : descendantResources(dep);
      for (const d of expanded) if (d !== resource && !out.includes(d)) out.push(d);
    }
  return out;
}
