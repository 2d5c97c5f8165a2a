import type { V1Pod } from '@kubernetes/client-node';
import type { CoreApi } from './kube-client.ts';
import { FAILURE_LOG_LINES } from '../../sdk/src/engine/index.ts';
import { CONTAINER_NAME } from './child-objects.ts';

const MAX_CACHED = 1_000;

/**
 * The last lines a task's Pod wrote before it failed, for the Failed message. A run that ended
 * never writes again: each is read once and remembered by the Pod's uid and restart count.
 */
export class LastLogLines {
  readonly #core: CoreApi;
  readonly #cache = new Map<string, string[]>();

  constructor(core: CoreApi) {
    this.#core = core;
  }

  /** `previous`: the container's run before its current one (a crash-looping server). */
  async of(pod: V1Pod, options: { previous?: boolean } = {}): Promise<string[]> {
    const restarts = pod.status?.containerStatuses?.[0]?.restartCount ?? 0;
    const key = `${pod.metadata?.uid}/${restarts}/${options.previous ? 'previous' : 'last'}`;
    const cached = this.#cache.get(key);
    if (cached) return cached;
    let lines: string[];
    try {
      const text = await this.#core.readNamespacedPodLog({
        name: pod.metadata?.name ?? '',
        namespace: pod.metadata?.namespace ?? '',
        container: CONTAINER_NAME,
        tailLines: FAILURE_LOG_LINES,
        limitBytes: 64 * 1024,
        ...(options.previous ? { previous: true } : {}),
      });
      lines = String(text).split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
    } catch {
      // A log that cannot be read only shortens a failure message.
      return [];
    }
    if (this.#cache.size >= MAX_CACHED) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(key, lines);
    return lines;
  }
}
