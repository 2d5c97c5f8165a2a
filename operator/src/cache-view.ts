import { ANNOTATION_ALLOW_DEPENDENTS_FROM, allowsDependentsFrom, type CompositeObject, type ResourceObject } from '../../sdk/src/api/index.ts';
import { INDEX_MEMBER_OF } from './informer-set.ts';
import type { PendingStatuses } from './pending-statuses.ts';
import type { StateView } from '../../sdk/src/engine/index.ts';

/** What the view reads from: the informer caches of the two kinds. */
export interface ObjectCaches {
  resources: { get(namespace: string, name: string): ResourceObject | undefined; byIndex(index: string, value: string): ResourceObject[] };
  composites: { get(namespace: string, name: string): CompositeObject | undefined; byIndex(index: string, value: string): CompositeObject[] };
  /** Namespaces (cluster-scoped: get('', name)); absent when the operator watches one namespace. */
  namespaces?: { get(namespace: string, name: string): { metadata?: { annotations?: Record<string, string> } } | undefined };
}

/**
 * The engine's StateView over informer caches. Membership is the `clockwork.dev/composite`
 * label (children sit in their Composite's namespace).
 */
export class CacheView implements StateView {
  readonly #caches: ObjectCaches;
  readonly #pending: PendingStatuses | undefined;

  /** `pending`: statuses being written now, shown over the cached objects they were computed from. */
  constructor(caches: ObjectCaches, pending?: PendingStatuses) {
    this.#caches = caches;
    this.#pending = pending;
  }

  getResource(namespace: string, name: string): ResourceObject | undefined {
    const resource = this.#caches.resources.get(namespace, name);
    return this.#pending ? this.#pending.overlay(resource) : resource;
  }

  getComposite(namespace: string, name: string): CompositeObject | undefined {
    return this.#caches.composites.get(namespace, name);
  }

  /**
   * A dependency on another namespace's objects needs that namespace's consent: the annotation
   * clockwork.dev/allow-dependents-from on its Namespace, naming the dependent's namespace or `*`.
   */
  dependencyRefusal(from: string, to: string): string | undefined {
    if (from === to) return undefined;
    if (!this.#caches.namespaces) return `this operator watches only namespace ${from}`;
    const annotation = this.#caches.namespaces.get('', to)?.metadata?.annotations?.[ANNOTATION_ALLOW_DEPENDENTS_FROM];
    if (allowsDependentsFrom(annotation, from)) return undefined;
    return `namespace ${to} does not allow dependents from ${from} (its Namespace's annotation ${ANNOTATION_ALLOW_DEPENDENTS_FROM} must list ${from} or *)`;
  }

  /** Direct members: Resources and Composites of its namespace labelled with the Composite's name (an index, not a scan). */
  membersOf(namespace: string, name: string): { resources: ResourceObject[]; composites: CompositeObject[] } {
    const key = `${namespace}/${name}`;
    const resources = this.#caches.resources.byIndex(INDEX_MEMBER_OF, key);
    return { resources: this.#pending ? resources.map((r) => this.#pending!.overlay(r)) : resources, composites: this.#caches.composites.byIndex(INDEX_MEMBER_OF, key) };
  }
}
