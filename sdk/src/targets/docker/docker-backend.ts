import type Docker from 'dockerode';
import { REASON } from '../../api/index.ts';
import { directTarget, type AssertionTarget } from '../../assertions/index.ts';
import { FAILURE_LOG_LINES, restartNote, type ObservedWorkload, type Workload, type WorkloadBackend, type WorkloadKey, type WorkloadState } from '../../engine/index.ts';
import { containerSpec } from './container-spec.ts';
import { needsLog, settledState, startedAt } from './container-state.ts';
import { watchContainerEvents } from './container-events.ts';
import { logSince, tailLog } from './container-logs.ts';
import { probeContainer } from './container-probes.ts';
import { dockerMessage, ignoreStatus, statusCode } from './docker-errors.ts';
import { ImagePuller } from './image-puller.ts';
import { containerName, DOCKER_LABELS } from './names.ts';
import { NamespaceNetwork } from './network.ts';
import { ReadinessProber } from './prober.ts';
import { readContainerFile } from './container-files.ts';
import { filesHash, updatedInPlace } from '../../engine/index.ts';
import { tarArchive } from './tar.ts';
import { ensureVolumes, VolumeConflictError } from './volumes.ts';

export interface DockerBackendOptions {
  docker: Docker;
  namespace: string;
  /** Publish hostPorts on 0.0.0.0 instead of 127.0.0.1. */
  publishAllInterfaces?: boolean;
  /** Something about a Resource's workload changed (Ready flipped, container died): reconcile it. */
  onChange?: (resource: string) => void;
  /** Progress lines a user wants to see (image pulls). */
  progress?: (resource: string, message: string) => void;
  /** Apply: a stopped container this process did not start is recreated. Status: reported as it is. */
  repairStopped?: boolean;
  /** The wall clock (when an apply failed; the window of a log read). */
  now?: () => Date;
}

/** What a failed create/start left behind, so the engine reports it instead of retrying blindly. */
interface FailedApply {
  hash: string;
  state: WorkloadState;
}

/** How long a replaced container has to stop after SIGTERM (a Pod's default is 30 s). */
const STOP_GRACE_SECONDS = 10;

/**
 * The Docker side of the one engine: a Workload becomes a container on the namespace's network,
 * reachable by its resource name. Knows nothing of ordering or assertions; it only creates,
 * observes (readiness probed from the host) and reports.
 */
export class DockerBackend implements WorkloadBackend {
  readonly #docker: Docker;
  readonly #options: DockerBackendOptions;
  readonly #network: NamespaceNetwork;
  readonly #puller: ImagePuller;
  readonly #probers = new Map<string, { containerId: string; prober: ReadinessProber }>();
  readonly #failures = new Map<string, FailedApply>();
  readonly #started = new Set<string>();
  /** Containers someone stopped or killed (an engine `kill` event): brought back, not reported as crashed. */
  readonly #stopped = new Set<string>();
  /** The `filesHash` of what each container's files hold, as this process wrote or read them. */
  readonly #files = new Map<string, string>();
  readonly #ips = new Map<string, string>();
  #stopEvents: (() => void) | undefined;

  constructor(options: DockerBackendOptions) {
    this.#docker = options.docker;
    this.#options = options;
    this.#network = new NamespaceNetwork(options.docker, options.namespace);
    this.#puller = new ImagePuller(options.docker, (image, message) => options.progress?.(image, message));
  }

  hostOf(workload: WorkloadKey): string {
    return workload.name;
  }

