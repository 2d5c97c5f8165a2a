import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import { LABEL_RESOURCE, LABEL_VOLUME } from '../../sdk/src/api/index.ts';
import type { Workload, WorkloadVolume } from '../../sdk/src/engine/index.ts';
import { childLabels, ownerReference } from './child-objects.ts';
import { childConflict, type ChildConflict } from './child-ownership.ts';

/**
 * Pure: the PersistentVolumeClaim of a Resource's volume, and whether a claim of that name may be
 * used. Claims are the one kind of child that may outlive its Resource: a retained claim
 * (`retain: true`, the default) carries no ownerReference, only the labels
 * `clockwork.dev/resource` and `clockwork.dev/volume`, and the next Resource of that name in the
 * namespace takes it up again. Every other child must carry this Resource's controller
 * ownerReference (child-ownership.ts); for a claim without one, the labels decide (see judgeClaim).
 */

/** The claim a volume asks for: ReadWriteOnce, its size, its class (the default one when left out). */
export function buildClaim(workload: Workload, volume: WorkloadVolume): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: volume.claimName,
      namespace: workload.namespace,
      labels: { ...childLabels(workload), [LABEL_VOLUME]: volume.name },
      ...(volume.retain ? {} : { ownerReferences: [ownerReference(workload)] }),
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: volume.size } },
      ...(volume.storageClass ? { storageClassName: volume.storageClass } : {}),
    },
  };
}

/** What may be done with an existing claim of a volume's name. */
export type ClaimVerdict =
  /** This Resource's (its controller, or a retained claim labelled with it and the volume): use it. */
  | { use: true; ownerReferences: 'keep' | 'add' | 'remove' }
  /**
   * Not usable: someone else's, left unchanged (ChildConflict); or `transient` — this volume's
   * claim still being deleted, or still owned by a deleted namesake — wait for it to go.
   */
  | { use: false; conflict: ChildConflict };

/**
 * Whether a live claim may serve `volume` of `workload`: the ownership rule of every child
 * (child-ownership.ts), with its one exception — a retained claim (no controller) labelled with
 * this Resource and volume is taken up (an earlier Resource's of the same name included), and its
 * ownerReference is then made to match `retain`. A claim of that name without those labels — made
 * by hand, or the volume of another Resource whose `<resource>-<volume>` collides — is a conflict
 * and is never touched.
 */
export function judgeClaim(claim: V1PersistentVolumeClaim, workload: Workload, volume: WorkloadVolume): ClaimVerdict {
  const owner = { namespace: workload.namespace, name: workload.name, uid: workload.owner.uid };
  const name = `${workload.namespace}/${volume.claimName}`;
  const labels = claim.metadata?.labels ?? {};
  const labelled = labels[LABEL_RESOURCE] === workload.name && labels[LABEL_VOLUME] === volume.name;
  const controller = claim.metadata?.ownerReferences?.find((r) => r.controller);
  const conflict = childConflict('PersistentVolumeClaim', claim, owner, { adoptable: () => labelled && controller === undefined });
  if (conflict && !labelled && !conflict.transient) {
    const whose = labels[LABEL_VOLUME] ? `the claim of volume "${labels[LABEL_VOLUME]}" of Resource ${labels[LABEL_RESOURCE] ?? '?'}` : 'not a claim of this Resource (no clockwork.dev/resource and clockwork.dev/volume labels)';
    return { use: false, conflict: { ...conflict, message: `PersistentVolumeClaim ${name} exists and is ${whose}; it is left unchanged: delete or rename it, or rename the volume` } };
  }
  if (conflict) return { use: false, conflict };
  if (claim.metadata?.deletionTimestamp)
    return { use: false, conflict: { kind: 'PersistentVolumeClaim', namespace: workload.namespace, name: volume.claimName, uid: claim.metadata.uid, holder: 'it is being deleted', transient: true, message: `PersistentVolumeClaim ${name} is being deleted; a new one is made once it is gone` } };
  return { use: true, ownerReferences: volume.retain === (controller === undefined) ? 'keep' : volume.retain ? 'remove' : 'add' };
}

/** The ownership rule for claims, as the child store applies it to a claim a create ran into. */
export function claimConflict(workload: Workload, volume: WorkloadVolume): (claim: V1PersistentVolumeClaim) => ChildConflict | undefined {
  return (claim) => {
    const verdict = judgeClaim(claim, workload, volume);
    return verdict.use ? undefined : verdict.conflict;
  };
}

/** The claim with its ownerReferences made to match the verdict (for a replace). */
export function withOwnership(claim: V1PersistentVolumeClaim, workload: Workload, change: 'add' | 'remove'): V1PersistentVolumeClaim {
  const others = (claim.metadata?.ownerReferences ?? []).filter((r) => !r.controller);
  return { ...claim, metadata: { ...claim.metadata, ownerReferences: change === 'add' ? [...others, ownerReference(workload)] : others } };
}
