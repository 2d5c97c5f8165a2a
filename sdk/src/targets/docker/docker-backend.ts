import { connect } from 'node:net';
import type Docker from 'dockerode';
import { LABEL_COMPOSITE, type ResourceObject, type SecurityContextSpec } from '../../api/index.ts';
import { directTarget, MAX_READ_BYTES, type AssertionTarget } from '../../assertions/index.ts';
import { directDependencies, resolvePort, type DependencyEndpoint, type ObservedWorkload, type StateView, type Workload, type WorkloadBackend, type WorkloadState } from '../../engine/index.ts';
import { ImagePuller } from './image-puller.ts';
import { demuxLogs, lastLines } from './log-frames.ts';
import { containerName, DOCKER_LABELS, MANAGED_BY, namespaceFilter, networkName } from './names.ts';
import { ReadinessProber, type ProbeResult } from './prober.ts';
import { recordObjects } from './recorded-objects.ts';
import { parseQuantity } from './quantity.ts';
import { tarArchive } from './tar.ts';

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
  /** The stack's objects: each container records its Resource and Composites from it. */
  view?: StateView;
}

/** What a failed create/start left behind, so the engine reports it instead of retrying blindly. */
interface FailedApply {
  hash: string;
  state: WorkloadState;
}

/**
 * The Docker side of the one engine: a Workload becomes a container on the namespace's network,
 * reachable by its resource name. Knows nothing of ordering or assertions; it only creates,
 * observes (readiness probed from the host) and reports.
 */
export class DockerBackend implements WorkloadBackend {
  readonly #docker: Docker;
  readonly #options: DockerBackendOptions;
  readonly #network: string;
  readonly #puller: ImagePuller;
  readonly #probers = new Map<string, { containerId: string; prober: ReadinessProber }>();
  readonly #failures = new Map<string, FailedApply>();
  readonly #started = new Set<string>();
  readonly #ips = new Map<string, string>();
  #networkReady: Promise<void> | undefined;
  #events: NodeJS.ReadableStream | undefined;

  constructor(options: DockerBackendOptions) {
    this.#docker = options.docker;
    this.#options = options;
    this.#network = networkName(options.namespace);
    this.#puller = new ImagePuller(options.docker, (image, message) => options.progress?.(image, message));
  }

  endpointOf(resource: ResourceObject): DependencyEndpoint {
    const port = resource.spec.ports?.[0]?.port;
    return { name: resource.metadata.name, host: resource.metadata.name, ...(port !== undefined ? { port } : {}) };
  }

