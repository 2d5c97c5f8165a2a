import type { CoreApi } from './kube-client.ts';
import type { CoreV1Event } from '@kubernetes/client-node';
import type { Logger } from 'winston';
import { API_VERSION, type ClockworkObject } from '../../sdk/src/api/index.ts';
import { describeError } from '../../sdk/src/kubernetes/index.ts';

export interface RecordedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

const REPEAT_WINDOW_MS = 10 * 60_000;
/** At most this many recent Events remembered (the oldest forgotten first). */
const MAX_REMEMBERED = 10_000;

export interface EventRecorderOptions {
  core: CoreApi;
  logger: Logger;
  now?: () => Date;
}

/** Publishes Kubernetes Events on Clockwork objects, for `kubectl describe`; repeats within a window are dropped. */
export class EventRecorder {
  readonly #core: CoreApi;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #recent = new Map<string, number>();

  constructor(options: EventRecorderOptions) {
    this.#core = options.core;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  async record(object: ClockworkObject, event: RecordedEvent): Promise<void> {
    const key = `${object.metadata.uid}|${event.reason}|${event.message}`;
    const time = this.#now();
    const now = time.getTime();
    if ((this.#recent.get(key) ?? 0) > now - REPEAT_WINDOW_MS) return;
    // Kept in the order recorded (a key recorded again moves to the end), so what has left the
    // window is always at the front: dropped without scanning the rest.
    this.#recent.delete(key);
    this.#recent.set(key, now);
    for (const [k, t] of this.#recent) {
      if (t >= now - REPEAT_WINDOW_MS && this.#recent.size <= MAX_REMEMBERED) break;
      this.#recent.delete(k);
    }
    const namespace = object.metadata.namespace ?? 'default';
    const body: CoreV1Event = {
      metadata: { generateName: `${object.metadata.name}.`, namespace },
      involvedObject: { apiVersion: API_VERSION, kind: object.kind, name: object.metadata.name, namespace, uid: object.metadata.uid ?? '', resourceVersion: object.metadata.resourceVersion ?? '' },
      reason: event.reason,
      message: event.message.slice(0, 1024),
      type: event.type,
      source: { component: 'clockwork-operator' },
      reportingComponent: 'clockwork.dev/operator',
      reportingInstance: process.env.HOSTNAME ?? 'clockwork-operator',
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
    };
    try {
      await this.#core.createNamespacedEvent({ namespace, body });
    } catch (error) {
      this.#logger.warn('could not record event', { object: `${namespace}/${object.metadata.name}`, reason: event.reason, error: describeError(error) });
    }
  }
}
