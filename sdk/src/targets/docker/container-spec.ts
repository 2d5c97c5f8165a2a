import type Docker from 'dockerode';
import type { SecurityContextSpec } from '../../api/index.ts';
import type { Workload } from '../../engine/index.ts';
import { containerName, DOCKER_LABELS, MANAGED_BY } from './names.ts';
import { parseQuantity } from './quantity.ts';
import { recordObjects } from './recorded-objects.ts';
import { volumeName } from './volumes.ts';

export interface ContainerSpecOptions {
  /** The namespace's network: the container joins it under its Resource's name. */
  network: string;
  /** Publish hostPorts on 0.0.0.0 instead of 127.0.0.1. */
  publishAllInterfaces?: boolean;
}

/**
 * Pure: the container a Workload becomes. Its labels hold everything the Docker target later
 * reads back (there is no state file): the spec hash, what it depends on, its Composite, and the
 * objects it was applied from.
 */
export function containerSpec(workload: Workload, options: ContainerSpecOptions): Docker.ContainerCreateOptions {
  const bindHost = options.publishAllInterfaces ? '0.0.0.0' : '127.0.0.1';
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const p of workload.ports) {
    const key = `${p.port}/${(p.protocol ?? 'TCP').toLowerCase()}`;
    exposed[key] = {};
    if (p.hostPort !== undefined) bindings[key] = [{ HostIp: bindHost, HostPort: String(p.hostPort) }];
  }
  const { owner } = workload;
  const deps = owner.dependsOn.map((r) => (r.kind === 'Composite' ? `composite:${r.name}` : r.name));
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
      ...(owner.composite ? { [DOCKER_LABELS.composite]: owner.composite } : {}),
      [DOCKER_LABELS.objects]: recordObjects(owner.objects),
    },
    HostConfig: {
      NetworkMode: options.network,
      PortBindings: bindings,
      RestartPolicy: restartPolicy(workload),
      // Named volumes (created beforehand, labelled): the data outlives the container.
      ...(workload.volumes.length ? { Mounts: workload.volumes.map((v) => ({ Type: 'volume' as const, Source: volumeName(workload.namespace, workload.name, v.name), Target: v.mountPath })) } : {}),
      // An init process forwards SIGTERM, so a server running as PID 1 stops at once on destroy.
      Init: true,
      // As restricted as the Pod: every capability dropped, no privilege escalation (setuid
      // binaries gain nothing), Docker's default seccomp profile (RuntimeDefault on the Pod).
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      ...(memory ? { Memory: Math.round(memory) } : {}),
      ...(cpus ? { NanoCpus: Math.round(cpus * 1e9) } : {}),
    },
    NetworkingConfig: { EndpointsConfig: { [options.network]: { Aliases: [workload.name] } } },
  };
}

/**
 * What the engine does when the process exits, as the kubelet would: a server (run: always) is
 * restarted with a growing back-off, also after the daemon restarts (unless someone stopped it);
 * a task (run: once) is retried after a non-zero exit up to backoffLimit times.
 */
export function restartPolicy(workload: Pick<Workload, 'run' | 'backoffLimit'>): Docker.HostRestartPolicy {
  if (workload.run === 'always') return { Name: 'unless-stopped' };
  // on-failure with a count of 0 would mean "without limit".
  return workload.backoffLimit > 0 ? { Name: 'on-failure', MaximumRetryCount: workload.backoffLimit } : { Name: 'no' };
}

/** `docker run --user` from the Resource's securityContext: `uid` or `uid:gid`. */
function dockerUser(context: SecurityContextSpec): string {
  return context.runAsGroup !== undefined ? `${context.runAsUser}:${context.runAsGroup}` : String(context.runAsUser);
}
