import { posix } from 'node:path';
import type { V1ConfigMap, V1Container, V1EnvVar, V1Job, V1OwnerReference, V1Pod, V1PodSpec, V1Probe, V1SecurityContext, V1Service, V1ServicePort, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { ANNOTATION_FILES_HASH, ANNOTATION_SPEC_HASH, API_VERSION, KIND_RESOURCE, LABEL_MANAGED_BY, LABEL_RESOURCE, MANAGED_BY, WORKLOAD_CONTAINER_NAME, type PortSpec, type ReadinessSpec } from '../../sdk/src/api/index.ts';
import { updatedInPlace, type Workload } from '../../sdk/src/engine/index.ts';

/**
 * Pure: the Pod (a Job for a task), Service and ConfigMap a Workload becomes. Names are
 * deterministic (the Pod, Job and Service are named after the Resource), so a reconcile repeated
 * after a crash finds, never duplicates, what an earlier one created.
 */

export const CONTAINER_NAME = WORKLOAD_CONTAINER_NAME;
export const FILES_VOLUME = 'files';

export const configMapName = (resourceName: string) => `${resourceName}-files`;

/** What every child is built from: the workload's name and where it comes from. */
type Owned = Pick<Workload, 'name' | 'namespace' | 'owner'>;

/** The labels every child carries; informers select on the managed-by label. */
export function childLabels(workload: Owned): Record<string, string> {
  const composite = workload.owner.composite;
  return {
    'app.kubernetes.io/name': workload.name,
    'app.kubernetes.io/instance': workload.name,
    'app.kubernetes.io/component': 'workload',
    ...(composite ? { 'app.kubernetes.io/part-of': composite } : {}),
    [LABEL_MANAGED_BY]: MANAGED_BY,
    [LABEL_RESOURCE]: workload.name,
  };
}

/** What a Service selects: the Pod of this Resource only. */
export function podSelector(resourceName: string): Record<string, string> {
  return { [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_RESOURCE]: resourceName };
}

export function ownerReference(workload: Owned): V1OwnerReference {
  return { apiVersion: API_VERSION, kind: KIND_RESOURCE, name: workload.name, uid: workload.owner.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** ConfigMap keys for the files, in spec order: `0-prometheus.yml`, … (deterministic, valid keys). */
export function fileKeys(workload: Pick<Workload, 'files'>): string[] {
  return workload.files.map((f, i) => `${i}-${(f.mountPath.split('/').pop() ?? 'file').replace(/[^-._a-zA-Z0-9]/g, '_')}`.slice(0, 253));
}

export function buildConfigMap(workload: Owned & Pick<Workload, 'files'>): V1ConfigMap | undefined {
  if (workload.files.length === 0) return undefined;
  const keys = fileKeys(workload);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: configMapName(workload.name), namespace: workload.namespace, labels: childLabels(workload), ownerReferences: [ownerReference(workload)] },
    data: Object.fromEntries(workload.files.map((f, i) => [keys[i]!, f.content])),
  };
}

/**
 * How the ConfigMap reaches the container: each directory that holds files is a configMap
 * volume (only its files, as `items`) mounted as a directory, so the kubelet updates the files
 * in place when the ConfigMap changes — a `subPath` mount would never see the change. A file in
 * a subdirectory of another file's directory goes into that directory's volume. The directory
 * shows only the Resource's files (as with any volume). A file directly in a top-level
 * directory (`/etc/app.conf`: mounting `/etc` whole would hide the image's) uses `subPath`; its
 * content is part of the spec hash, so a change of it replaces the Pod (`updatedInPlace`).
 */
export function fileMounts(workload: Pick<Workload, 'name' | 'files'>): { volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  const keys = fileKeys(workload);
  const files = workload.files.map((f, i) => ({ path: f.mountPath, key: keys[i]!, dir: posix.dirname(f.mountPath), live: updatedInPlace(f.mountPath) }));
  const roots: string[] = [];
  for (const dir of [...new Set(files.filter((f) => f.live).map((f) => f.dir))].sort((a, b) => a.length - b.length || a.localeCompare(b)))
    if (!roots.some((r) => dir === r || dir.startsWith(`${r}/`))) roots.push(dir);
  // Volumes in the order of their first file, so that a Pod's spec reads like the Resource's.
  const under = (f: { dir: string }, root: string) => f.dir === root || f.dir.startsWith(`${root}/`);
  roots.sort((a, b) => files.findIndex((f) => f.live && under(f, a)) - files.findIndex((f) => f.live && under(f, b)));
  const configMap = configMapName(workload.name);
  const volumes: V1Volume[] = [];
  const mounts: V1VolumeMount[] = [];
  roots.forEach((root, i) => {
    const items = files.filter((f) => f.live && under(f, root)).map((f) => ({ key: f.key, path: posix.relative(root, f.path) }));
    volumes.push({ name: `${FILES_VOLUME}-${i}`, configMap: { name: configMap, items } });
    mounts.push({ name: `${FILES_VOLUME}-${i}`, mountPath: root, readOnly: true });
  });
  const alone = files.filter((f) => !f.live);
  if (alone.length) {
    volumes.push({ name: FILES_VOLUME, configMap: { name: configMap } });
    for (const f of alone) mounts.push({ name: FILES_VOLUME, mountPath: f.path, subPath: f.key, readOnly: true });
  }
  return { volumes, mounts };
}

export function servicePorts(ports: readonly PortSpec[]): V1ServicePort[] {
  return ports.map((p) => ({ name: p.name ?? `port-${p.port}`, port: p.port, targetPort: p.port as unknown as V1ServicePort['targetPort'], protocol: p.protocol ?? 'TCP' }));
}

export function buildService(workload: Owned & Pick<Workload, 'ports'>): V1Service | undefined {
  if (workload.ports.length === 0) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: workload.name, namespace: workload.namespace, labels: childLabels(workload), ownerReferences: [ownerReference(workload)] },
    spec: { type: 'ClusterIP', selector: podSelector(workload.name), ports: servicePorts(workload.ports) },
  };
}

