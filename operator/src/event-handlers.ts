import type { KubernetesObject } from '@kubernetes/client-node';
import { ANNOTATION_ALLOW_DEPENDENTS_FROM, ANNOTATION_DEPENDS_ON, CONDITION_READY, CONDITION_STALLED, LABEL_COMPOSITE, LABEL_RESOURCE, type CompositeObject, type ResourceObject } from '../../sdk/src/api/index.ts';
import { canonicalJson, refOfKey, type StateGraph } from '../../sdk/src/engine/index.ts';
import type { DependentsIndex } from '../../sdk/src/graph/index.ts';
import type { InformerSet } from './informer-set.ts';

/** Queue keys: `Resource/ns/name` and `Composite/ns/name`. */
export const resourceKey = (namespace: string, name: string) => `Resource/${namespace}/${name}`;
export const compositeKey = (namespace: string, name: string) => `Composite/${namespace}/${name}`;

const ns = (o: { metadata: { namespace?: string } }) => o.metadata.namespace ?? 'default';

const conditionOf = (o: ResourceObject | CompositeObject, type: string) => o.status?.conditions?.find((c) => c.type === type);

/**
 * What dependents of an object see of it: a change of any of these wakes them. Whether it is
 * Ready (or Stalled), not why: a dependent's status names its dependency, never the dependency's
 * message, so a message changing upstream wakes nobody.
 */
function facingDependents(o: ResourceObject | CompositeObject | undefined): string {
  if (!o) return '';
  return canonicalJson({
    ready: conditionOf(o, CONDITION_READY)?.status === 'True',
    stalled: conditionOf(o, CONDITION_STALLED)?.status === 'True',
    dependsOn: o.kind === 'Resource' ? o.spec.dependsOn : undefined,
    ports: o.kind === 'Resource' ? o.spec.ports?.[0]?.port : undefined,
    annotation: o.metadata.annotations?.[ANNOTATION_DEPENDS_ON],
    parent: o.metadata.labels?.[LABEL_COMPOSITE],
    deleting: Boolean(o.metadata.deletionTimestamp),
  });
}

/** What the Composites above an object roll up of it: its readiness and why, its membership, its owners. */
function facingComposites(o: ResourceObject | CompositeObject | undefined): string {
  if (!o) return '';
  const ready = conditionOf(o, CONDITION_READY);
  return canonicalJson({
    ready: ready && [ready.status, ready.reason],
    stalled: conditionOf(o, CONDITION_STALLED)?.status === 'True',
    parent: o.metadata.labels?.[LABEL_COMPOSITE],
    owners: (o.metadata.ownerReferences ?? []).map((r) => r.uid),
    deleting: Boolean(o.metadata.deletionTimestamp),
  });
}

/** What a Composite's descendants and dependents see of it (not its own status). */
function facingDescendants(c: CompositeObject | undefined): string {
  if (!c) return '';
  return canonicalJson({ annotation: c.metadata.annotations?.[ANNOTATION_DEPENDS_ON], parent: c.metadata.labels?.[LABEL_COMPOSITE], deleting: Boolean(c.metadata.deletionTimestamp) });
}

/**
 * Turns watch events (and the operator's own writes, fed back into the caches) into queue keys.
 * A Resource's event queues itself; the Resources waiting for it are woken (through the
 * dependents index) only when something they see changed — its readiness, its port, its own
 * dependencies — and its Composites only when something they roll up changed, so a status write
 * that changes nothing for them wakes nobody.
 */
export interface EventHandlers {
  /** A Resource changed outside the watch (a status being written): wake what its change concerns. */
  resourceChanged(previous: ResourceObject, current: ResourceObject): void;
}

