import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';
import { API_VERSION, FIELD_MANAGER_CLI, KIND_COMPOSITE, KIND_RESOURCE, type ClockworkObject, type CompositeObject, type ResourceObject } from '../../api/index.ts';
import {
  APPLYSET_GROUP_KINDS_ANNOTATION,
  APPLYSET_ID_LABEL,
  APPLYSET_PART_OF_LABEL,
  APPLYSET_TOOLING_ANNOTATION,
  formatInventory,
  GROUP_KINDS,
  INVENTORY_ANNOTATION,
  parseInventory,
  STACK_ANNOTATION,
  TOOLING,
  type ApplySet,
} from './applyset.ts';
import { ClockworkError } from '../../api/index.ts';
import { statusCode } from '../../kubernetes/index.ts';

/** An apply would take fields another field manager owns (another stack, kubectl, a controller). */
export class ApplyConflictError extends ClockworkError {
  readonly object: string;
  readonly conflicts: { manager: string; field: string }[];

  constructor(object: string, conflicts: { manager: string; field: string }[]) {
    const managers = [...new Set(conflicts.map((c) => c.manager))];
    super(
      `${object}: fields are managed by ${managers.map((m) => `"${m}"`).join(', ')} (${conflicts.map((c) => c.field).join(', ')}); ` +
        'another stack or tool applied it. Apply from that stack, give this stack its name with --stack-name, or take the fields over with --force-conflicts',
    );
    this.object = object;
    this.conflicts = conflicts;
  }
}

/** The ApplySet parent's name is taken by an object that is not this stack's inventory. */
export class InventoryConflictError extends ClockworkError {
  constructor(message: string) {
    super(message);
  }
}

export interface ApplyObjectsOptions {
  /** The stack's ApplySet: its field manager and part-of label. None: the shared manager `clockwork`. */
  applySet?: ApplySet;
  /** Take fields other managers own (server-side apply `force`). */
  forceConflicts?: boolean;
  onApplied?: (object: ClockworkObject) => void;
}

/** Reads and writes the stack's Composite and Resource objects, and its ApplySet parent. */
export class StackObjects {
  readonly #api: KubernetesObjectApi;

  constructor(config: KubeConfig) {
    this.#api = KubernetesObjectApi.makeApiClient(config);
  }

  /**
   * Server-side apply with the stack's own field manager, without forcing conflicts unless
   * asked: Composites first (outermost first), so that every child gets its ownerReference to
   * its Composite in the same apply.
   * @throws ApplyConflictError naming the object and the managers that own the fields
   */
  async apply(objects: readonly ClockworkObject[], o: ApplyObjectsOptions = {}): Promise<void> {
    const uids = new Map<string, string>();
    for (const object of objects) {
      const composite = object.metadata.labels?.['clockwork.dev/composite'];
      const ownerUid = composite ? uids.get(composite) : undefined;
      const body = {
        ...object,
        metadata: {
          ...object.metadata,
          labels: { ...object.metadata.labels, ...(o.applySet ? { [APPLYSET_PART_OF_LABEL]: o.applySet.id } : {}) },
          ...(composite && ownerUid ? { ownerReferences: [{ apiVersion: API_VERSION, kind: KIND_COMPOSITE, name: composite, uid: ownerUid, controller: true, blockOwnerDeletion: true }] } : {}),
        },
      };
      let applied: KubernetesObject;
      try {
        applied = await this.#api.patch(body as KubernetesObject, undefined, undefined, o.applySet?.fieldManager ?? FIELD_MANAGER_CLI, o.forceConflicts ?? false, PatchStrategy.ServerSideApply);
      } catch (error) {
        const conflicts = fieldConflicts(error);
        if (conflicts) throw new ApplyConflictError(`${object.kind} ${object.metadata.namespace ?? 'default'}/${object.metadata.name}`, conflicts);
        throw error;
      }
      if (object.kind === KIND_COMPOSITE && applied.metadata?.uid) uids.set(object.metadata.name, applied.metadata.uid);
      o.onApplied?.(object);
    }
  }

