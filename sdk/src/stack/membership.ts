import type { Composite } from './composite.ts';
import type { Resource } from './resource.ts';
import type { ExternalRef } from './external.ts';
import { StackMember } from './stack-member.ts';

/** The graph bookkeeping of a stack's objects, read by compile and completion. */
export type StackNode = Resource | Composite;
export type Dependency = StackNode | ExternalRef;

export function addParent(child: StackNode, parent: Composite): void {
  StackMember.addParent(child, parent);
}

export function parentsOf(node: StackNode): readonly Composite[] {
  return StackMember.parentsOf(node);
}

export function dependenciesOf(node: StackNode): readonly Dependency[] {
  return StackMember.dependenciesOf(node);
}
