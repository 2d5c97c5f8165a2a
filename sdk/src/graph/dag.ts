import { CycleError } from './cycle-error.ts';

/**
 * An immutable directed acyclic graph of dependencies: an edge `a → b` means "a depends on b".
 * Built once (cycles rejected with a typed error), then only read. Standard library only.
 */
export class Dag {
  readonly #dependencies: ReadonlyMap<string, readonly string[]>;
  readonly #dependents: ReadonlyMap<string, readonly string[]>;
  readonly #waves: readonly (readonly string[])[];

  private constructor(dependencies: Map<string, string[]>) {
    this.#dependencies = dependencies;
    const dependents = new Map<string, string[]>([...dependencies.keys()].map((n) => [n, []]));
    for (const [node, deps] of dependencies) for (const d of deps) dependents.get(d)!.push(node);
    for (const list of dependents.values()) list.sort();
    this.#dependents = dependents;
    this.#waves = layer(dependencies);
  }

  /**
   * @param dependencies every node mapped to the nodes it depends on; a dependency that is not
   *   itself a key is an error (the caller resolves names before building).
   * @throws CycleError listing every cycle.
   */
  static build(dependencies: ReadonlyMap<string, Iterable<string>>): Dag {
    const normalized = new Map<string, string[]>();
    for (const node of [...dependencies.keys()].sort()) {
      const deps = [...new Set(dependencies.get(node))].sort();
      for (const d of deps) if (!dependencies.has(d)) throw new Error(`graph: "${node}" depends on unknown node "${d}"`);
      normalized.set(node, deps);
    }
    const cycles = findCycles(normalized);
    if (cycles.length > 0) throw new CycleError(cycles);
    return new Dag(normalized);
  }

  get nodes(): readonly string[] {
    return [...this.#dependencies.keys()];
  }

  has(node: string): boolean {
    return this.#dependencies.has(node);
  }

  dependenciesOf(node: string): readonly string[] {
    return this.#dependencies.get(node) ?? [];
  }

  dependentsOf(node: string): readonly string[] {
    return this.#dependents.get(node) ?? [];
  }

  /** Layers in start order: every node's dependencies are in earlier layers; each layer sorted. */
  waves(): readonly (readonly string[])[] {
    return this.#waves;
  }

  /** Layers in teardown order: dependents before their dependencies. */
  reverseWaves(): readonly (readonly string[])[] {
    return layer(this.#dependents);
  }

  /** Every node `node` depends on, directly or not. */
  transitiveDependencies(node: string): ReadonlySet<string> {
    const seen = new Set<string>();
    const stack = [...this.dependenciesOf(node)];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...this.dependenciesOf(n));
    }
    return seen;
  }
}

/**
 * Longest-path layering (Kahn's algorithm, iterative so deep chains are fine): a node sits one
 * layer after its deepest dependency. `edges` maps each node to the nodes it must come after.
 */
function layer(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  const pending = new Map<string, number>();
  const after = new Map<string, string[]>();
  for (const [node, deps] of edges) {
    pending.set(node, deps.length);
    for (const d of deps) (after.get(d) ?? after.set(d, []).get(d)!).push(node);
  }
  const waves: string[][] = [];
  let current = [...edges.keys()].filter((n) => pending.get(n) === 0);
  while (current.length > 0) {
    waves.push(current.sort());
    const next: string[] = [];
    for (const n of current)
      for (const m of after.get(n) ?? []) {
        const left = pending.get(m)! - 1;
        pending.set(m, left);
        if (left === 0) next.push(m);
      }
    current = next;
  }
  return waves;
}

/**
 * Every elementary cycle that Tarjan's strongly connected components reveal, one per component,
 * each written `[a, b, …, a]` starting from its smallest node. Self-loops count.
 */
export function findCycles(dependencies: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const lowlinks = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];

  // Iterative Tarjan, so that a 10,000-deep chain does not overflow the call stack.
  for (const root of [...dependencies.keys()].sort()) {
    if (indices.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    indices.set(root, index);
    lowlinks.set(root, index++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const deps = dependencies.get(frame.node) ?? [];
      if (frame.next < deps.length) {
        const d = deps[frame.next++]!;
        if (!indices.has(d)) {
          indices.set(d, index);
          lowlinks.set(d, index++);
          stack.push(d);
          onStack.add(d);
          work.push({ node: d, next: 0 });
        } else if (onStack.has(d)) {
          lowlinks.set(frame.node, Math.min(lowlinks.get(frame.node)!, indices.get(d)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowlinks.set(parent.node, Math.min(lowlinks.get(parent.node)!, lowlinks.get(frame.node)!));
      if (lowlinks.get(frame.node) === indices.get(frame.node)) {
        const component: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          component.push(n);
        } while (n !== frame.node);
        const selfLoop = component.length === 1 && deps.includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components.map((c) => cycleWithin(new Set(c), dependencies)).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** A shortest cycle through the smallest node of a strongly connected component. */
function cycleWithin(component: ReadonlySet<string>, dependencies: ReadonlyMap<string, readonly string[]>): string[] {
  const start = [...component].sort()[0]!;
  const next = (n: string) => (dependencies.get(n) ?? []).filter((d) => component.has(d));
  return shortestCycleThrough(start, next) ?? [start, start];
}

/**
 * A shortest cycle through `start`, written `[start, …, start]`, or undefined when there is none
 * (breadth-first over `next`, the nodes a node depends on). `limit` bounds the nodes visited, for
 * graphs read lazily from a cache.
 */
export function shortestCycleThrough(start: string, next: (node: string) => Iterable<string>, limit = Infinity): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let visited = 0; visited < queue.length && visited < limit; visited++) {
    const n = queue[visited]!;
    for (const d of next(n)) {
      if (d === start) {
        const path = [n];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(d)) {
        previous.set(d, n);
        queue.push(d);
      }
    }
  }
  return undefined;
}

/**
 * Layers like `Dag.waves` (or `reverseWaves`) for a graph that may hold cycles, such as objects
 * read back from a target without validation: what a cycle holds up (on it, or after it) comes
 * last, in one wave in name order. Dependencies on nodes that are not keys are ignored.
 */
export function wavesAllowingCycles(dependencies: ReadonlyMap<string, Iterable<string>>, options: { reverse?: boolean } = {}): string[][] {
  const edges = new Map<string, string[]>([...dependencies.keys()].map((n) => [n, []]));
  for (const [node, deps] of dependencies)
    for (const d of new Set(deps)) {
      if (!edges.has(d) || d === node) continue;
      if (options.reverse) edges.get(d)!.push(node);
      else edges.get(node)!.push(d);
    }
  const waves = layer(edges);
  const placed = new Set(waves.flat());
  const held = [...edges.keys()].filter((n) => !placed.has(n)).sort();
  return held.length ? [...waves, held] : waves;
}
