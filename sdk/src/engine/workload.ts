import {
  DEFAULT_BACKOFF_LIMIT,
  DEFAULT_VOLUME_SIZE,
  GROUP,
  LABEL_COMPOSITE,
  volumeClaimName,
  type RunMode,
  type AssertionSpec,
  type ClockworkObject,
  type CompositeObject,
  type FileSpec,
  type PortSpec,
  type ReadinessSpec,
  type ResourceObject,
  type ResourcesSpec,
  type SecurityContextSpec,
  type EnvVarSpec,
} from '../api/index.ts';
import { directDependencies, type ResolvedRef } from './dependencies.ts';
import { specHash } from './spec-hash.ts';

/** What a dependency exposes to its dependents: how to reach it. */
export interface DependencyEndpoint {
  name: string;
  /** The host name dependents use: a Service DNS name on Kubernetes, an alias on Docker. */
  host: string;
  /** Its first port, if it has any. */
  port?: number;
}

/** A volume as a backend creates it: the Resource's volume with its defaults filled in. */
export interface WorkloadVolume {
  name: string;
  mountPath: string;
  /** The PersistentVolumeClaim on Kubernetes: `<resource>-<volume>`. */
  claimName: string;
  size: string;
  storageClass?: string;
  /** Kept when the Resource goes (no ownerReference; a label says whose it is). */
  retain: boolean;
}

/** Which workload: a Resource's namespace and name. */
export interface WorkloadKey {
  namespace: string;
  name: string;
}

/**
 * Where a workload comes from. Not part of the hash: a change here never replaces a workload.
 * Backends write it onto what they create; none of it changes what runs.
 */
export interface WorkloadOwner {
  /** The Resource's uid (the owner of the Kubernetes children); absent before the server set it. */
  uid?: string;
  /** The Composite the Resource sits in directly (label `clockwork.dev/composite`). */
  composite?: string;
  /** What the Resource declares it depends on, so that a teardown can be ordered without the stack file. */
  dependsOn: ResolvedRef[];
  /** The Composites the Resource sits in (outermost first) and the Resource, as applied (no status). */
  objects: ClockworkObject[];
}

/**
 * What should run for one Resource, independent of the backend: the Kubernetes backend turns
 * it into a Pod, Service and ConfigMap, the Docker backend into a container. It is the whole
 * contract: a backend reads nothing of the Resource but this.
 */
export interface Workload extends WorkloadKey {
  image: string;
  command?: string[];
  args?: string[];
  env: EnvVarSpec[];
  ports: PortSpec[];
  files: FileSpec[];
  readiness?: ReadinessSpec;
  resources?: ResourcesSpec;
  securityContext?: SecurityContextSpec;
  /** always: restarted whenever it exits. once: a task, run to completion, retried up to backoffLimit times. */
  run: RunMode;
  /** Retries of a task after a non-zero exit (run: once). */
  backoffLimit: number;
  volumes: WorkloadVolume[];
  assertions: AssertionSpec[];
  /** The Resource's own labels and annotations, `clockwork.dev/*` and kubectl's left out. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /**
   * Hash of everything above but the assertions and the files' content (their paths count): a
   * workload whose hash changed is replaced.
   */
  hash: string;
  /** Hash of the files' content: a change of it alone updates the files in place. */
  filesHash: string;
  owner: WorkloadOwner;
}

/** `postgres-db` → `POSTGRES_DB`. */
export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** `D_HOST`/`D_PORT` for each dependency, then the user's own env, which wins on a clash. */
export function injectedEnv(own: readonly EnvVarSpec[], dependencies: readonly DependencyEndpoint[]): EnvVarSpec[] {
  const ownNames = new Set(own.map((e) => e.name));
  const injected: EnvVarSpec[] = [];
  for (const dep of [...dependencies].sort((a, b) => a.name.localeCompare(b.name))) {
    const prefix = envPrefix(dep.name);
    const vars: [string, string | undefined][] = [
      [`${prefix}_HOST`, dep.host],
      [`${prefix}_PORT`, dep.port === undefined ? undefined : String(dep.port)],
    ];
    for (const [name, value] of vars) if (value !== undefined && !ownNames.has(name) && !injected.some((e) => e.name === name)) injected.push({ name, value });
  }
  return [...injected, ...own];
}

const KUBECTL_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
const isOwnMetadata = (key: string) => !key.startsWith(`${GROUP}/`) && !key.endsWith(`.${GROUP}/`) && key !== KUBECTL_ANNOTATION;

function copyMetadata(record: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).filter(([k]) => isOwnMetadata(k)).sort(([a], [b]) => a.localeCompare(b)));
}

