import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { GROUP, PLURAL_COMPOSITE, PLURAL_RESOURCE, VERSION, type CompositeObject, type ResourceObject } from '../../api/index.ts';
import { StackObjects } from './stack-objects.ts';

export interface WatchedObjects {
  resources: ReadonlyMap<string, ResourceObject>;
  composites: ReadonlyMap<string, CompositeObject>;
}

/**
 * The Resources and Composites of one namespace, kept current from watch events (listed first,
 * then watched from that resourceVersion; a watch that ends is started again from a new list).
 */
export class StackWatch {
  readonly #config: KubeConfig;
  readonly #namespace: string;
  readonly #resources = new Map<string, ResourceObject>();
  readonly #composites = new Map<string, CompositeObject>();
  readonly #aborts: AbortController[] = [];
  #stopped = false;

  constructor(config: KubeConfig, namespace: string) {
    this.#config = config;
    this.#namespace = namespace;
  }

  get objects(): WatchedObjects {
    return { resources: this.#resources, composites: this.#composites };
  }

  /** Lists, then calls `onChange` after the list and after every event. */
  async start(onChange: (objects: WatchedObjects) => void): Promise<void> {
    const list = await new StackObjects(this.#config).list(this.#namespace);
    for (const r of list.resources) this.#resources.set(r.metadata.name, r);
    for (const c of list.composites) this.#composites.set(c.metadata.name, c);
    onChange(this.objects);
    // onChange may already have stopped us (everything was Ready at the first list).
    if (this.#stopped) return;
    await Promise.all([this.#watch(PLURAL_RESOURCE, this.#resources, onChange), this.#watch(PLURAL_COMPOSITE, this.#composites, onChange)]);
  }

  stop(): void {
    this.#stopped = true;
    for (const abort of this.#aborts.splice(0)) abort.abort();
  }

  async #watch<T extends ResourceObject | CompositeObject>(plural: string, into: Map<string, T>, onChange: (objects: WatchedObjects) => void): Promise<void> {
    if (this.#stopped) return;
    const path = `/apis/${GROUP}/${VERSION}/namespaces/${this.#namespace}/${plural}`;
    const restart = () => {
      if (this.#stopped) return;
      // Relist so nothing that happened while the watch was down is missed.
      void new StackObjects(this.#config).list(this.#namespace).then(
        (list) => {
          into.clear();
          for (const o of (plural === PLURAL_RESOURCE ? list.resources : list.composites) as T[]) into.set(o.metadata.name, o);
          onChange(this.objects);
          void this.#watch(plural, into, onChange);
        },
        () => setTimeout(restart, 1000),
      );
    };
    const abort = await new Watch(this.#config).watch(
      path,
      { allowWatchBookmarks: false },
      (phase: string, object: T) => {
        if (phase === 'DELETED') into.delete(object.metadata.name);
        else if (phase === 'ADDED' || phase === 'MODIFIED') into.set(object.metadata.name, object);
        else return;
        onChange(this.objects);
      },
      () => restart(),
    );
    if (this.#stopped) abort.abort();
    else this.#aborts.push(abort);
  }
}
