import { LABEL_COMPOSITE, type ClockworkObject, type CompositeObject, type ResourceObject } from '../api/index.ts';
import type { StateView } from '../engine/index.ts';

/**
 * The engine's view of a stack held in memory (the Docker target has no apiserver): the
 * objects `emitObjects` produced, with the statuses the engine computed for them.
 */
export class MemoryStateView implements StateView {
  readonly #resources = new Map<string, ResourceObject>();
  readonly #composites = new Map<string, CompositeObject>();
  readonly #members = new Map<string, { resources: ResourceObject[]; composites: CompositeObject[] }>();

  constructor(objects: readonly ClockworkObject[]) {
    for (const o of objects) {
      const key = keyOf(o.metadata.namespace, o.metadata.name);
      if (o.kind === 'Resource') this.#resources.set(key, o);
      else this.#composites.set(key, o);
      const parent = o.metadata.labels?.[LABEL_COMPOSITE];
      if (parent === undefined) continue;
      const parentKey = keyOf(o.metadata.namespace, parent);
      const members = this.#members.get(parentKey) ?? { resources: [], composites: [] };
      if (o.kind === 'Resource') members.resources.push(o);
      else members.composites.push(o);
      this.#members.set(parentKey, members);
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

  membersOf(namespace: string, name: string): { resources: ResourceObject[]; composites: CompositeObject[] } {
    return this.#members.get(keyOf(namespace, name)) ?? { resources: [], composites: [] };
  }
}

const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? 'default'}/${name}`;