export interface DesiredWorkloadOptions {
  /** Where its dependencies (own and inherited) can be reached: injected as `<DEP>_HOST`/`<DEP>_PORT`. */
  dependencies?: readonly DependencyEndpoint[];
  /** The Composites it sits in, innermost first (as `StateGraph.ancestorsOf` gives them). */
  ancestors?: readonly CompositeObject[];
}

/** The workload a Resource should have, given where its dependencies can be reached. */
export function desiredWorkload(resource: ResourceObject, options: DesiredWorkloadOptions = {}): Workload {
  const { spec, metadata } = resource;
  const body = {
    namespace: metadata.namespace ?? 'default',
    name: metadata.name,
    image: spec.image,
    ...(spec.command ? { command: spec.command } : {}),
    ...(spec.args ? { args: spec.args } : {}),
    env: injectedEnv(spec.env ?? [], options.dependencies ?? []),
    ports: spec.ports ?? [],
    files: spec.files ?? [],
    ...(spec.readiness ? { readiness: spec.readiness } : {}),
    ...(spec.resources ? { resources: spec.resources } : {}),
    ...(spec.securityContext ? { securityContext: spec.securityContext } : {}),
    run: spec.run ?? 'always',
    backoffLimit: spec.run === 'once' ? (spec.backoffLimit ?? DEFAULT_BACKOFF_LIMIT) : 0,
    volumes: (spec.volumes ?? []).map(
      (v): WorkloadVolume => ({
        name: v.name,
        mountPath: v.mountPath,
        claimName: volumeClaimName(metadata.name, v.name),
        size: v.size ?? DEFAULT_VOLUME_SIZE,
        ...(v.storageClass ? { storageClass: v.storageClass } : {}),
        retain: v.retain ?? true,
      }),
    ),
    assertions: spec.assertions ?? [],
    labels: copyMetadata(metadata.labels),
    annotations: copyMetadata(metadata.annotations),
  };
  // Assertions run beside the workload, so changing one must not restart it; nor does a change of
  // the content of files the backends update in place (a ConfigMap volume, a copy); nor a
  // volume's size, class or retention (they concern the claim, which outlives the workload).
  // Defaults stay out of the hash, so a workload made before these fields existed is kept.
  const { assertions: _assertions, files, run, backoffLimit, volumes, ...rest } = body;
  // A task's files are part of what it runs (a migration's SQL): a change of them runs it again.
  const pinned = (f: FileSpec) => (run === 'always' && updatedInPlace(f.mountPath) ? f.mountPath : [f.mountPath, f.content]);
  const restartRelevant = {
    ...rest,
    files: files.map(pinned),
    ...(run === 'once' ? { run, backoffLimit } : {}),
    ...(volumes.length ? { volumes: volumes.map((v) => ({ name: v.name, mountPath: v.mountPath })) } : {}),
  };
  const composite = metadata.labels?.[LABEL_COMPOSITE];
  const owner: WorkloadOwner = {
    ...(metadata.uid ? { uid: metadata.uid } : {}),
    ...(composite ? { composite } : {}),
    dependsOn: directDependencies(resource).refs,
    objects: [...[...(options.ancestors ?? [])].reverse(), resource].map((o) => asApplied<ClockworkObject>(o)),
  };
  return { ...body, hash: specHash(restartRelevant), filesHash: filesHash(files), owner };
}

/**
 * Whether a change of a file's content is applied in place: a file in a directory of its own
 * (`/etc/prometheus/prometheus.yml`), which Kubernetes mounts whole from the ConfigMap so the
 * kubelet rewrites it. A file directly in a top-level directory (`/etc/app.conf`) is mounted
 * alone there (mounting `/etc` whole would hide the image's own): a change of it replaces the
 * workload, on every target alike.
 */
export function updatedInPlace(mountPath: string): boolean {
  return mountPath.split('/').filter(Boolean).length >= 3;
}

/** The hash of the content of the files updated in place, as a Workload's `filesHash` (a backend computes it of what it finds). */
export function filesHash(files: readonly FileSpec[]): string {
  return specHash(files.filter((f) => updatedInPlace(f.mountPath)).map((f) => [f.mountPath, f.content]));
}

/** How dependents reach a workload: the backend's host name for it and its first port. */
export function endpointOf(resource: ResourceObject, host: string): DependencyEndpoint {
  const port = resource.spec.ports?.[0]?.port;
  return { name: resource.metadata.name, host, ...(port !== undefined ? { port } : {}) };
}

/** Without status or server-set metadata: what the stack said. */
function asApplied<T extends ClockworkObject>(object: T): T {
  const { name, namespace, labels, annotations } = object.metadata;
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
    spec: object.spec,
  } as T;
}
