import type { KubernetesObject } from '@kubernetes/client-node';
import { fitStatus, GROUP, PLURAL_COMPOSITE, PLURAL_RESOURCE, VERSION, type ClockworkObject, type CompositeStatus, type ResourceStatus } from '../../sdk/src/api/index.ts';
import { statusWrite } from '../../sdk/src/engine/index.ts';
import type { CustomApi } from './kube-client.ts';

export interface StatusWriterOptions {
  custom: CustomApi;
  /** How long a passing state (waiting, creating, starting) must last before it is written. */
  settleMs: number;
  /** A write is about to be sent (its status may be shown to the operator's readers meanwhile). */
  onWriting?: (object: ClockworkObject, status: ResourceStatus | CompositeStatus) => void;
  /** The API server's answer to a write: the object as it is now (the informer cache takes it). */
  onWritten?: (object: ClockworkObject & KubernetesObject) => void;
  /** A write failed (a conflict: the cache was behind): what `onWriting` announced does not hold. */
  onWriteFailed?: (object: ClockworkObject) => void;
  /** Milliseconds, any clock (injected in tests). */
  now?: () => number;
}

/** What became of a status: written now, not needed, or due later if it still holds. */
export type StatusOutcome = { wrote: boolean; laterMs?: number };

/**
 * Writes status through the status subresource, when the status policy says so (`statusWrite`):
 * at once for what users and dependents act on, after `settleMs` for a passing state. The patch
 * carries the resourceVersion that was read, so a write based on a stale read fails with 409 (and
 * the reconcile is retried from the fresh cache) instead of losing someone else's update. The
 * answer goes back into the cache at once (`onWritten`): what reads the cache next — the
 * dependents this write wakes — sees it without waiting for the watch.
 */
export class StatusWriter {
  readonly #o: StatusWriterOptions;
  /** Since when each object's computed status has differed from its written one (ms). */
  readonly #differsSince = new Map<string, number>();

  constructor(options: StatusWriterOptions) {
    this.#o = options;
  }

  async write(object: ClockworkObject, unbounded: ResourceStatus | CompositeStatus): Promise<StatusOutcome> {
    // Cut to fit the schema: a status the apiserver refuses whole would never be written.
    const status = fitStatus(unbounded);
    const key = `${object.kind}/${object.metadata.namespace ?? 'default'}/${object.metadata.name}`;
    const now = this.#o.now?.() ?? performance.now();
    const decision = statusWrite({ written: object.status, desired: status, differsSinceMs: this.#differsSince.get(key) ?? now, nowMs: now, settleMs: this.#o.settleMs });
    if (decision.write === 'none') {
      this.#differsSince.delete(key);
      return { wrote: false };
    }
    if (decision.write === 'later') {
      if (!this.#differsSince.has(key)) this.#differsSince.set(key, now);
      return { wrote: false, laterMs: decision.afterMs };
    }
    const current = (object.status ?? {}) as Record<string, unknown>;
    const removed = Object.fromEntries(Object.keys(current).filter((k) => !(k in status)).map((k) => [k, null]));
    this.#o.onWriting?.(object, status);
    let written: ClockworkObject & KubernetesObject;
    try {
      written = (await this.#o.custom.patchNamespacedCustomObjectStatus({
        group: GROUP,
        version: VERSION,
        namespace: object.metadata.namespace ?? 'default',
        plural: object.kind === 'Resource' ? PLURAL_RESOURCE : PLURAL_COMPOSITE,
        name: object.metadata.name,
        body: { metadata: { resourceVersion: object.metadata.resourceVersion }, status: { ...removed, ...status } },
      })) as ClockworkObject & KubernetesObject;
    } catch (error) {
      this.#o.onWriteFailed?.(object);
      throw error;
    }
    this.#differsSince.delete(key);
    if (written?.metadata) this.#o.onWritten?.({ ...written, kind: object.kind } as ClockworkObject & KubernetesObject);
    return { wrote: true };
  }

  /** Forgets an object that is gone. */
  forget(object: ClockworkObject): void {
    this.#differsSince.delete(`${object.kind}/${object.metadata.namespace ?? 'default'}/${object.metadata.name}`);
  }
}
