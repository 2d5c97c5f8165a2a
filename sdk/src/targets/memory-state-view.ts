import { LABEL_COMPOSITE, type ClockworkObject, type CompositeObject, type ResourceObject } from '../api/index.ts';
import type { StateView } from '../engine/index.ts';

/**
 * The engine's view of a stack held in memory (the Docker target has no apiserver): the
 * objects `emitObjects` produced, with the statuses the engine computed for them.
 */
export class MemoryStateView implements StateView {
  readonly #resources = new Map<string, ResourceObject>();
  readonly #composites = new Map<string, CompositeObject>();

  constructor(objects: readonly ClockworkObject[]) {
    for (const o of objects) {
      const key = keyOf(o.metadata.namespace, o.metadata.name);
      if (o.kind === 'Resource') this.#resources.set(key, o);
      else this.#composites.set(key, o);
    }
  }

  get resources(): ResourceObject[] {
    return [...this.#resources.values()];
  }

  get composites(): CompositeObject[] {
    return [...this.#composites.values()];
  }

  getResource(namespace: string, name: string): ResourceObject | undefined {
    return this.#resources.get(keyOf(namespace, name));
  }

  getComposite(namespace: string, name: string): CompositeObject | undefined {
    return this.#composites.get(keyOf(namespace, name));
  }

  descendantsOf(composite: CompositeObject): ResourceObject[] {
    const namespace = composite.metadata.namespace ?? 'default';
    const out: ResourceObject[] = [];
    const seen = new Set<string>();
    const walk = (name: string) => {
      if (seen.has(name)) return;
      seen.add(name);
      for (const r of this.#resources.values()) if (inNamespace(r, namespace) && r.metadata.labels?.[LABEL_COMPOSITE] === name) out.push(r);
      for (const c of this.#composites.values()) if (inNamespace(c, namespace) && c.metadata.labels?.[LABEL_COMPOSITE] === name) walk(c.metadata.name);
    };
    walk(composite.metadata.name);
    return out;
  }

  ancestorsOf(object: ResourceObject | CompositeObject): CompositeObject[] {
    const namespace = object.metadata.namespace ?? 'default';
    const out: CompositeObject[] = [];
    for (let parent = object.metadata.labels?.[LABEL_COMPOSITE]; parent !== undefined; ) {
      const c = this.getComposite(namespace, parent);
      if (!c || out.includes(c)) break;
      out.push(c);
      parent = c.metadata.labels?.[LABEL_COMPOSITE];
    }
    return out;
  }
}

const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? 'default'}/${name}`;
const inNamespace = (o: ClockworkObject, namespace: string) => (o.metadata.namespace ?? 'default') === namespace;
