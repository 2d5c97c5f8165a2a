import { LABEL_COMPOSITE, type CompositeObject, type ResourceObject } from '../../sdk/src/api/index.ts';
import type { StateView } from '../../sdk/src/engine/index.ts';

/** What the view reads from: the informer caches of the two kinds. */
export interface ObjectCaches {
  resources: { get(namespace: string, name: string): ResourceObject | undefined; list(namespace?: string): ResourceObject[] };
  composites: { get(namespace: string, name: string): CompositeObject | undefined; list(namespace?: string): CompositeObject[] };
}

const namespaceOf = (o: { metadata: { namespace?: string } }) => o.metadata.namespace ?? 'default';

/**
 * The engine's StateView over informer caches. Membership is the `clockwork.dev/composite`
 * label (children sit in their Composite's namespace); loops in the membership are cut.
 */
export class CacheView implements StateView {
  readonly #caches: ObjectCaches;

  constructor(caches: ObjectCaches) {
    this.#caches = caches;
  }

  getResource(namespace: string, name: string): ResourceObject | undefined {
    return this.#caches.resources.get(namespace, name);
  }

  getComposite(namespace: string, name: string): CompositeObject | undefined {
    return this.#caches.composites.get(namespace, name);
  }

  /** Direct children: Resources and Composites labelled with the Composite's name. */
  childrenOf(composite: CompositeObject): { resources: ResourceObject[]; composites: CompositeObject[] } {
    const ns = namespaceOf(composite);
    const isChild = (o: { metadata: { labels?: Record<string, string> } }) => o.metadata.labels?.[LABEL_COMPOSITE] === composite.metadata.name;
    return {
      resources: this.#caches.resources.list(ns).filter(isChild),
      composites: this.#caches.composites.list(ns).filter((c) => isChild(c) && c.metadata.name !== composite.metadata.name),
    };
  }

  descendantsOf(composite: CompositeObject): ResourceObject[] {
    return this.descendantTree(composite).resources;
  }

  /** Every Resource and Composite below a Composite, nested ones expanded. */
  descendantTree(composite: CompositeObject): { resources: ResourceObject[]; composites: CompositeObject[] } {
    const seen = new Set<string>([composite.metadata.name]);
    const resources: ResourceObject[] = [];
    const composites: CompositeObject[] = [];
    const queue = [composite];
    while (queue.length) {
      const children = this.childrenOf(queue.shift()!);
      resources.push(...children.resources);
      for (const c of children.composites) {
        if (seen.has(c.metadata.name)) continue;
        seen.add(c.metadata.name);
        composites.push(c);
        queue.push(c);
      }
    }
    return { resources, composites };
  }

  ancestorsOf(object: ResourceObject | CompositeObject): CompositeObject[] {
    const out: CompositeObject[] = [];
    const seen = new Set<string>(object.kind === 'Composite' ? [object.metadata.name] : []);
    const ns = namespaceOf(object);
    let parent = object.metadata.labels?.[LABEL_COMPOSITE];
    while (parent && !seen.has(parent)) {
      seen.add(parent);
      const composite = this.#caches.composites.get(ns, parent);
      if (!composite) break;
      out.push(composite);
      parent = composite.metadata.labels?.[LABEL_COMPOSITE];
    }
    return out;
  }
}
