import type { ResourceObject } from '../api/index.ts';
import { AssertionHistory } from './assertion-history.ts';
import { buildStackViews } from './build-model.ts';
import type { DashboardSnapshot } from './dashboard-model.ts';
import type { SourceListener, SourceUpdate } from './sources/source.ts';
import { Timeline } from './timeline.ts';

/**
 * The dashboard's state: the latest reports of its source, the assertion history and timeline
 * gathered from them, and the snapshot the page shows. Subscribers hear of every snapshot that
 * differs from the one before (so a pass that changed nothing sends nothing).
 */
export class LiveDashboard {
  readonly timeline: Timeline;
  readonly history = new AssertionHistory();
  readonly #target: DashboardSnapshot['target'];
  #scope: string;
  #update: SourceUpdate = { reports: [], specs: new Map() };
  #error: string | undefined;
  #snapshot: DashboardSnapshot;
  #signature = '';
  #scheduled = false;
  readonly #subscribers = new Set<(snapshot: DashboardSnapshot) => void>();

  constructor(options: { target: DashboardSnapshot['target']; scope: string; timeline?: Timeline }) {
    this.#target = options.target;
    this.timeline = options.timeline ?? new Timeline();
    this.#scope = options.scope;
    this.#snapshot = this.#build();
  }

  /** What the source calls. */
  readonly listener: SourceListener = {
    update: (update) => {
      this.#update = update;
      this.history.record(update.reports);
      this.#rebuild();
    },
    changed: () => this.#rebuild(),
    error: (message) => {
      if (this.#error === message) return;
      this.#error = message;
      this.#rebuild();
    },
  };

  get snapshot(): DashboardSnapshot {
    return this.#snapshot;
  }

  set scope(scope: string) {
    this.#scope = scope;
    this.#rebuild();
  }

  /** The Resource as applied, for its env values. */
  spec(namespace: string, name: string): ResourceObject | undefined {
    return this.#update.specs.get(`${namespace}/${name}`);
  }

  /** Calls `fn` with every new snapshot; returns the unsubscribe function. */
  subscribe(fn: (snapshot: DashboardSnapshot) => void): () => void {
    this.#subscribers.add(fn);
    return () => this.#subscribers.delete(fn);
  }

  /** Changes come in bursts (a report, then the timeline): one snapshot per burst. */
  #rebuild(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      const next = this.#build();
      const signature = JSON.stringify({ ...next, generatedAt: undefined });
      if (signature === this.#signature) return;
      this.#signature = signature;
      this.#snapshot = next;
      for (const fn of [...this.#subscribers]) fn(next);
    });
  }

  #build(): DashboardSnapshot {
    return {
      target: this.#target,
      scope: this.#scope,
      generatedAt: new Date().toISOString(),
      stacks: buildStackViews({ reports: this.#update.reports, specs: this.#update.specs, history: this.history, timeline: this.timeline }),
      ...(this.#error ? { error: this.#error } : {}),
    };
  }
}
