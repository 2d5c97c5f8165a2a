// What the bench observes through its own watches: when each object was first seen, when its Ready
// condition turned True (and False again), all stamped on arrival with ms precision.
import { performance } from 'node:perf_hooks';
import { isReady, watch, type Kube, type WatchEvent } from './kube.ts';

export interface Seen {
  uid: string;
  addedAt: number;
  /** Ready is True now. */
  ready: boolean;
  /** First time Ready=True was seen for this uid. */
  firstReadyAt?: number;
  /** Last time Ready flipped False→True / True→False. */
  lastReadyAt?: number;
  lastNotReadyAt?: number;
  deletedAt?: number;
}

/** Objects of one collection, keyed by namespace/name (the current incarnation; `history` keeps replaced uids). */
export class Collection {
  readonly byKey = new Map<string, Seen>();
  readonly history: Array<{ key: string; seen: Seen }> = [];
  private w?: ReturnType<typeof watch>;

  private readonly kube: Kube;
  readonly path: string;
  private readonly ready: (o: any) => boolean;

  constructor(kube: Kube, path: string, ready: (o: any) => boolean = isReady) {
    this.kube = kube;
    this.path = path;
    this.ready = ready;
  }

  start(): Promise<void> {
    this.w = watch(this.kube, this.path, (e) => this.on(e));
    return this.w.ready;
  }

  stop(): void {
    this.w?.stop();
  }

  private on(e: WatchEvent): void {
    const m = e.object?.metadata;
    if (!m) return;
    const key = `${m.namespace ?? ''}/${m.name}`;
    let s = this.byKey.get(key);
    if (e.type === 'DELETED') {
      if (s && s.uid === m.uid) {
        s.deletedAt = e.t;
        s.ready = false;
        this.history.push({ key, seen: s });
        this.byKey.delete(key);
      }
      return;
    }
    if (!s || s.uid !== m.uid) {
      if (s) this.history.push({ key, seen: s });
      s = { uid: m.uid, addedAt: e.t, ready: false };
      this.byKey.set(key, s);
    }
    const r = this.ready(e.object);
    if (r && !s.ready) {
      s.firstReadyAt ??= e.t;
      s.lastReadyAt = e.t;
    } else if (!r && s.ready) s.lastNotReadyAt = e.t;
    s.ready = r;
  }

  get(ns: string, name: string): Seen | undefined {
    return this.byKey.get(`${ns}/${name}`);
  }

  /** Keys in a namespace. */
  inNamespace(ns: string): Seen[] {
    const prefix = `${ns}/`;
    return [...this.byKey].filter(([k]) => k.startsWith(prefix)).map(([, v]) => v);
  }
}

/** Polls `check` (cheap, synchronous) every `everyMs` until it returns true; rejects after timeoutMs. */
export async function until(what: string, check: () => boolean, timeoutMs: number, everyMs = 20): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (check()) return performance.now();
    if (performance.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