export function registerEventHandlers(informers: InformerSet, graph: StateGraph, index: DependentsIndex, enqueue: (key: string) => void): EventHandlers {
  const wakeDependents = (dependencyKey: string) => {
    for (const dependent of index.dependentsOf(dependencyKey)) {
      const [namespace, name] = dependent.split('/');
      enqueue(resourceKey(namespace!, name!));
    }
  };
  const indexResource = (r: ResourceObject) => indexDependencies(index, graph, r);
  const wakeComposites = (o: ResourceObject | CompositeObject, changed: boolean) => {
    for (const c of graph.ancestorsOf(o)) {
      enqueue(compositeKey(ns(c), c.metadata.name));
      if (changed) wakeDependents(`composite:${ns(c)}/${c.metadata.name}`);
    }
  };
  /** A member's change reaches its Composites only when it changes what they roll up. */
  const wakeCompositesIf = (o: ResourceObject | CompositeObject, previous: ResourceObject | CompositeObject | undefined, current: ResourceObject | CompositeObject | undefined, changed: boolean) => {
    if (changed || facingComposites(previous) !== facingComposites(current)) wakeComposites(o, changed);
  };

  const onResource = (previous: ResourceObject | undefined, current: ResourceObject | undefined) => {
    const r = (current ?? previous)!;
    const key = `${ns(r)}/${r.metadata.name}`;
    if (current) indexResource(current);
    else index.remove(key);
    enqueue(resourceKey(ns(r), r.metadata.name));
    const changed = facingDependents(previous) !== facingDependents(current);
    if (changed) wakeDependents(key);
    if (previous) wakeCompositesIf(previous, previous, current, changed);
    if (current) wakeCompositesIf(current, previous, current, changed);
  };
  informers.resources.on({
    onAdd: (o) => onResource(undefined, o),
    onUpdate: (p, o) => onResource(p, o),
    onDelete: (o) => onResource(o, undefined),
  });

  const onComposite = (previous: CompositeObject | undefined, current: CompositeObject | undefined) => {
    const c = (current ?? previous)!;
    enqueue(compositeKey(ns(c), c.metadata.name));
    const changed = facingDescendants(previous) !== facingDescendants(current);
    if (!changed) return;
    wakeDependents(`composite:${ns(c)}/${c.metadata.name}`);
    if (previous) wakeComposites(previous, true);
    if (current) wakeComposites(current, true);
    // Its descendants inherit its dependencies and its place in the tree.
    const tree = graph.descendantTree(c);
    for (const r of tree.resources) {
      indexResource(r);
      enqueue(resourceKey(ns(r), r.metadata.name));
    }
    for (const child of tree.composites) enqueue(compositeKey(ns(child), child.metadata.name));
  };
  informers.composites.on({
    onAdd: (o) => onComposite(undefined, o),
    onUpdate: (p, o) => onComposite(p, o),
    onDelete: (o) => onComposite(o, undefined),
  });

  const onChild = (o: KubernetesObject) => {
    const owner = o.metadata?.labels?.[LABEL_RESOURCE];
    if (owner && o.metadata?.namespace) enqueue(resourceKey(o.metadata.namespace, owner));
  };
  const childHandlers = { onAdd: onChild, onUpdate: (_p: KubernetesObject, o: KubernetesObject) => onChild(o), onDelete: onChild };
  informers.pods.on(childHandlers);
  informers.services.on(childHandlers);
  informers.configMaps.on(childHandlers);
  informers.claims.on(childHandlers);
  informers.jobs.on(childHandlers);

  // A namespace's consent to dependents from others changed: every Resource elsewhere that
  // depends on something in it looks again (a rare event; the Resources are walked once).
  const consent = (n: KubernetesObject | undefined) => n?.metadata?.annotations?.[ANNOTATION_ALLOW_DEPENDENTS_FROM];
  const onNamespace = (previous: KubernetesObject | undefined, current: KubernetesObject | undefined) => {
    if (consent(previous) === consent(current)) return;
    const target = (current ?? previous)?.metadata?.name;
    if (!target) return;
    for (const r of informers.resources.list())
      if (ns(r) !== target && graph.declaredKeys(r).some((k) => refOfKey(k).namespace === target)) enqueue(resourceKey(ns(r), r.metadata.name));
  };
  informers.namespaces?.on({ onAdd: (o) => onNamespace(undefined, o), onUpdate: (p, o) => onNamespace(p, o), onDelete: (o) => onNamespace(o, undefined) });

  return {
    resourceChanged(previous, current) {
      if (facingDependents(previous) !== facingDependents(current)) wakeDependents(`${ns(current)}/${current.metadata.name}`);
    },
  };
}

/** Records in the index what a Resource waits for as declared (its own and its Composites' dependencies, by key). */
export function indexDependencies(index: DependentsIndex, graph: StateGraph, resource: ResourceObject): void {
  index.set(`${ns(resource)}/${resource.metadata.name}`, graph.declaredKeys(resource));
}
