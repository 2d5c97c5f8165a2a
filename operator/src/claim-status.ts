import type { CoreV1Event, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { CoreApi } from './kube-client.ts';
import { REASON } from '../../sdk/src/api/index.ts';
import type { WorkloadState } from '../../sdk/src/engine/index.ts';

const camel = (reason: string | undefined) => (reason && /^[A-Za-z][A-Za-z0-9]*$/.test(reason) ? reason : REASON.ClaimPending);

/**
 * Why a Pod that waits for its volumes cannot start: the first unbound claim's own latest Warning
 * Event (`ProvisioningFailed: storageclass "fast" not found`, `FailedBinding: no persistent
 * volumes available…`), as Available=False with that reason. Undefined while every claim is
 * bound, or an unbound one has no Warning yet (binding on first use takes a moment).
 */
export async function unboundClaimState(core: CoreApi, claims: readonly V1PersistentVolumeClaim[]): Promise<WorkloadState | undefined> {
  for (const claim of claims) {
    if (claim.status?.phase === 'Bound') continue;
    const { name = '', namespace = '', uid } = claim.metadata ?? {};
    const events = await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=PersistentVolumeClaim,involvedObject.name=${name},type=Warning` });
    const warning = latest(events.items.filter((e) => !uid || e.involvedObject.uid === uid));
    if (!warning) continue;
    return { ready: false, reason: camel(warning.reason), message: `PersistentVolumeClaim ${namespace}/${name} is ${claim.status?.phase ?? 'Pending'}: ${warning.reason}: ${warning.message ?? ''}`.trim() };
  }
  return undefined;
}

function latest(events: readonly CoreV1Event[]): CoreV1Event | undefined {
  const time = (e: CoreV1Event) => Date.parse(String(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? 0)) || 0;
  return [...events].sort((a, b) => time(b) - time(a))[0];
}
