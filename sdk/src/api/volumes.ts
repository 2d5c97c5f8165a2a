import { z } from 'zod';
import { dnsLabel, dnsSubdomain, storageSize } from './names.ts';

/**
 * A Resource's volumes: the schema of one entry, the names a volume takes on each target, and the
 * overlap rule its mountPath obeys (checked by the spec's refinements and CEL in resource-spec.ts).
 */

// Written for both regex engines (JavaScript and RE2 inside CEL strings): no backslashes.
const MOUNT_PATH_SOURCE = '^(/[^/]+)+$';
const DOT_SEGMENT_SOURCE = '(^|/)[.][.]?(/|$)';
const MOUNT_PATH_PATTERN = new RegExp(MOUNT_PATH_SOURCE);
const DOT_SEGMENT_PATTERN = new RegExp(DOT_SEGMENT_SOURCE);
const MOUNT_PATH_MESSAGE = 'must be an absolute directory path such as /var/lib/data (no trailing "/", no "." or ".." segments)';

export const volumeSchema = z
  .strictObject({
    name: dnsLabel.describe('The volume\'s name, a DNS-1123 label unique within the Resource: its claim is <resource>-<name> on Kubernetes, its volume clockwork-<namespace>-<resource>-<name> on Docker.'),
    mountPath: z
      .string()
      .min(2)
      .max(1024)
      .refine((p) => MOUNT_PATH_PATTERN.test(p) && !DOT_SEGMENT_PATTERN.test(p), { message: MOUNT_PATH_MESSAGE })
      .meta({ 'x-kubernetes-validations': [{ rule: `self.matches('${MOUNT_PATH_SOURCE}') && !self.matches('${DOT_SEGMENT_SOURCE}')`, message: MOUNT_PATH_MESSAGE }] })
      .describe('Where the volume appears in the container: an absolute directory such as /var/lib/postgresql/data, not overlapping another volume or a files path.'),
    size: storageSize.optional().describe('Requested capacity (default 1Gi). Informational on Docker, whose local volumes have no size.'),
    storageClass: dnsSubdomain.optional().describe('The StorageClass of the claim; the default one when left out. Ignored on Docker.'),
    retain: z.boolean().optional().describe('Keep the data when the Resource is deleted (default true); false: it goes with the Resource.'),
  })
  .describe('Persistent data: a PersistentVolumeClaim on Kubernetes, a named volume on Docker; kept when the workload is replaced.');

/**
 * The PersistentVolumeClaim of a Resource's volume: `<resource>-<volume>`. Two Resources of a
 * namespace must not arrive at the same name (`db` + `data-x` and `db-data` + `x`).
 */
export function volumeClaimName(resource: string, volume: string): string {
  return `${resource}-${volume}`;
}

/**
 * The Docker volume of a Resource's volume: `clockwork-<namespace>-<resource>-<volume>` (a
 * convention only: its labels say whose it is, since two namespaces can arrive at one name).
 */
export function dockerVolumeName(namespace: string, resource: string, volume: string): string {
  return `clockwork-${namespace}-${volumeClaimName(resource, volume)}`;
}

/** True when two paths are the same or one lies below the other. */
export function pathsOverlap(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/** CEL for pathsOverlap(a, b). */
export const overlapCel = (a: string, b: string) => `(${a} == ${b} || ${a}.startsWith(${b} + '/') || ${b}.startsWith(${a} + '/'))`;
