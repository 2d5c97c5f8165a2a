import type { TimelineEntry } from './dashboard-model.ts';

/** How many entries of each Resource are kept. */
export const TIMELINE_LENGTH = 50;

/**
 * What happened to each Resource, newest last: Kubernetes Events, or on Docker the engine's
 * container events and the Ready transitions the dashboard saw.
 */
export class Timeline {
  readonly #entries = new Map<string, TimelineEntry[]>();
  readonly #length: number;

  constructor(options: { length?: number } = {}) {
    this.#length = options.length ?? TIMELINE_LENGTH;
  }

  add(resourceId: string, entry: TimelineEntry): void {
    const entries = this.#entries.get(resourceId) ?? [];
    entries.push(entry);
    entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    if (entries.length > this.#length) entries.splice(0, entries.length - this.#length);
    this.#entries.set(resourceId, entries);
  }

  /** Replaces the entries of every Resource (a source that keeps its own list, such as an Event informer). */
  replaceAll(entries: ReadonlyMap<string, readonly TimelineEntry[]>): void {
    this.#entries.clear();
    for (const [id, list] of entries) {
      const sorted = [...list].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      this.#entries.set(id, sorted.slice(-this.#length));
    }
  }

  of(resourceId: string): TimelineEntry[] {
    return this.#entries.get(resourceId) ?? [];
  }
}
