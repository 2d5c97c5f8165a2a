import type Docker from 'dockerode';
import { dockerVolumeName, GROUP, LABEL_VOLUME } from '../../api/index.ts';
import type { Workload } from '../../engine/index.ts';
import { ignoreStatus, statusCode } from './docker-errors.ts';
import { DOCKER_LABELS, MANAGED_BY, namespaceFilter } from './names.ts';

/** Label recording whether the volume was declared `retain: false` when it was created. */
export const LABEL_RETAIN = `${GROUP}/retain`;

/** A Resource's volume on Docker: `clockwork-<namespace>-<resource>-<volume>` (its labels say whose it is). */
export const volumeName = dockerVolumeName;

/** One of Clockwork's named volumes, as its labels describe it. */
export interface VolumeRecord {
  name: string;
  namespace: string;
  resource: string;
  volume: string;
  /** As declared when it was created (`retain` defaults to true). */
  retain: boolean;
  /** Where the engine keeps its data on the host. */
  mountpoint: string;
}

/** A volume of that name exists and is not this Resource's: it is left alone. */
export class VolumeConflictError extends Error {
  readonly volume: string;

  constructor(volume: string, whose: string) {
    super(`docker volume ${volume} exists but ${whose}; it is left unchanged: remove it (docker volume rm ${volume}) or rename the volume`);
    this.name = 'VolumeConflictError';
    this.volume = volume;
  }
}

/**
 * Creates each of the workload's volumes that is missing, labelled with its namespace, Resource
 * and volume; an existing one is reused (that is how data survives a replaced container) when its
 * labels name this Resource, and refused otherwise.
 * @throws VolumeConflictError for a volume of that name that belongs to something else
 */
export async function ensureVolumes(docker: Docker, workload: Pick<Workload, 'namespace' | 'name' | 'volumes'>): Promise<void> {
  for (const v of workload.volumes) {
    const name = volumeName(workload.namespace, workload.name, v.name);
    const labels = {
      [DOCKER_LABELS.managedBy]: MANAGED_BY,
      [DOCKER_LABELS.namespace]: workload.namespace,
      [DOCKER_LABELS.resource]: workload.name,
      [LABEL_VOLUME]: v.name,
      [LABEL_RETAIN]: String(v.retain),
    };
    const existing = await inspectVolume(docker, name);
    if (!existing) {
      // 409: created in between by another process; checked below like any existing one.
      await ignoreStatus(409, docker.createVolume({ Name: name, Labels: labels }));
      continue;
    }
    const have = existing.Labels ?? {};
    if (have[DOCKER_LABELS.managedBy] !== MANAGED_BY) throw new VolumeConflictError(name, 'was not made by Clockwork');
    const owner = `${have[DOCKER_LABELS.namespace]}/${have[DOCKER_LABELS.resource]} volume "${have[LABEL_VOLUME]}"`;
    if (owner !== `${workload.namespace}/${workload.name} volume "${v.name}"`) throw new VolumeConflictError(name, `belongs to ${owner}`);
  }
}

/** Clockwork's volumes of a namespace, or of every namespace when it is undefined. */
export async function listVolumes(docker: Docker, namespace: string | undefined): Promise<VolumeRecord[]> {
  const listed = await docker.listVolumes({ filters: { label: namespaceFilter(namespace) } });
  return (listed.Volumes ?? [])
    .filter((v) => v.Labels?.[LABEL_VOLUME])
    .map((v) => ({
      name: v.Name,
      namespace: v.Labels[DOCKER_LABELS.namespace] ?? '',
      resource: v.Labels[DOCKER_LABELS.resource] ?? '',
      volume: v.Labels[LABEL_VOLUME]!,
      retain: v.Labels[LABEL_RETAIN] !== 'false',
      mountpoint: v.Mountpoint,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Removes volumes (already gone counts as removed). Their containers must be gone first. */
export async function removeVolumes(docker: Docker, names: readonly string[]): Promise<void> {
  await Promise.all(names.map((name) => ignoreStatus(404, docker.getVolume(name).remove())));
}

async function inspectVolume(docker: Docker, name: string): Promise<Docker.VolumeInspectInfo | undefined> {
  try {
    return await docker.getVolume(name).inspect();
  } catch (error) {
    if (statusCode(error) === 404) return undefined;
    throw error;
  }
}
