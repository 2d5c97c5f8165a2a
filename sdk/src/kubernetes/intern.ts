/**
 * One copy of each short string value across cached objects. JSON.parse gives every object its
 * own copy of `clockwork.dev/v1alpha1`, of the namespace, the image, each condition's message and
 * time; thousands of cached objects repeat them (measured: a cached Resource 2.2 → 1.3 KiB).
 */
export class StringPool {
  readonly #strings = new Map<string, string>();
  readonly #maxEntries: number;
  readonly #maxLength: number;

  constructor(options: { maxEntries?: number; maxLength?: number } = {}) {
    this.#maxEntries = options.maxEntries ?? 200_000;
    this.#maxLength = options.maxLength ?? 200;
  }

  /** Replaces, in place, each short string value of a freshly parsed object with the pooled copy; returns it. */
  intern<T>(value: T): T {
    return this.#walk(value) as T;
  }

  #walk(value: unknown): unknown {
    if (typeof value === 'string') return this.#string(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = this.#walk(value[i]);
      return value;
    }
    if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = this.#walk(record[key]);
    }
    return value;
  }

  #string(s: string): string {
    if (s.length > this.#maxLength) return s;
    const pooled = this.#strings.get(s);
    if (pooled !== undefined) return pooled;
    // Unique strings (names, uids) fill it too: start over rather than grow without end.
    if (this.#strings.size >= this.#maxEntries) this.#strings.clear();
    this.#strings.set(s, s);
    return s;
  }
}
