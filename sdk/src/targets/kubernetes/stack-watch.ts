import { CustomObjectsApi, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { API_VERSION, GROUP, KIND_COMPOSITE, KIND_RESOURCE, PLURAL_COMPOSITE, PLURAL_RESOURCE, VERSION, type CompositeObject, type ResourceObject } from '../../api/index.ts';
import { Informer, SILENT_LOG, type ListResult } from '../../kubernetes/index.ts';

export interface WatchedObjects {
  resources: ReadonlyMap<string, ResourceObject>;
  composites: ReadonlyMap<string, CompositeObject>;
}

/**
 * The Resources and Composites of one namespace, kept current by two informers (the operator's
 * list+watch: listed first, then watched from that resourceVersion, relisted after an error).
 */
export class StackWatch {
  readonly #resources: Informer<ResourceObject & KubernetesObject>;
  readonly #composites: Informer<CompositeObject & KubernetesObject>;
  readonly #namespace: string;
  #synced = false;

  constructor(config: KubeConfig, namespace: string) {
    this.#namespace = namespace;
    const custom = config.makeApiClient(CustomObjectsApi);
    const informer = <T extends KubernetesObject>(plural: string, kind: string) =>
      new Informer<T>({
        name: plural,
        kubeConfig: config,
        logger: SILENT_LOG,
        failOnFirstList: true,
        watchPath: `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${plural}`,
        list: async () => {
          const list = (await custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural })) as ListResult<T>;
          // List items may leave out apiVersion and kind; the engine's view keys on kind.
          return { ...list, items: list.items.map((o) => ({ ...o, apiVersion: API_VERSION, kind })) };
        },
      });
    this.#resources = informer(PLURAL_RESOURCE, KIND_RESOURCE);
    this.#composites = informer(PLURAL_COMPOSITE, KIND_COMPOSITE);
  }

  get objects(): WatchedObjects {
    const byName = <T extends { metadata: { name: string } }>(items: T[]) => new Map(items.map((o) => [o.metadata.name, o]));
    return { resources: byName(this.#resources.list(this.#namespace)), composites: byName(this.#composites.list(this.#namespace)) };
  }

  /** Lists, then calls `onChange` after the list and after every change; rejects when the first list fails. */
  async start(onChange: (objects: WatchedObjects) => void): Promise<void> {
    const changed = () => {
      if (this.#synced) onChange(this.objects);
    };
    for (const informer of [this.#resources, this.#composites]) informer.on({ onAdd: changed, onUpdate: changed, onDelete: changed });
    try {
      await Promise.all([this.#resources.start(), this.#composites.start()]);
    } catch (error) {
      this.stop();
      throw error;
    }
    this.#synced = true;
    onChange(this.objects);
  }

  stop(): void {
    this.#resources.stop();
    this.#composites.stop();
  }
}
