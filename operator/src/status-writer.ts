import type { CustomObjectsApi } from '@kubernetes/client-node';
import { GROUP, PLURAL_COMPOSITE, PLURAL_RESOURCE, VERSION, type ClockworkObject, type CompositeStatus, type ResourceStatus } from '../../sdk/src/api/index.ts';
import { canonicalJson } from '../../sdk/src/engine/index.ts';
import { mergePatch } from '../../sdk/src/kubernetes/index.ts';

/**
 * Writes status through the status subresource. The patch carries the resourceVersion that was
 * read, so a write based on a stale read fails with 409 (and the reconcile is retried from the
 * fresh cache) instead of losing someone else's update. Nothing is written when nothing changed,
 * so the watch event of a write leads to a reconcile that is a no-op.
 */
export class StatusWriter {
  readonly #custom: CustomObjectsApi;

  constructor(custom: CustomObjectsApi) {
    this.#custom = custom;
  }

  /** Returns true when a write was made. */
  async write(object: ClockworkObject, status: ResourceStatus | CompositeStatus): Promise<boolean> {
    const current = (object.status ?? {}) as Record<string, unknown>;
    if (canonicalJson(current) === canonicalJson(status)) return false;
    const removed = Object.fromEntries(Object.keys(current).filter((k) => !(k in status)).map((k) => [k, null]));
    await this.#custom.patchNamespacedCustomObjectStatus(
      {
        group: GROUP,
        version: VERSION,
        namespace: object.metadata.namespace ?? 'default',
        plural: object.kind === 'Resource' ? PLURAL_RESOURCE : PLURAL_COMPOSITE,
        name: object.metadata.name,
        body: { metadata: { resourceVersion: object.metadata.resourceVersion }, status: { ...removed, ...status } },
      },
      mergePatch,
    );
    return true;
  }
}
