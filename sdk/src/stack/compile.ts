import { ANNOTATION_DEPENDS_ON, dependsOnAnnotationSchema, formatDependencyRef, MAX_DEPENDS_ON_ENTRIES, type CompositeSpec, type DependencyRef, type ResourceSpec, volumeClaimName } from '../api/index.ts';
import { Dag, DependencyModel, type DependencyNode } from '../graph/index.ts';
import { Composite } from './composite.ts';
import { ExternalRef } from './external.ts';
import { dependenciesOf, parentsOf, type Dependency, type StackNode } from './membership.ts';
import { Resource, type ResourceOptions } from './resource.ts';
import { resourceSpecFromOptions, validateCompositeOptions } from './resource-options.ts';
import { StackValidationError, type StackIssue } from './validation-error.ts';

export interface CompiledNode {
  kind: 'Resource' | 'Composite';
  name: string;
  /** `webapp/api-service`: the composites above it, then its name. */
  path: string;
  /** The Composite directly above it, if any. */
  composite: string | undefined;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Dependencies that go into the `clockwork.dev/depends-on` annotation. */
  annotationDependencies: DependencyRef[];
}

export interface CompiledResource extends CompiledNode {
  kind: 'Resource';
  spec: ResourceSpec;
  /** The spec fields that came from AI completion rather than from the user. */
  completed?: string[];
}

export interface CompiledComposite extends CompiledNode {
  kind: 'Composite';
  spec: CompositeSpec;
  /** Names of direct children (Resources and Composites). */
  children: { kind: 'Resource' | 'Composite'; name: string }[];
}

/** A validated stack: what to create, and the order in which it can become Ready. */
export interface CompiledStack {
  namespace: string;
  resources: CompiledResource[];
  composites: CompiledComposite[];
  /** Resource-level dependencies within the stack, composites expanded to their Resources. */
  graph: Dag;
  /** Per Resource, its dependencies outside the stack (inherited from composites included). */
  externalDependencies: ReadonlyMap<string, readonly DependencyRef[]>;
}

export interface CompileOptions {
  namespace?: string;
  /**
   * Fields filled in by AI completion (from the lock file or a model), added to what the user
   * wrote before validation. Only fields the user left out are expected here.
   */
  completions?: ReadonlyMap<Resource, Partial<ResourceOptions>>;
}

