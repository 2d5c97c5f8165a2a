/**
 * Dependency → dependents, kept up to date one dependent at a time, so that the change that
 * makes a dependency Ready wakes exactly what waits for it.
 */
export class DependentsIndex {
  readonly #forward = new Map<string, Set<string>>();
  readonly #reverse = new Map<string, Set<string>>();

  /** Records what `dependent` waits for now. */
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
