import Docker from 'dockerode';
import type { ClockworkObject, ResourceSpec } from '../../api/index.ts';
import { reconcileResource } from '../../engine/index.ts';
import { DependencyModel, type DependencyNode } from '../../graph/index.ts';
import { emitObjects } from '../../manifest/emit.ts';
import type { CompiledStack } from '../../stack/compile.ts';
import { converge } from '../converge.ts';
import { liveStacks } from '../live-stack.ts';
import { MemoryStateView } from '../memory-state-view.ts';
import { stackReport } from '../stack-report.ts';
import { timed, type ApplyOptions, type AssertOptions, type DestroyOptions, type DevelopOptions, type RefreshFilesOptions, type RefreshFilesResult, type DestroyReport, type StackReport, type Target, type TargetProgress, type VolumeReport } from '../target.ts';
import { volumeFates } from '../volume-fates.ts';
import { withFailureLogs } from '../failure-logs.ts';
import type { LogLine, LogsOptions } from '../logs.ts';
import { DockerBackend } from './docker-backend.ts';
import { DockerLogs } from './docker-logs.ts';
import { claimDevLockFile } from './dev-lock-file.ts';
import { refreshContainerFiles } from './docker-refresh.ts';
import type { DevSessionClaim, DevSessionLock } from '../dev-session-lock.ts';
import { DOCKER_LABELS, namespaceFilter, networkName } from './names.ts';
import { recordedObjects } from './recorded-objects.ts';
import { listVolumes, removeVolumes, type VolumeRecord } from './volumes.ts';

export interface DockerTargetOptions {
  docker?: Docker;
  /** Publish hostPorts on every interface (0.0.0.0) instead of 127.0.0.1. */
  publishAllInterfaces?: boolean;
}

interface ContainerSummary {
  id: string;
  name: string;
  namespace: string;
  resource: string;
  state: string;
  dependsOn: string[];
  composite?: string;
  /** What it recorded of its Resource and Composites when it was created. */
  objects: ClockworkObject[];
}

/** The local Docker engine as a target: the shared engine over a DockerBackend. */
export class DockerTarget implements Target {
  readonly kind = 'docker' as const;
  readonly #docker: Docker;
  readonly #publishAll: boolean;
  readonly #logs: DockerLogs;

  constructor(options: DockerTargetOptions = {}) {
    this.#docker = options.docker ?? new Docker();
    this.#publishAll = options.publishAllInterfaces ?? false;
    this.#logs = new DockerLogs(this.#docker);
  }

  get docker(): Docker {
    return this.#docker;
  }

  apply(stack: CompiledStack, options: ApplyOptions): Promise<StackReport> {
    return this.#converge(stack, options, undefined);
  }

  /** Applies, then stays: a local controller (the operator's engine and work queue) until `signal` aborts. */
  async develop(stack: CompiledStack, options: DevelopOptions): Promise<void> {
    await this.#converge(stack, options, options);
  }

