import type { Composite } from './composite.ts';
import type { Dependency } from './membership.ts';

/**
 * What Resources and Composites share: dependencies declared with connect(), and the Composite
 * they belong to. The bookkeeping is held in private fields, so the object's own enumerable
 * properties stay exactly what the user wrote (and a misspelt field is caught by validation).
 */
export abstract class StackMember {
  readonly #parents: Composite[] = [];
  readonly #dependencies: Dependency[] = [];

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
    for (const d of dependencies) if (!this.#dependencies.includes(d)) this.#dependencies.push(d);
    return this;
  }

  get dependencies(): readonly Dependency[] {
    return this.#dependencies;
  }

  /** The Composite this was added to, if any. */
  get composite(): Composite | undefined {
    return this.#parents[0];
  }

  /** Every Composite this was added to (more than one is reported on compile). */
  static parentsOf(member: StackMember): readonly Composite[] {
    return member.#parents;
  }

  /** What `member` declared with connect() (read here: a user's own `dependencies:` option may shadow the getter). */
  static dependenciesOf(member: StackMember): readonly Dependency[] {
    return member.#dependencies;
  }

  /** Records that `parent` holds `child` (Composite.add). */
  static addParent(child: StackMember, parent: Composite): void {
    if (!child.#parents.includes(parent)) child.#parents.push(parent);
  }
}
