import { CoreV1Api, CustomObjectsApi, type CoreV1Event, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { API_VERSION, GROUP, KIND_COMPOSITE, KIND_RESOURCE, PLURAL_COMPOSITE, PLURAL_RESOURCE, VERSION, type ClockworkObject, type CompositeObject, type ResourceObject } from '../../api/index.ts';
import { emitObjects } from '../../manifest/emit.ts';
import { liveObjectsReports, stackFileReport } from '../../targets/kubernetes/live-report.ts';
import type { TimelineEntry } from '../dashboard-model.ts';
import type { Timeline } from '../timeline.ts';
import { watchCollection, type WatchedCollection } from './kube-informer.ts';
import type { DashboardScope, DashboardSource, SourceListener, SourceUpdate } from './source.ts';

export interface KubernetesSourceOptions {
  config: KubeConfig;
  scope: DashboardScope;
  timeline: Timeline;
}

type Live<T> = T & KubernetesObject;

/**
 * The cluster as the operator reports it, kept current by watches (no polling): the Resources
 * and Composites of the namespace (or of every namespace), and the Events about them and their
 * Pods. Each watch event updates the page; read-only.
 */
export class KubernetesSource implements DashboardSource {
  readonly target = 'kubernetes' as const;
  readonly #config: KubeConfig;
  readonly #timeline: Timeline;
  #scope: DashboardScope;
  #listener: SourceListener | undefined;
  #resources: WatchedCollection<Live<ResourceObject>> | undefined;
  #composites: WatchedCollection<Live<CompositeObject>> | undefined;
  #events: WatchedCollection<CoreV1Event> | undefined;
  #pending: NodeJS.Immediate | undefined;
  readonly #errors = new Map<string, string>();

  constructor(options: KubernetesSourceOptions) {
    this.#config = options.config;
    this.#scope = options.scope;
    this.#timeline = options.timeline;
  }

  async start(listener: SourceListener): Promise<void> {
    this.#listener = listener;
    const namespace = this.#namespace();
    const custom = this.#config.makeApiClient(CustomObjectsApi);
    const core = this.#config.makeApiClient(CoreV1Api);
    const nsPath = namespace === undefined ? '' : `/namespaces/${namespace}`;
    const customList = (plural: string) => async () =>
      (namespace === undefined ? await custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural }) : await custom.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural })) as KubernetesListObject<never>;
    const common = (what: string) => ({ config: this.#config, onChange: () => this.#changed(what), onError: (message: string | undefined) => this.#error(what, message) });
    [this.#resources, this.#composites, this.#events] = await Promise.all([
      watchCollection<Live<ResourceObject>>({ ...common('resources'), path: `/apis/${GROUP}/${VERSION}${nsPath}/${PLURAL_RESOURCE}`, list: customList(PLURAL_RESOURCE) }),
      watchCollection<Live<CompositeObject>>({ ...common('composites'), path: `/apis/${GROUP}/${VERSION}${nsPath}/${PLURAL_COMPOSITE}`, list: customList(PLURAL_COMPOSITE) }),
      watchCollection<CoreV1Event>({
        ...common('events'),
        path: `/api/v1${nsPath}/events`,
        list: async () => (namespace === undefined ? await core.listEventForAllNamespaces() : await core.listNamespacedEvent({ namespace })) as KubernetesListObject<CoreV1Event>,
      }),
    ]);
    this.#publish();
  }

  setScope(scope: DashboardScope): void {
    const namespaceChanged = this.#namespace() !== ('stack' in scope ? scope.stack.namespace : scope.namespace);
    this.#scope = scope;
    if (!namespaceChanged || !this.#listener) return this.#changed('scope');
    // Another namespace: watch that one instead.
    const listener = this.#listener;
    void this.stop().then(() => this.start(listener).catch((error: unknown) => listener.error(`the cluster could not be read: ${(error as Error).message}`)));
  }

  async stop(): Promise<void> {
    if (this.#pending) clearImmediate(this.#pending);
    for (const watched of [this.#resources, this.#composites, this.#events]) watched?.stop();
  }

  #namespace(): string | undefined {
    return 'stack' in this.#scope ? this.#scope.stack.namespace : this.#scope.namespace;
  }

  /** Watch events come in bursts (a status write, then its Event): one update per burst. */
  #changed(_what: string): void {
    if (this.#pending || !this.#listener) return;
    this.#pending = setImmediate(() => {
      this.#pending = undefined;
      this.#publish();
    });
  }

  #error(what: string, message: string | undefined): void {
    if (message === undefined) this.#errors.delete(what);
    else this.#errors.set(what, message);
    this.#listener?.error(this.#errors.size ? [...this.#errors.values()].join('; ') : undefined);
  }

  #publish(): void {
    if (!this.#resources || !this.#composites || !this.#events || !this.#listener) return;
    const resources = this.#resources.list().map((r) => ({ ...r, apiVersion: API_VERSION, kind: KIND_RESOURCE }) as ResourceObject);
    const composites = this.#composites.list().map((c) => ({ ...c, apiVersion: API_VERSION, kind: KIND_COMPOSITE }) as CompositeObject);
    const update = this.#reports(resources, composites);
    this.#timeline.replaceAll(timelines(this.#events.list(), resources));
    this.#listener.update(update);
  }

  #reports(resources: ResourceObject[], composites: CompositeObject[]): SourceUpdate {
    const specs = new Map<string, ResourceObject>();
    const scope = this.#scope;
    if ('stack' in scope) {
      const namespace = scope.stack.namespace;
      const inNamespace = <T extends ClockworkObject>(list: T[]) => new Map(list.filter((o) => (o.metadata.namespace ?? 'default') === namespace).map((o) => [o.metadata.name, o]));
      const live = { resources: inNamespace(resources), composites: inNamespace(composites) };
      const emitted = emitObjects(scope.stack);
      for (const o of emitted) if (o.kind === 'Resource') specs.set(`${namespace}/${o.metadata.name}`, live.resources.get(o.metadata.name) ?? o);
      return { reports: [stackFileReport({ stack: scope.stack, emitted, live, elapsedMs: 0 })], specs };
    }
    for (const r of resources) specs.set(`${r.metadata.namespace ?? 'default'}/${r.metadata.name}`, r);
    return { reports: liveObjectsReports([...composites, ...resources], 0), specs };
  }
}

