import { findCycles, shortestCycleThrough, wavesAllowingCycles } from './dag.ts';

/**
 * One Resource or Composite as plain data. Keys are the caller's (`ns/name` and
 * `composite:ns/name` in the engine, names in a stack file); the model never parses them.
 */
export interface DependencyNode {
  key: string;
  kind: 'Resource' | 'Composite';
  /** The key of the Composite it sits in directly. */
  parent?: string | undefined;
  /**
   * What it declares it depends on: Resources, and Composites standing for every Resource below
   * them. A key that is not a node is a dependency that is not there (external, or missing).
   */
  dependsOn: readonly string[];
}

/** Where the model reads nodes: a list held in memory, or a cache read on demand. */
export interface NodeSource {
  node(key: string): DependencyNode | undefined;
  /** The nodes whose parent is `key`. */
  children(key: string): readonly DependencyNode[];
}

/**
 * The one dependency rule of Clockwork, over plain data: a Resource waits for its own
 * dependencies and for those of every Composite above it, and a Composite stands for every
 * Resource below it. Pure and read-only; membership loops are cut, dependency cycles are found
 * (never followed forever).
 */
export class DependencyModel {
  readonly #source: NodeSource;

  constructor(source: NodeSource) {
    this.#source = source;
  }

  /** A model over nodes held in memory. */
  static of(nodes: Iterable<DependencyNode>): DependencyModel {
    const byKey = new Map<string, DependencyNode>();
    const children = new Map<string, DependencyNode[]>();
    for (const n of nodes) {
      byKey.set(n.key, n);
      if (n.parent !== undefined) (children.get(n.parent) ?? children.set(n.parent, []).get(n.parent)!).push(n);
    }
    return new DependencyModel({ node: (key) => byKey.get(key), children: (key) => children.get(key) ?? [] });
  }

  node(key: string): DependencyNode | undefined {
    return this.#source.node(key);
  }

  /**
   * The Composites above a node, innermost first. Given a node rather than a key, from that
   * version of it (an object just deleted, or as it was before an update).
   */
  ancestors(of: string | DependencyNode): DependencyNode[] {
    const start = typeof of === 'string' ? this.node(of) : of;
    const out: DependencyNode[] = [];
    const seen = new Set([typeof of === 'string' ? of : of.key]);
    for (let parent = start?.parent; parent !== undefined && !seen.has(parent); ) {
      seen.add(parent);
      const composite = this.node(parent);
      if (composite?.kind !== 'Composite') break;
      out.push(composite);
      parent = composite.parent;
    }
    return out;
  }

  /** Every Resource and Composite below a Composite, nearest first. */
  descendants(key: string): { resources: DependencyNode[]; composites: DependencyNode[] } {
    const resources: DependencyNode[] = [];
    const composites: DependencyNode[] = [];
    const seen = new Set([key]);
    const queue = [key];
    for (let i = 0; i < queue.length; i++)
      for (const child of this.#source.children(queue[i]!)) {
        if (child.kind === 'Resource') resources.push(child);
        else if (!seen.has(child.key)) {
          seen.add(child.key);
          composites.push(child);
          queue.push(child.key);
        }
      }
    return { resources, composites };
  }

  /** What a node waits for as declared: its own dependencies, then its Composites', each once. */
  declared(key: string): string[] {
    const node = this.node(key);
    if (!node) return [];
    return [...new Set([node, ...this.ancestors(key)].flatMap((n) => n.dependsOn))];
  }

  /** What one declared dependency stands for: the Resource itself, or every Resource below the Composite. */
  expand(key: string): { found: boolean; resources: string[] } {
    const node = this.node(key);
    if (!node) return { found: false, resources: [] };
    if (node.kind === 'Resource') return { found: true, resources: [key] };
    return { found: true, resources: this.descendants(key).resources.map((r) => r.key) };
  }

  /** The Resources a node waits for, Composites expanded (itself included when it waits for its own Composite). */
  dependencies(key: string): string[] {
    return [...new Set(this.declared(key).flatMap((d) => this.expand(d).resources))];
  }

  /** The shortest dependency cycle through a Resource, `[a, …, a]`, or undefined. */
  cycleThrough(key: string, limit = 10_000): string[] | undefined {
    return shortestCycleThrough(key, (n) => this.dependencies(n), limit);
  }

  /** Resource → the Resources of `keys` it waits for (itself left out): a graph for `Dag` or `layers`. */
  resourceGraph(keys: Iterable<string>): Map<string, string[]> {
    const within = new Set(keys);
    return new Map([...within].map((k) => [k, this.dependencies(k).filter((d) => d !== k && within.has(d))]));
  }

  /** Dependency → the Resources of `keys` that wait for it. */
  dependents(keys: Iterable<string>): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [key, deps] of this.resourceGraph(keys)) for (const d of deps) (out.get(d) ?? out.set(d, []).get(d)!).push(key);
    return out;
  }

  /**
   * Start order of the Resources of `keys` (teardown order with `reverse`), tolerating cycles:
   * what a cycle holds up comes last, in one wave.
   */
  waves(keys: Iterable<string>, options: { reverse?: boolean } = {}): string[][] {
    return wavesAllowingCycles(this.resourceGraph(keys), options);
  }

  /**
   * Every dependency cycle among `keys`, on a graph that keeps Composites as nodes (a Composite
   * waits for its children; they wait for what it depends on), so that a loop through a
   * Composite shows it: `[api, composite:webapp, api]`.
   */
  cycles(keys: Iterable<string>): string[][] {
    const edges = new Map<string, string[]>();
    const add = (from: string, to: string) => (edges.get(from) ?? edges.set(from, []).get(from)!).push(to);
    const nodes = [...keys].map((k) => this.node(k)).filter((n): n is DependencyNode => n !== undefined);
    for (const node of nodes) {
      edges.set(node.key, edges.get(node.key) ?? []);
      const targets = node.dependsOn.filter((d) => this.node(d));
      if (node.kind === 'Composite') {
        // A membership loop (a Composite inside itself) is not a dependency cycle: its edges are left out.
        const inLoop = (child: DependencyNode) => child.key === node.key || this.descendants(child.key).composites.some((c) => c.key === node.key);
        for (const child of this.#source.children(node.key)) if (!inLoop(child)) add(node.key, child.key);
        for (const r of this.descendants(node.key).resources) for (const t of targets) add(r.key, t);
      } else for (const t of targets) add(node.key, t);
    }
    return findCycles(edges);
  }
}