/** Validates a stack and resolves its graph. @throws StackValidationError listing every problem. */
export function compileStack(items: readonly unknown[], options: CompileOptions = {}): CompiledStack {
  const namespace = options.namespace ?? 'default';
  const issues: StackIssue[] = [];
  const walk = collect(items, issues);
  const namesUnique = checkNames(walk, issues);

  const resources: CompiledResource[] = [];
  const composites: CompiledComposite[] = [];
  for (const [node, path] of walk.paths) {
    const parent = parentsOf(node)[0];
    const deps = dependenciesOf(node);
    const annotationDependencies: DependencyRef[] = [];
    const siblingDependencies: string[] = [];
    for (const dep of deps) {
      if (dep instanceof ExternalRef) {
        annotationDependencies.push(dep.ref.namespace === namespace ? { ...dep.ref, namespace: undefined } : dep.ref);
      } else if (!walk.paths.has(dep)) {
        const kind = dep instanceof Composite ? 'Composite' : 'Resource';
        issues.push({ resource: path, field: 'dependencies', message: `depends on ${kind} "${describe(dep)}", which is not in the stack (add it to the stack, or declare it with external("${kind === 'Composite' ? 'composite:' : ''}${describe(dep)}"))` });
      } else if (node instanceof Resource && dep instanceof Resource && parentsOf(dep)[0] === parent) {
        siblingDependencies.push(dep.name);
      } else {
        annotationDependencies.push({ kind: dep instanceof Composite ? 'Composite' : 'Resource', name: dep.name });
      }
    }
    const annotation = annotationDependencies.map((d) => formatDependencyRef(d, namespace)).join(',');
    const bounded = dependsOnAnnotationSchema.safeParse(annotation);
    if (!bounded.success)
      issues.push({ resource: path, field: 'dependencies', message: `depends on ${annotationDependencies.length} Resources or Composites outside its composite, written as the ${ANNOTATION_DEPENDS_ON} annotation, which ${bounded.error.issues[0]!.message} (at most ${MAX_DEPENDS_ON_ENTRIES}); depend on a Composite instead of its members` });
    const meta = {
      name: node.name,
      path,
      composite: parent?.name,
      labels: { ...(node.labels ?? {}) },
      annotations: { ...(node.annotations ?? {}) },
      annotationDependencies: sortRefs(annotationDependencies, namespace),
    };
    if (node instanceof Resource) {
      const completed = options.completions?.get(node);
      // The user's own values always win over completed ones.
      const own = Object.fromEntries(Object.entries(node.toOptions()).filter(([, v]) => v !== undefined)) as ResourceOptions;
      const { spec, problems } = resourceSpecFromOptions({ ...completed, ...own }, siblingDependencies.sort());
      for (const p of problems) issues.push({ resource: path, ...p });
      const completedFields = Object.keys(completed ?? {});
      if (spec) resources.push({ kind: 'Resource', ...meta, spec, ...(completedFields.length ? { completed: completedFields } : {}) });
    } else {
      for (const p of validateCompositeOptions(node.toOptions())) issues.push({ resource: path, ...p });
      const { description } = node;
      const children = node.members.map((c) => ({ kind: c instanceof Composite ? ('Composite' as const) : ('Resource' as const), name: c.name }));
      composites.push({ kind: 'Composite', ...meta, spec: description === undefined ? {} : { description }, children });
    }
  }
  checkClaimNames(resources, issues);
  // Every problem at once: cycles too, unless two nodes share a name (then a loop could not be told apart).
  if (namesUnique) checkCycles(walk, issues);
  if (issues.length > 0) throw new StackValidationError(issues);

  const { graph, externalDependencies } = resourceGraph(walk, namespace);
  const byWave = new Map(graph.waves().flatMap((w, i) => w.map((n) => [n, i] as const)));
  resources.sort((a, b) => byWave.get(a.name)! - byWave.get(b.name)! || a.name.localeCompare(b.name));
  composites.sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.name.localeCompare(b.name));
  return { namespace, resources, composites, graph, externalDependencies };
}

interface Walk {
  /** Every node of the stack with its path, in discovery order. */
  paths: Map<StackNode, string>;
}

function describe(node: StackNode): string {
  return typeof node.name === 'string' ? node.name : '<unnamed>';
}

/** Finds every node reachable from the exported items, reporting containment problems. */
function collect(items: readonly unknown[], issues: StackIssue[]): Walk {
  const paths = new Map<StackNode, string>();
  const visit = (node: StackNode, ancestors: Composite[]) => {
    if (node instanceof Composite && ancestors.includes(node)) {
      const loop = [...ancestors.slice(ancestors.indexOf(node)), node].map(describe).join(' → ');
      issues.push({ resource: ancestors.map(describe).join('/'), field: '', message: `composite "${describe(node)}" is added to itself (${loop})` });
      return;
    }
    if (paths.has(node)) return;
    paths.set(node, [...ancestors, node].map(describe).join('/'));
    if (node instanceof Composite) for (const child of node.members) visit(child, [...ancestors, node]);
  };
  items.forEach((item, i) => {
    if (!(item instanceof Resource || item instanceof Composite)) {
      issues.push({ resource: 'stack', field: `[${i}]`, message: `is not a Resource or Composite (got ${item === null ? 'null' : typeof item})` });
      return;
    }
    // An item that belongs to a composite is visited through that composite, so that its path
    // and membership come out the same however the stack lists it.
    const chain: Composite[] = [];
    for (let p = parentsOf(item)[0]; p && !chain.includes(p); p = parentsOf(p)[0]) chain.unshift(p);
    visit(chain[0] ?? item, []);
  });
  for (const [node, path] of paths) {
    const parents = parentsOf(node);
    if (parents.length > 1)
      issues.push({ resource: path, field: '', message: `is added to ${parents.length} composites (${parents.map(describe).join(', ')}); a ${node instanceof Composite ? 'Composite' : 'Resource'} belongs to one at most` });
  }
  return { paths };
}