/** The Events of each Resource: about the Resource itself (the operator's) and about its Pod (the kubelet's, the scheduler's). */
export function timelines(events: readonly CoreV1Event[], resources: readonly ResourceObject[]): Map<string, TimelineEntry[]> {
  const byPod = new Map<string, string>();
  const known = new Set<string>();
  for (const r of resources) {
    const id = `${r.metadata.namespace ?? 'default'}/${r.metadata.name}`;
    known.add(id);
    byPod.set(`${r.metadata.namespace ?? 'default'}/${r.status?.podName ?? r.metadata.name}`, id);
  }
  const out = new Map<string, TimelineEntry[]>();
  for (const e of events) {
    const involved = e.involvedObject;
    const key = `${involved.namespace ?? e.metadata?.namespace ?? 'default'}/${involved.name ?? ''}`;
    const id = involved.kind === KIND_RESOURCE && involved.apiVersion?.startsWith(`${GROUP}/`) ? (known.has(key) ? key : undefined) : involved.kind === 'Pod' ? byPod.get(key) : undefined;
    if (!id) continue;
    const at = time(e.lastTimestamp) ?? time(e.eventTime) ?? time(e.series?.lastObservedTime) ?? time(e.firstTimestamp) ?? time(e.metadata?.creationTimestamp) ?? new Date(0).toISOString();
    const list = out.get(id) ?? [];
    list.push({
      at,
      type: e.type === 'Warning' ? 'Warning' : 'Normal',
      reason: e.reason ?? '',
      message: e.message ?? '',
      source: e.reportingComponent || e.source?.component || 'kubernetes',
      ...((e.count ?? 0) > 1 ? { count: e.count! } : {}),
    });
    out.set(id, list);
  }
  return out;
}

/** Listed Events carry Dates; watched ones carry the strings from the wire. */
function time(value: Date | string | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
