import {
  GROUP,
  type AssertionSpec,
  type FileSpec,
  type PortSpec,
  type ReadinessSpec,
  type ResourceObject,
  type ResourcesSpec,
  type SecurityContextSpec,
  type EnvVarSpec,
} from '../api/index.ts';
import { specHash } from './spec-hash.ts';

/** What a dependency exposes to its dependents: how to reach it. */
export interface DependencyEndpoint {
  name: string;
  /** The host name dependents use: a Service DNS name on Kubernetes, an alias on Docker. */
  host: string;
  /** Its first port, if it has any. */
  port?: number;
}

/**
 * What should run for one Resource, independent of the backend: the Kubernetes backend turns
 * it into a Pod, Service and ConfigMap, the Docker backend into a container.
 */
export interface Workload {
  namespace: string;
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env: EnvVarSpec[];
  ports: PortSpec[];
  files: FileSpec[];
  readiness?: ReadinessSpec;
  resources?: ResourcesSpec;
  securityContext?: SecurityContextSpec;
  assertions: AssertionSpec[];
  /** The Resource's own labels and annotations, `clockwork.dev/*` and kubectl's left out. */
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Hash of everything above: a workload whose hash changed is replaced. */
  hash: string;
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

/** The workload a Resource should have, given where its dependencies can be reached. */
export function desiredWorkload(resource: ResourceObject, dependencies: readonly DependencyEndpoint[]): Workload {
  const { spec, metadata } = resource;
  const body = {
    namespace: metadata.namespace ?? 'default',
    name: metadata.name,
    image: spec.image,
    ...(spec.command ? { command: spec.command } : {}),
    ...(spec.args ? { args: spec.args } : {}),
    env: injectedEnv(spec.env ?? [], dependencies),
    ports: spec.ports ?? [],
    files: spec.files ?? [],
    ...(spec.readiness ? { readiness: spec.readiness } : {}),
    ...(spec.resources ? { resources: spec.resources } : {}),
    ...(spec.securityContext ? { securityContext: spec.securityContext } : {}),
    assertions: spec.assertions ?? [],
    labels: copyMetadata(metadata.labels),
    annotations: copyMetadata(metadata.annotations),
  };
  // Assertions run beside the workload, so changing one must not restart it.
  const { assertions: _assertions, ...restartRelevant } = body;
  return { ...body, hash: specHash(restartRelevant) };
}

/** The port a name or number refers to on a workload. */
export function resolvePort(ports: readonly PortSpec[], port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  return ports.find((p) => p.name === port)?.port;
}
