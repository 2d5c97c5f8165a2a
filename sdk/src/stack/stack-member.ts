import type { Composite } from './composite.ts';
import { addDependencies, dependenciesOf, parentsOf, type Dependency, type StackNode } from './membership.ts';

/**
 * What Resources and Composites share: dependencies declared with connect(), and the Composite
 * they belong to. The bookkeeping lives outside the object (membership.ts), so the object's own
 * properties stay exactly what the user wrote.
 */
export abstract class StackMember {
  /**
   * Every key the user wrote becomes an own property, known or not, so that validation sees a
   * misspelt `comand` (or a `dependencies:` that belongs in connect()) instead of dropping it or
   * throwing on a getter.
   */
  protected assignOptions(options: object): void {
    for (const [key, value] of Object.entries(options)) Object.defineProperty(this, key, { value, writable: true, enumerable: true, configurable: true });
  }

  /** Declares that this depends on each of `dependencies` (for a Composite: every Resource below it). Chainable. */
  connect(...dependencies: Dependency[]): this {
    addDependencies(this as unknown as StackNode, dependencies);
    return this;
  }

  get dependencies(): readonly Dependency[] {
    return dependenciesOf(this as unknown as StackNode);
  }

  /** The Composite this was added to, if any. */
  get composite(): Composite | undefined {
    return parentsOf(this as unknown as StackNode)[0];
  }
}