function probe(readiness: ReadinessSpec): V1Probe {
  const port = (p: number | string) => p as unknown as NonNullable<V1Probe['tcpSocket']>['port'];
  return {
    ...(readiness.httpGet ? { httpGet: { path: readiness.httpGet.path ?? '/', port: port(readiness.httpGet.port) } } : {}),
    ...(readiness.tcpSocket ? { tcpSocket: { port: port(readiness.tcpSocket.port) } } : {}),
    ...(readiness.exec ? { exec: { command: readiness.exec.command } } : {}),
    ...(readiness.initialDelaySeconds !== undefined ? { initialDelaySeconds: readiness.initialDelaySeconds } : {}),
    ...(readiness.periodSeconds !== undefined ? { periodSeconds: readiness.periodSeconds } : {}),
    ...(readiness.timeoutSeconds !== undefined ? { timeoutSeconds: readiness.timeoutSeconds } : {}),
    ...(readiness.failureThreshold !== undefined ? { failureThreshold: readiness.failureThreshold } : {}),
    ...(readiness.successThreshold !== undefined ? { successThreshold: readiness.successThreshold } : {}),
  };
}

function envVars(workload: Workload): V1EnvVar[] {
  return workload.env.map((e) => {
    if (e.valueFrom?.secretKeyRef) return { name: e.name, valueFrom: { secretKeyRef: { name: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key } } };
    if (e.valueFrom?.configMapKeyRef) return { name: e.name, valueFrom: { configMapKeyRef: { name: e.valueFrom.configMapKeyRef.name, key: e.valueFrom.configMapKeyRef.key } } };
    return { name: e.name, value: e.value ?? '' };
  });
}

/**
 * Legacy annotations that the apiserver still turns into security settings of the Pod
 * (`container.apparmor.security.beta.kubernetes.io/<c>: unconfined` becomes an Unconfined
 * AppArmor profile) or that conflict with the restricted seccomp profile: never copied from a
 * Resource, whatever its metadata says.
 */
const SECURITY_ANNOTATION = /^(container\.)?(apparmor|seccomp)\.security\.(alpha|beta)\.kubernetes\.io\//;

function podAnnotations(annotations: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(annotations).filter(([k]) => !SECURITY_ANNOTATION.test(k)));
}

/**
 * Restricted: no privilege escalation, every capability dropped. The user and group are the
 * Resource's when it names them; a non-root user also sets runAsNonRoot, which makes the Pod
 * meet the `restricted` Pod Security Standard.
 */
function containerSecurityContext(workload: Workload): V1SecurityContext {
  const { runAsUser, runAsGroup } = workload.securityContext ?? {};
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    capabilities: { drop: ['ALL'] },
    ...(runAsUser !== undefined ? { runAsUser } : {}),
    ...(runAsGroup !== undefined ? { runAsGroup } : {}),
    ...(runAsUser !== undefined && runAsUser > 0 ? { runAsNonRoot: true } : {}),
  };
}