  async observe(resource: ResourceObject): Promise<ObservedWorkload | undefined> {
    const name = resource.metadata.name;
    const info = await this.#inspect(name);
    const failure = this.#failures.get(name);
    if (!info) return failure;
    const labels = info.Config.Labels ?? {};
    if (labels[DOCKER_LABELS.namespace] !== this.#options.namespace || labels[DOCKER_LABELS.resource] !== name)
      throw new Error(`container ${containerName(this.#options.namespace, name)} exists but does not belong to Resource ${this.#options.namespace}/${name}; remove it or use another namespace`);
    const hash = labels[DOCKER_LABELS.specHash] ?? '';
    const ip = info.NetworkSettings.Networks?.[this.#network]?.IPAddress;
    if (ip) this.#ips.set(name, ip);
    const since = new Date(info.State.StartedAt && !info.State.StartedAt.startsWith('0001') ? info.State.StartedAt : info.Created);
    if (!info.State.Running) {
      this.#stopProber(name);
      if (this.#options.repairStopped && !this.#started.has(info.Id))
        return { hash, state: { ready: false, reason: 'Missing', message: `container ${info.State.Status}; recreating it` } };
      const reason = info.State.OOMKilled ? 'OOMKilled' : info.State.Status === 'created' ? 'NotStarted' : 'Exited';
      // Its output is not copied here: whoever reports the failure reads the last lines (`logTail`).
      const what = info.State.Status === 'created' ? 'was created but never started' : `exited with code ${info.State.ExitCode}${info.State.Error ? ` (${info.State.Error})` : ''}`;
      return { hash, state: { ready: false, failed: true, reason, since, message: `container ${what}` } };
    }
    const prober = this.#ensureProber(resource, info.Id);
    if (!prober.state.probed) await prober.probeNow();
    const probe = prober.state;
    if (probe.ready) return { hash, state: { ready: true, running: true, reason: 'Ready', message: resource.spec.readiness ? `running; readiness probe passed` : 'running (no readiness probe)', since } };
    return { hash, state: { ready: false, running: true, reason: probe.everReady ? 'Unhealthy' : 'Starting', message: `readiness probe failing: ${probe.message}`, since } };
  }

  async apply(resource: ResourceObject, workload: Workload, observed: ObservedWorkload | undefined): Promise<void> {
    const name = resource.metadata.name;
    this.#failures.delete(name);
    const fail = (reason: string, message: string) => this.#failures.set(name, { hash: workload.hash, state: { ready: false, failed: true, reason, message, since: new Date() } });
    const unresolvable = workload.env.filter((e) => e.valueFrom);
    if (unresolvable.length > 0) {
      fail('InvalidSpec', `env ${unresolvable.map((e) => e.name).join(', ')} use${unresolvable.length === 1 ? 's' : ''} secretKeyRef/configMapKeyRef, which the Docker target cannot resolve; give a value instead`);
      return;
    }
    try {
      await this.#puller.ensure(workload.image, name);
    } catch (error) {
      fail('ErrImagePull', (error as Error).message);
      await this.#remove(name);
      return;
    }
    await this.ensureNetwork();
    if (observed) await this.#remove(name);
    const container = await this.#docker.createContainer(this.#containerSpec(resource, workload));
    try {
      if (workload.files.length > 0) await container.putArchive(tarArchive(workload.files.map((f) => ({ path: f.mountPath, content: f.content }))), { path: '/' });
      this.#started.add(container.id);
      await container.start();
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      fail('StartFailed', `container could not start: ${dockerMessage(error)}`);
      return;
    }
    this.#ensureProber(resource, container.id);
  }

  assertionTarget(resource: ResourceObject, workload: Workload): AssertionTarget {
    const name = resource.metadata.name;
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
      // The first MAX_READ_BYTES, as the operator reads a Pod log (limitBytes).
      logs: async (sinceSeconds) => demuxLogs(await container.logs({ stdout: true, stderr: true, follow: false, ...(sinceSeconds ? { since: Math.floor(Date.now() / 1000) - sinceSeconds } : {}) })).slice(0, MAX_READ_BYTES),
    });
  }

  /** Creates the namespace's network when it is missing. */
  ensureNetwork(): Promise<void> {
    this.#networkReady ??= (async () => {
      const existing = await this.#docker.listNetworks({ filters: { name: [this.#network] } });
      if (existing.some((n) => n.Name === this.#network)) return;
      await this.#docker
        .createNetwork({ Name: this.#network, Driver: 'bridge', CheckDuplicate: true, Labels: { [DOCKER_LABELS.managedBy]: MANAGED_BY, [DOCKER_LABELS.namespace]: this.#options.namespace } })
        .catch((error: { statusCode?: number }) => {
          if (error.statusCode !== 409) throw error;
        });
    })().catch((error: unknown) => {
      this.#networkReady = undefined;
      throw error;
    });
    return this.#networkReady;
  }

  /** Wakes the Resource whose container died or started (the Docker equivalent of a watch). */
  async watchEvents(): Promise<void> {
    const stream = (await this.#docker.getEvents({ filters: { type: ['container'], event: ['die', 'start', 'destroy'], label: namespaceFilter(this.#options.namespace) } })) as NodeJS.ReadableStream;
    this.#events = stream;
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        try {
          const event = JSON.parse(line) as { status?: string; Action?: string; Actor?: { Attributes?: Record<string, string> } };
          const resource = event.Actor?.Attributes?.[DOCKER_LABELS.resource];
          if (!resource) continue;
          if ((event.Action ?? event.status) !== 'start') this.#stopProber(resource);
          this.#options.onChange?.(resource);
        } catch {
          // A partial or foreign line: ignore it; the next reconcile reads the real state.
        }
      }
    });
    stream.on('error', () => undefined);
  }

  /** Stops probing and watching; containers keep running. */
  close(): void {
    for (const name of [...this.#probers.keys()]) this.#stopProber(name);
    const events = this.#events as (NodeJS.ReadableStream & { destroy?: () => void }) | undefined;
    events?.destroy?.();
    this.#events = undefined;
  }

  #containerSpec(resource: ResourceObject, workload: Workload): Docker.ContainerCreateOptions {
    const bindHost = this.#options.publishAllInterfaces ? '0.0.0.0' : '127.0.0.1';
    const exposed: Record<string, object> = {};
    const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
    for (const p of workload.ports) {
      const key = `${p.port}/${(p.protocol ?? 'TCP').toLowerCase()}`;
      exposed[key] = {};
      if (p.hostPort !== undefined) bindings[key] = [{ HostIp: bindHost, HostPort: String(p.hostPort) }];
    }
    const deps = directDependencies(resource).refs.map((r) => (r.kind === 'Composite' ? `composite:${r.name}` : r.name));
    const composite = resource.metadata.labels?.[LABEL_COMPOSITE];
    const memory = parseQuantity(workload.resources?.limits?.memory);
    const cpus = parseQuantity(workload.resources?.limits?.cpu);
    return {
      name: containerName(workload.namespace, workload.name),
      Image: workload.image,
      Hostname: workload.name,
      ...(workload.command ? { Entrypoint: workload.command } : {}),
      ...(workload.args ? { Cmd: workload.args } : {}),
      ...(workload.securityContext?.runAsUser !== undefined ? { User: dockerUser(workload.securityContext) } : {}),
      Env: workload.env.map((e) => `${e.name}=${e.value ?? ''}`),
      ExposedPorts: exposed,
      Labels: {
        ...workload.labels,
        [DOCKER_LABELS.managedBy]: MANAGED_BY,
        [DOCKER_LABELS.namespace]: workload.namespace,
        [DOCKER_LABELS.resource]: workload.name,
        [DOCKER_LABELS.specHash]: workload.hash,
        [DOCKER_LABELS.dependsOn]: deps.join(','),
        ...(composite ? { [DOCKER_LABELS.composite]: composite } : {}),
        [DOCKER_LABELS.objects]: recordObjects(resource, this.#options.view),
      },
      HostConfig: {
        NetworkMode: this.#network,
        PortBindings: bindings,
        RestartPolicy: { Name: 'no' },
        // An init process forwards SIGTERM, so a server running as PID 1 stops at once on destroy.
        Init: true,
        ...(memory ? { Memory: Math.round(memory) } : {}),
        ...(cpus ? { NanoCpus: Math.round(cpus * 1e9) } : {}),
      },
      NetworkingConfig: { EndpointsConfig: { [this.#network]: { Aliases: [workload.name] } } },
    };
  }

  #ensureProber(resource: ResourceObject, containerId: string): ReadinessProber {
    const name = resource.metadata.name;
    const current = this.#probers.get(name);
    if (current?.containerId === containerId) return current.prober;
    this.#stopProber(name);
    const prober = new ReadinessProber({
      spec: resource.spec.readiness,
      probe: () => this.#probe(resource, containerId),
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

  /** One readiness probe, run from the host: exec through the engine, http/tcp to the container's IP. */
  async #probe(resource: ResourceObject, containerId: string): Promise<ProbeResult> {
    const readiness = resource.spec.readiness;
    const timeoutMs = (readiness?.timeoutSeconds ?? 1) * 1000;
    if (!readiness) {
      const info = await this.#docker.getContainer(containerId).inspect();
      return { ok: info.State.Running, message: info.State.Running ? 'running' : `container ${info.State.Status}` };
    }
    if (readiness.exec) return execProbe(this.#docker.getContainer(containerId), readiness.exec.command, timeoutMs);
    const ip = this.#ips.get(resource.metadata.name) ?? (await this.#docker.getContainer(containerId).inspect()).NetworkSettings.Networks?.[this.#network]?.IPAddress;
    if (!ip) return { ok: false, message: `container has no address on network ${this.#network}` };
    const ports = resource.spec.ports ?? [];
    if (readiness.httpGet) {
      const port = resolvePort(ports, readiness.httpGet.port);
      const url = `http://${ip}:${port}${readiness.httpGet.path ?? '/'}`;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
        await response.body?.cancel();
        const ok = response.status >= 200 && response.status < 400;
        return { ok, message: `GET ${readiness.httpGet.path ?? '/'} on port ${port}: ${response.status}` };
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        return { ok: false, message: `GET ${readiness.httpGet.path ?? '/'} on port ${port}: ${cause}` };
      }
    }
    const port = resolvePort(ports, readiness.tcpSocket!.port)!;
    return tcpProbe(ip, port, timeoutMs);
  }

  async #inspect(name: string): Promise<Docker.ContainerInspectInfo | undefined> {
    try {
      return await this.#docker.getContainer(containerName(this.#options.namespace, name)).inspect();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  async #remove(name: string): Promise<void> {
    this.#stopProber(name);
    await this.#docker
      .getContainer(containerName(this.#options.namespace, name))
      .remove({ force: true })
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404) throw error;
      });
  }
}

async function execProbe(container: Docker.Container, command: string[], timeoutMs: number): Promise<ProbeResult> {
  const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
  const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream & { destroy(): void };
  const chunks: Buffer[] = [];
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([
    new Promise<boolean>((resolve) => {
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve(true));
      stream.on('close', () => resolve(true));
      stream.on('error', () => resolve(true));
    }),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (!finished) {
    stream.destroy();
    return { ok: false, message: `${command.join(' ')}: timed out after ${timeoutMs} ms` };
  }
  const info = await exec.inspect();
  const output = lastLines(demuxLogs(Buffer.concat(chunks)), 2).join(' | ');
  return { ok: info.ExitCode === 0, message: `${command.join(' ')}: exit code ${info.ExitCode}${output ? ` (${output})` : ''}` };
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ok: true, message: `port ${port} accepts connections` });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ ok: false, message: `connect to port ${port}: timed out` });
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve({ ok: false, message: `connect to port ${port}: ${e.code ?? e.message}` }));
  });
}

/** The engine's message without dockerode's "(HTTP code 500) server error -" prefix. */
export function dockerMessage(error: unknown): string {
  const e = error as { json?: { message?: string }; message?: string };
  return e.json?.message ?? e.message?.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '') ?? String(error);
}

/** `docker run --user` from the Resource's securityContext: `uid` or `uid:gid`. */
function dockerUser(context: SecurityContextSpec): string {
  return context.runAsGroup !== undefined ? `${context.runAsUser}:${context.runAsGroup}` : String(context.runAsUser);
}