  refreshFiles(options: RefreshFilesOptions): Promise<RefreshFilesResult> {
    return refreshContainerFiles(this.#docker, options);
  }

  async claimDevSession(claim: DevSessionClaim): Promise<DevSessionLock> {
    const modem = (this.#docker as unknown as { modem?: { socketPath?: string; host?: string; port?: number } }).modem;
    return claimDevLockFile(claim, modem?.host ? `${modem.host}:${modem.port ?? ''}` : (modem?.socketPath ?? 'local'));
  }

  /** Brings the stack to its spec; with `keep`, goes on repairing and asserting until its signal aborts. */
  async #converge(stack: CompiledStack, options: ApplyOptions, keep: DevelopOptions | undefined): Promise<StackReport> {
    const started = performance.now();
    const progress = timed(options.progress, started, options.clock);
    const view = viewOf(stack, keep?.previous);
    const inStack = new Set(stack.resources.map((r) => r.name));
    const stale = (await this.#containers(stack.namespace)).filter((c) => !inStack.has(c.resource));
    if (stale.length > 0) {
      await this.#removeInWaves(stale, (name) => progress(`${name}: removed (no longer in the stack)`));
    }
    const { kept: keptVolumes } = await this.#settleVolumes({ namespace: stack.namespace, mounted: specsOf(stack), leaving: recordedSpecs(stale), progress, removeAll: false });
    let wake: (name: string) => void = () => undefined;
    const backend = new DockerBackend({
      docker: this.#docker,
      namespace: stack.namespace,
      publishAllInterfaces: this.#publishAll,
      repairStopped: true,
      onChange: (name) => wake(name),
      progress: (image, message) => progress(`image ${image}: ${message}`),
    });
    const report = async (timedOut: boolean) =>
      withFailureLogs(
        stackReport({
          target: 'docker',
          namespace: stack.namespace,
          view,
          order: stack.resources.map((r) => r.name),
          workloads: workloadMap(await this.#containers(stack.namespace)),
          orphans: stale.map((c) => c.resource),
          ...(keptVolumes.length ? { keptVolumes } : {}),
          elapsedMs: Math.round(performance.now() - started),
          timedOut,
        }),
        (name, lines) => this.logTail(stack.namespace, name, lines),
      );
    try {
      await backend.ensureNetwork();
      await backend.watchEvents();
      const errors = new Map<string, string>();
      // The report once settled is built while the controller goes on (it must not stop for it).
      let applied: Promise<void> = Promise.resolve();
      const result = await converge({
        view,
        backend,
        timeoutMs: options.timeoutMs,
        setWaker: (w) => (wake = w),
        onTransition: (resource, t) => {
          progress(`${resource.metadata.name}: ${t.reason}${t.ready && !t.event ? '' : ` — ${t.message}`}`);
          if (options.onSnapshot) {
            options.onSnapshot(stackReport({ target: 'docker', namespace: stack.namespace, view, order: stack.resources.map((r) => r.name), orphans: [], elapsedMs: Math.round(performance.now() - started) }));
          }
        },
        onError: (name, error) => {
          const message = (error as Error).message;
          if (errors.get(name) !== message) progress(`${name}: error — ${message}`);
          errors.set(name, message);
        },
        ...(keep ? { keepUntil: keep.signal, onSettled: (settled) => void (applied = report(settled.timedOut).then(keep.onApplied)) } : {}),
      });
      await applied;
      return await report(result.timedOut);
    } finally {
      backend.close();
    }
  }

  status(stack: CompiledStack): Promise<StackReport> {
    return this.#evaluate(stack.namespace, viewOf(stack), stack.graph.waves(), undefined);
  }

  /**
   * Every namespace's stack as its containers recorded it, checked now as `status` checks a stack
   * file's; with `previous` reports, as `assert --watch` rounds: only due assertions run.
   */
  async statusAll(namespace: string | undefined, options: { previous?: readonly StackReport[] } = {}): Promise<StackReport[]> {
    const containers = await this.#containers(namespace);
    const stacks = new Map(liveStacks(stamped(containers.flatMap((c) => c.objects))).map((s) => [s.namespace, s]));
    const namespaces = [...new Set(containers.map((c) => c.namespace))].sort();
    // A namespace whose containers recorded nothing (made by hand with our labels, or by an older
    // Clockwork) has an empty stack: its containers are reported as not in it.
    return Promise.all(
      namespaces.map((ns) =>
        this.#evaluate(ns, stacks.get(ns)?.view ?? new MemoryStateView([]), stacks.get(ns)?.waves ?? [], options.previous?.find((p) => p.namespace === ns), containers.filter((c) => c.namespace === ns)),
      ),
    );
  }

  assert(stack: CompiledStack, options: AssertOptions & { previous?: StackReport }): Promise<StackReport> {
    return this.#evaluate(stack.namespace, viewOf(stack), stack.graph.waves(), options.previous);
  }

  async volumeChanges(stack: CompiledStack): Promise<{ kept: VolumeReport[]; removed: VolumeReport[] }> {
    const inStack = new Set(stack.resources.map((r) => r.name));
    const stale = (await this.#containers(stack.namespace)).filter((c) => !inStack.has(c.resource));
    const { remove, keep } = volumeFates({ volumes: await listVolumes(this.#docker, stack.namespace), mounted: specsOf(stack), leaving: recordedSpecs(stale) });
    return { kept: keep.map(dockerVolumeReport), removed: remove.map(dockerVolumeReport) };
  }

  async destroy(stack: CompiledStack, options: DestroyOptions): Promise<DestroyReport> {
    const progress = timed(options.progress, performance.now());
    const containers = await this.#containers(stack.namespace);
    const removed = await this.#removeInWaves(containers, (name) => progress(`${name}: removed`));
    // Then the volumes (their containers are gone): those of `retain: false`, or all with --volumes.
    const leaving = new Map<string, ResourceSpec | undefined>([...recordedSpecs(containers), ...specsOf(stack)]);
    const volumes = await this.#settleVolumes({ namespace: stack.namespace, mounted: new Map(), leaving, progress, removeAll: options.volumes ?? false });
    let networkRemoved = false;
    try {
      await this.#docker.getNetwork(networkName(stack.namespace)).remove();
      networkRemoved = true;
      progress(`network ${networkName(stack.namespace)}: removed`);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
    return { target: 'docker', namespace: stack.namespace, removed, networkRemoved, volumesRemoved: volumes.removed, volumesKept: volumes.kept.filter((v) => leaving.has(v.resource)) };
  }

  logs(options: LogsOptions): AsyncIterable<LogLine> {
    return this.#logs.read(options);
  }

  logTail(namespace: string, resource: string, lines: number): Promise<string[]> {
    return this.#logs.failureTail(namespace, resource, lines);
  }

  async close(): Promise<void> {}

  /** Removes the volumes that go (retain: false, or --volumes) and reports, once each, the ones kept. */
  async #settleVolumes(options: { namespace: string; mounted: Map<string, ResourceSpec>; leaving: Map<string, ResourceSpec | undefined>; removeAll: boolean; progress: TargetProgress }): Promise<{ removed: VolumeReport[]; kept: VolumeReport[] }> {
    const { remove, keep } = volumeFates({ volumes: await listVolumes(this.#docker, options.namespace), mounted: options.mounted, leaving: options.leaving, removeAll: options.removeAll });
    await removeVolumes(this.#docker, remove.map((v) => v.name));
    const removed = remove.map(dockerVolumeReport);
    const kept = keep.map(dockerVolumeReport);
    for (const v of removed) options.progress(`${v.resource}: volume ${v.volume} removed (${v.where})`);
    for (const v of kept) options.progress(`${v.resource}: volume ${v.volume} is not mounted by the stack; its data is kept in ${v.where}`);
    return { removed, kept };
  }

  /** Read-only pass of the engine in start order: probes readiness once and runs assertions. */
  async #evaluate(namespace: string, view: MemoryStateView, waves: readonly (readonly string[])[], previous: StackReport | undefined, listed?: ContainerSummary[]): Promise<StackReport> {
    const started = performance.now();
    if (previous)
      for (const r of view.resources) {
        const before = previous.resources.find((p) => p.name === r.metadata.name);
        // Conditions too, so that their lastTransitionTime moves only when their status does.
        if (before) r.status = { ...(before.assertions.length ? { assertions: before.assertions } : {}), ...(before.conditions?.length ? { conditions: before.conditions } : {}) };
      }
    const backend = new DockerBackend({ docker: this.#docker, namespace });
    try {
      for (const wave of waves)
        await Promise.all(
          wave.map(async (name) => {
            const resource = view.getResource(namespace, name)!;
            resource.status = (await reconcileResource(resource, { view, backend, readOnly: true })).status;
          }),
        );
    } finally {
      backend.close();
    }
    const containers = listed ?? (await this.#containers(namespace));
    const order = waves.flat();
    const inStack = new Set(order);
    return stackReport({
      target: 'docker',
      namespace,
      view,
      order,
      workloads: workloadMap(containers),
      orphans: containers.filter((c) => !inStack.has(c.resource)).map((c) => c.resource),
      elapsedMs: Math.round(performance.now() - started),
    });
  }

  /** Clockwork's containers in `namespace`, or in every namespace when it is undefined. */
  async #containers(namespace: string | undefined): Promise<ContainerSummary[]> {
    const list = await this.#docker.listContainers({ all: true, filters: { label: namespaceFilter(namespace) } });
    return list.map((c) => {
      const composite = c.Labels[DOCKER_LABELS.composite];
      return {
        id: c.Id,
        name: (c.Names[0] ?? c.Id).replace(/^\//, ''),
        namespace: c.Labels[DOCKER_LABELS.namespace] ?? 'default',
        objects: recordedObjects(c.Labels[DOCKER_LABELS.objects]),
        resource: c.Labels[DOCKER_LABELS.resource] ?? c.Id,
        state: c.State,
        dependsOn: (c.Labels[DOCKER_LABELS.dependsOn] ?? '').split(',').filter(Boolean),
        ...(composite ? { composite } : {}),
      };
    });
  }

  /** Removes containers dependents first: waves of the graph their labels describe, reversed. */
  async #removeInWaves(containers: readonly ContainerSummary[], removed: (name: string) => void): Promise<string[][]> {
    const waves = teardownWaves(containers);
    const byName = new Map(containers.map((c) => [c.resource, c]));
    for (const wave of waves)
      await Promise.all(
        wave.map(async (name) => {
          const container = this.#docker.getContainer(byName.get(name)!.id);
          await container.stop({ t: 5 }).catch(() => undefined);
          await container.remove({ force: true }).catch((error: { statusCode?: number }) => {
            if (error.statusCode !== 404) throw error;
          });
          removed(name);
        }),
      );
    return waves.map((w) => [...w]);
  }
}

/**
 * Dependents before their dependencies, from the labels alone: `depends-on` (a Resource name,
 * or `composite:<name>` for every container labelled with that Composite) and `composite`.
 */
export function teardownWaves(containers: readonly Pick<ContainerSummary, 'resource' | 'dependsOn' | 'composite'>[]): string[][] {
  const composites = new Set(containers.flatMap((c) => (c.composite ? [`composite:${c.composite}`] : [])));
  const model = DependencyModel.of([
    ...containers.map((c): DependencyNode => ({ key: c.resource, kind: 'Resource', parent: c.composite && `composite:${c.composite}`, dependsOn: c.dependsOn })),
    ...[...composites].map((key): DependencyNode => ({ key, kind: 'Composite', dependsOn: [] })),
  ]);
  return model.waves(containers.map((c) => c.resource), { reverse: true });
}

/**
 * The stack's objects for the engine; with the report of a previous round (`dev` after a save),
 * each Resource starts from the state it had, so only what changes is announced again.
 */
function viewOf(stack: CompiledStack, previous?: StackReport): MemoryStateView {
  const view = new MemoryStateView(stamped(emitObjects(stack)));
  for (const r of view.resources) {
    const before = previous?.resources.find((p) => p.name === r.metadata.name);
    if (before?.conditions?.length) r.status = { conditions: before.conditions, ...(before.assertions.length ? { assertions: before.assertions } : {}) };
  }
  return view;
}

/** Objects as the engine expects them from a server: created now, first generation. */
function stamped(objects: readonly ClockworkObject[]): ClockworkObject[] {
  const now = new Date().toISOString();
  return objects.map((o) => ({ ...o, metadata: { ...o.metadata, creationTimestamp: now, generation: 1 } }) as ClockworkObject);
}

/** The stack's Resources and their specs: what is mounted from now on. */
function specsOf(stack: CompiledStack): Map<string, ResourceSpec> {
  return new Map(stack.resources.map((r) => [r.name, r.spec]));
}

/** The specs that containers recorded of their Resources when they were created. */
function recordedSpecs(containers: readonly ContainerSummary[]): Map<string, ResourceSpec | undefined> {
  return new Map(containers.map((c) => [c.resource, c.objects.find((o) => o.kind === 'Resource' && o.metadata.name === c.resource)?.spec as ResourceSpec | undefined]));
}

function dockerVolumeReport(v: VolumeRecord): VolumeReport {
  return { resource: v.resource, volume: v.volume, where: `docker volume ${v.name}`, removeWith: `docker volume rm ${v.name}` };
}

function workloadMap(containers: readonly ContainerSummary[]): Map<string, { id: string; name: string; state: string }> {
  return new Map(containers.map((c) => [c.resource, { id: c.id, name: c.name, state: c.state }]));
}