/** The Pod's name for the i-th volume (the user's names may be any DNS label, `files` included). */
export const volumeName = (index: number) => `volume-${index}`;

export interface PodOptions {
  terminationGracePeriodSeconds?: number;
}

/**
 * What a Pod runs: restricted by default (no privilege escalation, every capability dropped,
 * RuntimeDefault seccomp, no service-account token). runAsNonRoot is not forced unless the
 * Resource names a non-root user: images such as the official postgres start as root. A server
 * is restarted whenever it exits; a task's Pod never is (its Job retries it). The files come
 * from the ConfigMap, each volume from its claim.
 */
function podSpec(workload: Workload, options: PodOptions): V1PodSpec {
  const { terminationGracePeriodSeconds } = options;
  const files = fileMounts(workload);
  const mounts: V1VolumeMount[] = [...files.mounts, ...workload.volumes.map((v, i) => ({ name: volumeName(i), mountPath: v.mountPath }))];
  const volumes: V1Volume[] = [...files.volumes, ...workload.volumes.map((v, i) => ({ name: volumeName(i), persistentVolumeClaim: { claimName: v.claimName } }))];
  const container: V1Container = {
    name: CONTAINER_NAME,
    image: workload.image,
    imagePullPolicy: 'IfNotPresent',
    ...(workload.command ? { command: workload.command } : {}),
    ...(workload.args ? { args: workload.args } : {}),
    ...(workload.env.length ? { env: envVars(workload) } : {}),
    ...(workload.ports.length ? { ports: workload.ports.map((p) => ({ containerPort: p.port, protocol: p.protocol ?? 'TCP', ...(p.name ? { name: p.name } : {}) })) } : {}),
    ...(workload.readiness ? { readinessProbe: probe(workload.readiness) } : {}),
    ...(workload.resources ? { resources: workload.resources as V1Container['resources'] } : {}),
    ...(mounts.length ? { volumeMounts: mounts } : {}),
    securityContext: containerSecurityContext(workload),
  };
  return {
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    restartPolicy: workload.run === 'once' ? 'Never' : 'Always',
    ...(terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds } : {}),
    securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container],
    ...(volumes.length ? { volumes } : {}),
  };
}

function podMetadata(workload: Workload) {
  return {
    labels: { ...workload.labels, ...childLabels(workload) },
    annotations: { ...podAnnotations(workload.annotations), [ANNOTATION_SPEC_HASH]: workload.hash, [ANNOTATION_FILES_HASH]: workload.filesHash },
  };
}

/** The Pod of a server (run: always), named after its Resource. */
export function buildPod(workload: Workload, options: PodOptions = {}): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: workload.name, namespace: workload.namespace, ...podMetadata(workload), ownerReferences: [ownerReference(workload)] },
    spec: podSpec(workload, options),
  };
}

/**
 * The Job of a task (run: once), named after its Resource: one Pod at a time, retried after a
 * non-zero exit up to backoffLimit times with the Job controller's back-off. A completed Job
 * stays (it is the record that the task ran); a changed spec replaces it.
 */
export function buildJob(workload: Workload, options: PodOptions = {}): V1Job {
  const metadata = podMetadata(workload);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: workload.name, namespace: workload.namespace, labels: childLabels(workload), annotations: { [ANNOTATION_SPEC_HASH]: workload.hash }, ownerReferences: [ownerReference(workload)] },
    spec: {
      backoffLimit: workload.backoffLimit,
      completions: 1,
      parallelism: 1,
      template: { metadata, spec: podSpec(workload, options) },
    },
  };
}

/** True when a live Service still does what the desired one says (selector, type, ports). */
export function serviceMatches(live: V1Service, desired: V1Service): boolean {
  const norm = (ports: V1ServicePort[] | undefined) =>
    JSON.stringify((ports ?? []).map((p) => [p.name ?? '', p.port, String(p.targetPort ?? p.port), p.protocol ?? 'TCP']).sort());
  return (
    (live.spec?.type ?? 'ClusterIP') === desired.spec?.type &&
    JSON.stringify(Object.entries(live.spec?.selector ?? {}).sort()) === JSON.stringify(Object.entries(desired.spec?.selector ?? {}).sort()) &&
    norm(live.spec?.ports) === norm(desired.spec?.ports)
  );
}

export function configMapMatches(live: V1ConfigMap, desired: V1ConfigMap): boolean {
  return JSON.stringify(Object.entries(live.data ?? {}).sort()) === JSON.stringify(Object.entries(desired.data ?? {}).sort());
}