  async observe(workload: Workload): Promise<ObservedWorkload | undefined> {
    const { name } = workload;
    const info = await this.#inspect(name);
    const failure = this.#failures.get(name);
    if (!info) return failure;
    const labels = info.Config.Labels ?? {};
    // Replacing failed (a volume conflict): the old container runs on, the new spec is reported.
    if (failure && failure.hash === workload.hash && labels[DOCKER_LABELS.specHash] !== workload.hash) return failure;
    if (labels[DOCKER_LABELS.namespace] !== this.#options.namespace || labels[DOCKER_LABELS.resource] !== name)
      throw new Error(`container ${containerName(this.#options.namespace, name)} exists but does not belong to Resource ${this.#options.namespace}/${name}; remove it or use another namespace`);
    const hash = labels[DOCKER_LABELS.specHash] ?? '';
    const ip = info.NetworkSettings.Networks?.[this.#network.name]?.IPAddress;
    if (ip) this.#ips.set(name, ip);
    const since = startedAt(info);
    // A task's files are part of its hash: only a server's are ever updated in place.
    const files = this.#options.repairStopped && workload.run === 'always' ? await this.#filesHashOf(info.Id, workload) : undefined;
    const observed = (state: ObservedWorkload['state']): ObservedWorkload => ({ hash, ...(files !== undefined ? { filesHash: files } : {}), state });
    // A server that stopped although its restart policy would have restarted it was stopped by
    // someone (or never started by this apply): recreated. A task's exit is its result.
    const stopped = !info.State.Running && !info.State.Restarting;
    if (stopped && workload.run === 'always' && this.#options.repairStopped && (!this.#started.has(info.Id) || this.#stopped.has(info.Id))) {
      this.#stopProber(name);
      return observed({ ready: false, reason: REASON.Missing, message: `container ${info.State.Status}${this.#stopped.has(info.Id) ? ' (stopped from outside)' : ''}; recreating it` });
    }
    const lastLines = needsLog(info, workload) ? await tailLog(this.#docker.getContainer(info.Id), FAILURE_LOG_LINES) : undefined;
    const settled = settledState(info, workload, lastLines);
    if (settled) {
      this.#stopProber(name);
      return observed(settled);
    }
    const restarts = info.RestartCount ?? 0;
    const counted = restarts ? { restarts } : {};
    const prober = this.#ensureProber(workload, info.Id);
    if (!prober.state.probed) await prober.probeNow();
    const probe = prober.state;
    if (probe.ready)
      return observed({ ready: true, running: true, reason: REASON.Ready, message: `${workload.readiness ? 'running; readiness probe passed' : 'running (no readiness probe)'}${restartNote(restarts)}`, since, ...counted });
    return observed({ ready: false, running: true, reason: probe.everReady ? REASON.Unhealthy : REASON.Starting, message: `readiness probe failing: ${probe.message}${restartNote(restarts)}`, since, ...counted });
  }

  async apply(workload: Workload, observed: ObservedWorkload | undefined): Promise<void> {
    const { name } = workload;
    this.#failures.delete(name);
    const fail = (reason: string, message: string) => this.#failures.set(name, { hash: workload.hash, state: { ready: false, failed: true, reason, message, since: this.#now() } });
    const unresolvable = workload.env.filter((e) => e.valueFrom);
    if (unresolvable.length > 0) {
      fail(REASON.InvalidSpec, `env ${unresolvable.map((e) => e.name).join(', ')} use${unresolvable.length === 1 ? 's' : ''} secretKeyRef/configMapKeyRef, which the Docker target cannot resolve; give a value instead`);
      return;
    }
    try {
      await this.#puller.ensure(workload.image, name);
    } catch (error) {
      fail(REASON.ErrImagePull, (error as Error).message);
      await this.#remove(name);
      return;
    }
    await this.ensureNetwork();
    try {
      await ensureVolumes(this.#docker, workload);
    } catch (error) {
      if (!(error instanceof VolumeConflictError)) throw error;
      this.#failures.set(name, { hash: workload.hash, state: { ready: false, failed: true, terminal: true, reason: REASON.ChildConflict, message: error.message, since: this.#now() } });
      return;
    }
    if (workload.run === 'always' && observed && observed.hash === workload.hash && observed.state.reason !== REASON.Missing && observed.filesHash !== workload.filesHash) {
      // Only the files' content changed: copied into the running container, which keeps its
      // process, address and volumes (a reload, if any, is the developer's to send).
      const info = await this.#inspect(name);
      if (info?.State.Running) {
        await this.#docker.getContainer(info.Id).putArchive(tarArchive(workload.files.map((f) => ({ path: f.mountPath, content: f.content }))), { path: '/' });
        this.#files.set(info.Id, workload.filesHash);
        return;
      }
    }
    // The old container goes before the new one starts: never two processes on one volume.
    if (observed) await this.#remove(name);
    const container = await this.#docker.createContainer(containerSpec(workload, { network: this.#network.name, ...(this.#options.publishAllInterfaces ? { publishAllInterfaces: true } : {}) }));
    this.#files.set(container.id, workload.filesHash);
    try {
      if (workload.files.length > 0) await container.putArchive(tarArchive(workload.files.map((f) => ({ path: f.mountPath, content: f.content }))), { path: '/' });
      this.#started.add(container.id);
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      fail(REASON.StartFailed, `container could not start: ${dockerMessage(error)}`);
      return;
    }
    this.#ensureProber(workload, container.id);
  }

  assertionTarget(workload: Workload): AssertionTarget {
    const { name } = workload;
    const container = this.#docker.getContainer(containerName(this.#options.namespace, name));
    return directTarget({
      address: (port) => {
        const published = workload.ports.find((p) => p.port === port && p.hostPort !== undefined);
        if (published) return { host: '127.0.0.1', port: published.hostPort! };
        return { host: this.#ips.get(name) ?? '127.0.0.1', port };
      },
      running: async () => {
        const info = await container.inspect();
        return { running: info.State.Running, message: info.State.Running ? `container running since ${info.State.StartedAt}` : `container ${info.State.Status} (exit code ${info.State.ExitCode})` };
      },
      logs: (sinceSeconds) => logSince(container, sinceSeconds, this.#now().getTime()),
    });
  }

  /** Creates the namespace's network when it is missing. */
  ensureNetwork(): Promise<void> {
    return this.#network.ensure();
  }

  /** Wakes the Resource whose container died or started (the Docker equivalent of a watch). */
  async watchEvents(): Promise<void> {
    const events = watchContainerEvents({
      docker: this.#docker,
      namespace: this.#options.namespace,
      actions: ['die', 'start', 'destroy', 'kill'],
      onEvent: ({ resource, action, container }) => {
        // `docker stop` and `docker kill` send a kill first; a process that crashes does not.
        if (action === 'kill') return void this.#stopped.add(container);
        if (action === 'start') this.#stopped.delete(container);
        else this.#stopProber(resource);
        this.#options.onChange?.(resource);
      },
    });
    this.#stopEvents = events.stop;
    await events.opened;
  }

  /** Stops probing and watching; containers keep running. */
  close(): void {
    for (const name of [...this.#probers.keys()]) this.#stopProber(name);
    this.#stopEvents?.();
    this.#stopEvents = undefined;
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }

  #ensureProber(workload: Workload, containerId: string): ReadinessProber {
    const { name } = workload;
    const current = this.#probers.get(name);
    if (current?.containerId === containerId) return current.prober;
    this.#stopProber(name);
    const container = this.#docker.getContainer(containerId);
    const prober = new ReadinessProber({
      spec: workload.readiness,
      probe: () =>
        probeContainer({
          container,
          readiness: workload.readiness,
          ports: workload.ports,
          network: this.#network.name,
          address: async () => this.#ips.get(name) ?? (await container.inspect()).NetworkSettings.Networks?.[this.#network.name]?.IPAddress,
        }),
      onChange: () => this.#options.onChange?.(name),
    });
    this.#probers.set(name, { containerId, prober });
    prober.start();
    return prober;
  }

  #stopProber(name: string): void {
    this.#probers.get(name)?.prober.stop();
    this.#probers.delete(name);
  }

  async #inspect(name: string): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      return await this.#docker.getContainer(containerName(this.#options.namespace, name)).inspect();
    } catch (error) {
      if (statusCode(error) === 404) return undefined;
      throw error;
    }
  }

  /** What the container's files hold (read once per container, then what this process wrote). */
  async #filesHashOf(id: string, workload: Workload): Promise<string | undefined> {
    const files = workload.files.filter((f) => updatedInPlace(f.mountPath));
    if (files.length === 0) return filesHash([]);
    const known = this.#files.get(id);
    if (known !== undefined) return known;
    const container = this.#docker.getContainer(id);
    const found = await Promise.all(files.map(async (f) => ({ mountPath: f.mountPath, content: (await readContainerFile(container, f.mountPath).catch(() => undefined)) ?? '' })));
    const hash = filesHash(found);
    this.#files.set(id, hash);
    return hash;
  }

  /** Stops the container as a Pod is stopped (SIGTERM, then SIGKILL after a grace period) and removes it. */
  async #remove(name: string): Promise<void> {
    this.#stopProber(name);
    const container = this.#docker.getContainer(containerName(this.#options.namespace, name));
    // 304: already stopped; 404: already gone.
    await container.stop({ t: STOP_GRACE_SECONDS }).catch((error: unknown) => {
      if (![304, 404].includes(statusCode(error) ?? 0)) throw error;
    });
    await ignoreStatus(404, container.remove({ force: true }));
  }
}
