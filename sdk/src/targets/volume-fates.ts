import type { ResourceSpec } from '../api/index.ts';

/** A volume as a target lists it: a Docker volume or a claim, with the labels that say whose it is. */
export interface VolumeEntry {
  resource: string;
  volume: string;
  /** As recorded on the volume when it was made (a label, or the absence of an ownerReference). */
  retain: boolean;
}

export interface VolumeFateOptions<T extends VolumeEntry> {
  volumes: readonly T[];
  /** What the stack mounts now, by Resource name (its spec's volumes): never touched. */
  mounted: ReadonlyMap<string, ResourceSpec>;
  /** Resources going away (left the stack, or destroyed), with their last spec when it is known. */
  leaving: ReadonlyMap<string, ResourceSpec | undefined>;
  /** `destroy --volumes`: every volume of a leaving Resource goes, retained or not. */
  removeAll?: boolean;
}

/**
 * What becomes of volumes no Resource will mount: those of a leaving Resource declared
 * `retain: false` (or with `--volumes`) are removed; every other one is kept and reported, so
 * that no data is ever deleted silently. The spec's `retain` wins over the recorded one (a label
 * cannot change after the volume is made).
 */
export function volumeFates<T extends VolumeEntry>(options: VolumeFateOptions<T>): { remove: T[]; keep: T[] } {
  const remove: T[] = [];
  const keep: T[] = [];
  for (const v of options.volumes) {
    if (mounts(options.mounted.get(v.resource), v.volume)) continue;
    if (options.leaving.has(v.resource)) {
      const declared = options.leaving.get(v.resource)?.volumes?.find((d) => d.name === v.volume);
      const retain = declared ? (declared.retain ?? true) : v.retain;
      if (options.removeAll || !retain) {
        remove.push(v);
        continue;
      }
    }
    keep.push(v);
  }
  return { remove, keep };
}

function mounts(spec: ResourceSpec | undefined, volume: string): boolean {
  return spec?.volumes?.some((v) => v.name === volume) ?? false;
}