  /**
   * The inventory of the stack's last apply (`Kind/name` keys), empty when it was never applied.
   * @throws InventoryConflictError when the parent's name is taken by something else
   */
  async inventory(applySet: ApplySet): Promise<string[]> {
    const parent = await this.#read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: applySet.parent, namespace: applySet.identity.namespace } });
    if (!parent) return [];
    if (parent.metadata?.labels?.[APPLYSET_ID_LABEL] !== applySet.id || parent.metadata?.annotations?.[STACK_ANNOTATION] !== applySet.identity.name)
      throw new InventoryConflictError(
        `ConfigMap ${applySet.identity.namespace}/${applySet.parent} exists but is not the inventory of stack "${applySet.identity.name}" (it says ${JSON.stringify(parent.metadata?.annotations?.[STACK_ANNOTATION] ?? null)}); give this stack another name with --stack-name`,
      );
    return parseInventory(parent.metadata?.annotations?.[INVENTORY_ANNOTATION]);
  }

  /** Records the inventory in the ApplySet parent (created when missing). */
  async writeInventory(applySet: ApplySet, keys: Iterable<string>): Promise<void> {
    const parent = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: applySet.parent,
        namespace: applySet.identity.namespace,
        labels: { [APPLYSET_ID_LABEL]: applySet.id, 'app.kubernetes.io/managed-by': 'clockwork' },
        annotations: { [APPLYSET_TOOLING_ANNOTATION]: TOOLING, [APPLYSET_GROUP_KINDS_ANNOTATION]: GROUP_KINDS, [STACK_ANNOTATION]: applySet.identity.name, [INVENTORY_ANNOTATION]: formatInventory(keys) },
      },
    };
    await this.#api.patch(parent, undefined, undefined, applySet.fieldManager, true, PatchStrategy.ServerSideApply);
  }

  /** Removes the ApplySet parent (after a destroy). */
  async deleteInventory(applySet: ApplySet): Promise<void> {
    await this.#ignoreNotFound(this.#api.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: applySet.parent, namespace: applySet.identity.namespace } }));
  }

  /** One Resource or Composite as it is in the cluster, or undefined. */
  async get(kind: 'Resource' | 'Composite', namespace: string, name: string): Promise<ClockworkObject | undefined> {
    return (await this.#read({ apiVersion: API_VERSION, kind, metadata: { name, namespace } })) as ClockworkObject | undefined;
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

  /**
   * Deletes an object; gone already is fine. Foreground, so it is gone only once its children
   * are. With `uid`, only that very object (a precondition): not one created since under its name.
   */
  async delete(kind: 'Resource' | 'Composite', namespace: string, name: string, uid?: string): Promise<void> {
    await this.#ignoreNotFound(
      this.#api.delete({ apiVersion: API_VERSION, kind, metadata: { name, namespace } }, undefined, undefined, undefined, undefined, 'Foreground', { propagationPolicy: 'Foreground', ...(uid ? { preconditions: { uid } } : {}) }),
    );
  }

  async #read(header: { apiVersion: string; kind: string; metadata: { name: string; namespace: string } }): Promise<KubernetesObject | undefined> {
    try {
      return await this.#api.read(header);
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw error;
    }
  }

  async #ignoreNotFound(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (error) {
      // 409: a uid precondition failed, the object is another one now; it is not ours to delete.
      if (statusCode(error) !== 404 && statusCode(error) !== 409) throw error;
    }
  }
}

/** The field conflicts of a refused server-side apply (409 with FieldManagerConflict causes). */
function fieldConflicts(error: unknown): { manager: string; field: string }[] | undefined {
  if (statusCode(error) !== 409) return undefined;
  const raw = (error as { body?: unknown }).body;
  let body: { reason?: string; details?: { causes?: { reason?: string; message?: string; field?: string }[] } } | undefined;
  try {
    body = typeof raw === 'string' ? JSON.parse(raw) : (raw as typeof body);
  } catch {
    return undefined;
  }
  const causes = (body?.details?.causes ?? []).filter((c) => c.reason === 'FieldManagerConflict');
  if (causes.length === 0) return undefined;
  return causes.map((c) => ({ manager: /conflict with "([^"]+)"/.exec(c.message ?? '')?.[1] ?? 'another manager', field: c.field ?? '?' }));
}
