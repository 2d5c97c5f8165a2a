import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import {
  API_VERSION,
  FIELD_MANAGER_CLI,
  KIND_COMPOSITE,
  KIND_RESOURCE,
  LABEL_STACK,
  type ClockworkObject,
  type CompositeObject,
  type ResourceObject,
} from '../../api/index.ts';
import { isNotFound } from '../../kubernetes/index.ts';

/** Reads and writes the stack's Composite and Resource objects. */
export class StackObjects {
  readonly #api: KubernetesObjectApi;

  constructor(config: KubeConfig) {
    this.#api = KubernetesObjectApi.makeApiClient(config);
  }

  /**
   * Server-side apply with field manager `clockwork`: Composites first (outermost first), so
   * that every child gets its ownerReference to its Composite in the same apply.
   */
  async apply(objects: readonly ClockworkObject[], onApplied?: (object: ClockworkObject) => void): Promise<void> {
    const uids = new Map<string, string>();
    for (const object of objects) {
      const composite = object.metadata.labels?.['clockwork.dev/composite'];
      const ownerUid = composite ? uids.get(composite) : undefined;
      const body = {
        ...object,
        metadata: {
          ...object.metadata,
          ...(composite && ownerUid ? { ownerReferences: [{ apiVersion: API_VERSION, kind: KIND_COMPOSITE, name: composite, uid: ownerUid, controller: true, blockOwnerDeletion: true }] } : {}),
        },
      };
      const applied = await this.#api.patch(body as KubernetesObject, undefined, undefined, FIELD_MANAGER_CLI, true, PatchStrategy.ServerSideApply);
      if (object.kind === KIND_COMPOSITE && applied.metadata?.uid) uids.set(object.metadata.name, applied.metadata.uid);
      onApplied?.(object);
    }
  }

  /** Objects of an earlier apply of the same stack (by the inventory label). */
  async inventory(namespace: string, stackName: string): Promise<ClockworkObject[]> {
    const selector = `${LABEL_STACK}=${stackName}`;
    const [resources, composites] = await Promise.all([
      this.#api.list<KubernetesObject>(API_VERSION, KIND_RESOURCE, namespace, undefined, undefined, undefined, undefined, selector),
      this.#api.list<KubernetesObject>(API_VERSION, KIND_COMPOSITE, namespace, undefined, undefined, undefined, undefined, selector),
    ]);
    return [...composites.items, ...resources.items] as unknown as ClockworkObject[];
  }

  /** Every Resource and Composite of a namespace, or of every namespace when it is undefined. */
  async list(namespace: string | undefined): Promise<{ resources: ResourceObject[]; composites: CompositeObject[] }> {
    const [resources, composites] = await Promise.all([this.#api.list<KubernetesObject>(API_VERSION, KIND_RESOURCE, namespace), this.#api.list<KubernetesObject>(API_VERSION, KIND_COMPOSITE, namespace)]);
    // List items may leave out apiVersion and kind; the engine's view keys on kind.
    return {
      resources: resources.items.map((o) => ({ ...o, apiVersion: API_VERSION, kind: KIND_RESOURCE })) as unknown as ResourceObject[],
      composites: composites.items.map((o) => ({ ...o, apiVersion: API_VERSION, kind: KIND_COMPOSITE })) as unknown as CompositeObject[],
    };
  }

  /** Deletes an object; gone already is fine. Foreground, so it is gone only once its children are. */
  async delete(kind: 'Resource' | 'Composite', namespace: string, name: string): Promise<void> {
    try {
      await this.#api.delete({ apiVersion: API_VERSION, kind, metadata: { name, namespace } }, undefined, undefined, undefined, undefined, 'Foreground');
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
