import type { ResourceObject, ResourceStatus } from '../../sdk/src/api/index.ts';

/**
 * Statuses the operator is writing right now (the PATCH is in flight), shown to its own readers
 * so that a dependency turning Ready lets its dependents start during that round trip rather
 * than after it. One only shows over the very object it was computed from (same
 * resourceVersion): once the cache holds anything newer — the write's answer, or someone else's
 * write — it is gone, and a failed write takes it away at once.
 */
export class PendingStatuses {
  readonly #pending = new Map<string, { resourceVersion: string | undefined; status: ResourceStatus }>();

  set(resource: ResourceObject, status: ResourceStatus): void {
    this.#pending.set(keyOf(resource), { resourceVersion: resource.metadata.resourceVersion, status });
  }

  clear(resource: { metadata: { namespace?: string; name: string } }): void {
    this.#pending.delete(keyOf(resource));
  }

  /** The object with the status being written, when there is one for this version of it. */
  overlay<T extends ResourceObject | undefined>(resource: T): T {
    if (!resource || this.#pending.size === 0) return resource;
    const pending = this.#pending.get(keyOf(resource));
    if (!pending) return resource;
    if (pending.resourceVersion !== resource.metadata.resourceVersion) {
      this.#pending.delete(keyOf(resource));
      return resource;
    }
    return { ...resource, status: pending.status };
  }
}

const keyOf = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
