import type { ResourceObject } from '../../api/index.ts';
import { emitObjects } from '../../manifest/emit.ts';
import type { DockerTarget } from '../../targets/docker/docker-target.ts';
import { DOCKER_LABELS, namespaceFilter } from '../../targets/docker/names.ts';
import { recordedObjects } from '../../targets/docker/recorded-objects.ts';
import type { StackReport } from '../../targets/target.ts';
import type { Timeline } from '../timeline.ts';
import { watchContainerEvents } from './docker-events.ts';
import type { DashboardScope, DashboardSource, SourceListener, SourceUpdate } from './source.ts';

export interface DockerSourceOptions {
  target: DockerTarget;
  scope: DashboardScope;
  timeline: Timeline;
  /** How often readiness is probed and due assertions run, besides every container event (default 1000 ms). */
  refreshMs?: number;
}

/**
 * The Docker engine observed as `clockwork status` reads it, continuously and read-only: each
 * container event (start, die, stop…) starts a pass at once; between events a pass runs every
 * `refreshMs` (readiness probed, assertions run when their interval is due). Whether or not
 * `clockwork dev` runs, nothing is created, repaired or removed.
 */
export class DockerSource implements DashboardSource {
  readonly target = 'docker' as const;
  readonly #target: DockerTarget;
  readonly #timeline: Timeline;
  readonly #refreshMs: number;
  #scope: DashboardScope;
  #listener: SourceListener | undefined;
  #previous: StackReport[] = [];
  readonly #lastState = new Map<string, string>();
  #events: { stop(): void } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(options: DockerSourceOptions) {
    this.#target = options.target;
    this.#scope = options.scope;
    this.#timeline = options.timeline;
    this.#refreshMs = options.refreshMs ?? 1000;
  }

  async start(listener: SourceListener): Promise<void> {
    this.#listener = listener;
    this.#events = watchContainerEvents({
      docker: this.#target.docker,
      namespace: 'stack' in this.#scope ? this.#scope.stack.namespace : this.#scope.namespace,
      onEvent: (event) => {
        this.#timeline.add(`${event.namespace}/${event.resource}`, event.entry);
        listener.changed();
        this.#passNow();
      },
      onError: (message) => message && listener.error(message),
    });
    this.#passNow();
    await this.#running;
  }

  setScope(scope: DashboardScope): void {
    this.#scope = scope;
    this.#previous = [];
    this.#passNow();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#events?.stop();
    await this.#running;
  }

  /** A pass now, or right after the one under way. */
  #passNow(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#pass().finally(() => {
      this.#running = undefined;
      if (this.#stopped) return;
      if (this.#again) {
        this.#again = false;
        this.#passNow();
      } else this.#timer = setTimeout(() => this.#passNow(), this.#refreshMs);
    });
  }

  async #pass(): Promise<void> {
    const listener = this.#listener!;
    try {
      const update = await this.#read();
      this.#previous = update.reports;
      this.#recordTransitions(update.reports);
      listener.error(undefined);
      listener.update(update);
    } catch (error) {
      listener.error(`the Docker engine could not be read: ${(error as Error).message}`);
    }
  }

  async #read(): Promise<SourceUpdate> {
    const scope = this.#scope;
    if ('stack' in scope) {
      const report = await this.#target.assert(scope.stack, { previous: this.#previous.find((r) => r.namespace === scope.stack.namespace) });
      const specs = new Map<string, ResourceObject>();
      for (const o of emitObjects(scope.stack)) if (o.kind === 'Resource') specs.set(`${scope.stack.namespace}/${o.metadata.name}`, o);
      return { reports: [report], specs };
    }
    const [reports, specs] = await Promise.all([this.#target.statusAll(scope.namespace, { previous: this.#previous }), this.#recordedSpecs(scope.namespace)]);
    return { reports, specs };
  }

  /** What each container recorded of its Resource when it was created. */
  async #recordedSpecs(namespace: string | undefined): Promise<Map<string, ResourceObject>> {
    const containers = await this.#target.docker.listContainers({ all: true, filters: { label: namespaceFilter(namespace) } });
    const specs = new Map<string, ResourceObject>();
    for (const c of containers)
      for (const o of recordedObjects(c.Labels[DOCKER_LABELS.objects]))
        if (o.kind === 'Resource') specs.set(`${o.metadata.namespace ?? c.Labels[DOCKER_LABELS.namespace] ?? 'default'}/${o.metadata.name}`, o);
    return specs;
  }

  /** On Docker nobody records Events: the dashboard notes each change of Ready it sees. */
  #recordTransitions(reports: readonly StackReport[]): void {
    const now = new Date().toISOString();
    for (const report of reports)
      for (const r of report.resources) {
        const id = `${report.namespace}/${r.name}`;
        const state = `${r.ready}|${r.reason}`;
        const before = this.#lastState.get(id);
        if (before === state) continue;
        this.#lastState.set(id, state);
        const first = before === undefined ? 'first seen: ' : '';
        this.#timeline.add(id, r.ready ? { at: now, type: 'Normal', reason: 'Ready', message: `${first}Ready (${r.message})`, source: 'clockwork' } : { at: now, type: 'Warning', reason: r.reason, message: `${first}not Ready: ${r.message}`, source: 'clockwork' });
      }
  }
}
