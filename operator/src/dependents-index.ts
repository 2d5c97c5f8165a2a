import type { ResourceObject } from '../../sdk/src/api/index.ts';
import { directDependencies, refKey, type StateView } from '../../sdk/src/engine/index.ts';

/**
 * Dependency → dependents, so that the watch event that makes a dependency Ready (or creates a
 * missing one) wakes exactly the Resources waiting for it. Keys are the engine's refKeys:
 * `ns/name` for a Resource, `composite:ns/name` for a Composite.
 */
export class DependentsIndex {
  readonly #forward = new Map<string, Set<string>>();
  readonly #reverse = new Map<string, Set<string>>();

  /** Records what `dependent` (a Resource key) waits for now. */
  set(dependent: string, dependencies: Iterable<string>): void {
    this.remove(dependent);
    const deps = new Set(dependencies);
    this.#forward.set(dependent, deps);
    for (const d of deps) {
      let set = this.#reverse.get(d);
      if (!set) this.#reverse.set(d, (set = new Set()));
      set.add(dependent);
    }
  }

  remove(dependent: string): void {
    for (const d of this.#forward.get(dependent) ?? []) {
      const set = this.#reverse.get(d);
      set?.delete(dependent);
      if (set?.size === 0) this.#reverse.delete(d);
    }
    this.#forward.delete(dependent);
  }

  dependentsOf(dependency: string): string[] {
    return [...(this.#reverse.get(dependency) ?? [])];
  }

  dependenciesOf(dependent: string): string[] {
    return [...(this.#forward.get(dependent) ?? [])];
  }
}

/** The keys a Resource waits for: its own dependencies and those its Composites declare. */
export function dependencyKeys(resource: ResourceObject, view: StateView): string[] {
  const refs = [...directDependencies(resource).refs, ...view.ancestorsOf(resource).flatMap((c) => directDependencies(c).refs)];
  return [...new Set(refs.map(refKey))];
}
