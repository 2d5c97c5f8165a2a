import { LABEL_COMPOSITE, type ClockworkObject, type CompositeObject, type ResourceObject } from '../api/index.ts';
import { DependencyModel, type DependencyNode } from '../graph/index.ts';
import type { StateView } from './backend.ts';
import { directDependencies, refKey, refOfKey, type ResolvedRef } from './dependencies.ts';

/**
 * An object as a node of the dependency model: keys are `refKey`s, membership is the Composite
 * label. The kind is the caller's (which cache it came from): list items may leave it out.
 */
export function nodeOf(object: ClockworkObject, kind: ClockworkObject['kind']): DependencyNode {
  const namespace = object.metadata.namespace ?? 'default';
  const parent = object.metadata.labels?.[LABEL_COMPOSITE];
  return {
    key: keyOf(object, kind),
    kind,
    ...(parent !== undefined ? { parent: refKey({ kind: 'Composite', namespace, name: parent }) } : {}),
    dependsOn: directDependencies(object).refs.map(refKey),
  };
}

/**
 * The dependency model over the objects a StateView holds, read on demand (an informer cache
 * is not copied on every reconcile). What the engine, the operator and the targets ask of the
 * stack's structure they ask here; the rule itself lives in `graph/`.
 */
export class StateGraph {
  readonly model: DependencyModel;
  readonly view: StateView;
  /** Nodes by object: an object from a cache is replaced, never changed, when it changes. */
  readonly #nodes = new WeakMap<ClockworkObject, DependencyNode>();

  constructor(view: StateView) {
    this.view = view;
    this.model = new DependencyModel({
      node: (key) => {
        const ref = refOfKey(key);
        const object = this.#object(ref);
        return object && this.#node(object, ref.kind);
      },
      children: (key) => {
        const { namespace, name } = refOfKey(key);
        const { resources, composites } = view.membersOf(namespace, name);
        return [...resources.map((r) => this.#node(r, 'Resource')), ...composites.map((c) => this.#node(c, 'Composite'))];
      },
    });
  }

  /** The Composites an object sits in, innermost first (from this version of the object, which may be gone). */
  ancestorsOf(object: ClockworkObject): CompositeObject[] {
    return this.model.ancestors(this.#node(object, object.kind)).map((n) => this.#object(refOfKey(n.key)) as CompositeObject);
  }

  /** Every Resource and Composite below a Composite. */
  descendantTree(composite: CompositeObject): { resources: ResourceObject[]; composites: CompositeObject[] } {
    const { resources, composites } = this.model.descendants(keyOf(composite, 'Composite'));
    return { resources: resources.map((n) => this.#resource(n.key)!), composites: composites.map((n) => this.#object(refOfKey(n.key)) as CompositeObject) };
  }

  descendantsOf(composite: CompositeObject): ResourceObject[] {
    return this.descendantTree(composite).resources;
  }

  /** What a Resource waits for as declared, by key: its own dependencies, then its Composites'. */
  declaredKeys(resource: ResourceObject): string[] {
    return this.model.declared(keyOf(resource, 'Resource'));
  }

  declaredDependencies(resource: ResourceObject): ResolvedRef[] {
    return this.declaredKeys(resource).map(refOfKey);
  }

  /** What one dependency stands for now: the Resource, or every Resource below the Composite. */
  expand(ref: ResolvedRef): { found: boolean; resources: ResourceObject[] } {
    const { found, resources } = this.model.expand(refKey(ref));
    return { found, resources: resources.map((k) => this.#resource(k)!) };
  }

  /** The Resources a Resource waits for, as they exist now. */
  dependenciesOf(resource: ResourceObject): ResourceObject[] {
    return this.model.dependencies(keyOf(resource, 'Resource')).map((k) => this.#resource(k)!);
  }

  /** The dependency cycle a Resource is on, as keys `[a, b, a]`, or undefined. */
  cycleOf(resource: ResourceObject): string[] | undefined {
    return this.model.cycleThrough(keyOf(resource, 'Resource'));
  }

  #resource(key: string): ResourceObject | undefined {
    const { namespace, name } = refOfKey(key);
    return this.view.getResource(namespace, name);
  }

  #object(ref: ResolvedRef): ClockworkObject | undefined {
    return ref.kind === 'Resource' ? this.view.getResource(ref.namespace, ref.name) : this.view.getComposite(ref.namespace, ref.name);
  }

  #node(object: ClockworkObject, kind: ClockworkObject['kind']): DependencyNode {
    let node = this.#nodes.get(object);
    if (!node) this.#nodes.set(object, (node = nodeOf(object, kind)));
    return node;
  }
}

function keyOf(object: ClockworkObject, kind: ClockworkObject['kind']): string {
  return refKey({ kind, namespace: object.metadata.namespace ?? 'default', name: object.metadata.name });
}