/** Reports duplicate names; true when there are none. */
function checkNames(walk: Walk, issues: StackIssue[]): boolean {
  const seen = new Map<string, string>();
  let unique = true;
  for (const [node, path] of walk.paths) {
    const key = `${node instanceof Composite ? 'Composite' : 'Resource'}/${describe(node)}`;
    const first = seen.get(key);
    if (first !== undefined) {
      unique = false;
      issues.push({ resource: path, field: 'name', message: `duplicate name: ${node instanceof Composite ? 'Composite' : 'Resource'} "${describe(node)}" is already defined at ${first}` });
    } else seen.set(key, path);
  }
  return unique;
}

/** Two volumes of the namespace must not share a claim (and Docker volume) name. */
function checkClaimNames(resources: readonly CompiledResource[], issues: StackIssue[]): void {
  const seen = new Map<string, string>();
  for (const r of resources)
    (r.spec.volumes ?? []).forEach((v, i) => {
      const claim = volumeClaimName(r.name, v.name);
      const first = seen.get(claim);
      if (first !== undefined)
        issues.push({ resource: r.path, field: `volumes[${i}].name`, message: `its claim name "${claim}" (<resource>-<volume>) is also the claim of ${first}; rename one of the volumes` });
      else seen.set(claim, `${r.path} volume "${v.name}"`);
    });
}

/**
 * The stack as the dependency model's plain data: `r:<name>` and `c:<name>` for its nodes,
 * `external:<ref>` for external dependencies (never nodes) with the refs they stand for.
 */
function stackModel(walk: Walk): { model: DependencyModel; keyOf: (node: StackNode) => string; externals: Map<string, DependencyRef> } {
  const keyOf = (n: StackNode) => `${n instanceof Composite ? 'c' : 'r'}:${n.name}`;
  const externals = new Map<string, DependencyRef>();
  const depKey = (dep: Dependency) => {
    if (dep instanceof ExternalRef) {
      const key = `external:${formatDependencyRef(dep.ref)}`;
      externals.set(key, dep.ref);
      return key;
    }
    // Not in the stack (reported as such): a key that is no node.
    return walk.paths.has(dep) ? keyOf(dep) : `missing:${keyOf(dep)}`;
  };
  const nodes = [...walk.paths.keys()].map((node): DependencyNode => {
    const parent = parentsOf(node)[0];
    return { key: keyOf(node), kind: node instanceof Composite ? 'Composite' : 'Resource', parent: parent && keyOf(parent), dependsOn: dependenciesOf(node).map(depKey) };
  });
  return { model: DependencyModel.of(nodes), keyOf, externals };
}

/** Every dependency cycle, through the Composites it passes (`api → webapp (composite) → api`). */
function checkCycles(walk: Walk, issues: StackIssue[]): void {
  const { model, keyOf } = stackModel(walk);
  const label = (n: string) => (n.startsWith('c:') ? `${n.slice(2)} (composite)` : n.slice(2));
  for (const found of model.cycles([...walk.paths.keys()].map(keyOf))) {
    // Start the loop at a Resource when there is one: `api → webapp (composite) → api`.
    const loop = found.slice(0, -1);
    const start = Math.max(0, loop.findIndex((n) => n.startsWith('r:')));
    const cycle = [...loop.slice(start), ...loop.slice(0, start), loop[start]!];
    const first = [...walk.paths].find(([n]) => keyOf(n) === cycle[0])!;
    issues.push({ resource: first[1], field: 'dependencies', message: `dependency cycle: ${cycle.map(label).join(' → ')}` });
  }
}

/** Resource-level graph: composites expanded; a composite's dependencies inherited by its Resources. */
function resourceGraph(walk: Walk, namespace: string): { graph: Dag; externalDependencies: Map<string, DependencyRef[]> } {
  const { model, keyOf, externals } = stackModel(walk);
  const resources = [...walk.paths.keys()].filter((n) => n instanceof Resource).map(keyOf);
  const name = (key: string) => key.slice(2);
  const graph = Dag.build(new Map([...model.resourceGraph(resources)].map(([key, deps]) => [name(key), deps.map(name)])));
  const externalDependencies = new Map(resources.map((key) => [name(key), sortRefs(model.declared(key).flatMap((d) => externals.get(d) ?? []), namespace)]));
  return { graph, externalDependencies };
}

function sortRefs(refs: DependencyRef[], namespace: string): DependencyRef[] {
  const unique = new Map(refs.map((r) => [formatDependencyRef(r, namespace), r]));
  return [...unique.keys()].sort().map((k) => unique.get(k)!);
}
