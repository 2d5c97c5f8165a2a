import { CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { LABEL_MANAGED_BY, MANAGED_BY } from '../../api/index.ts';
import { DevSessionTakenError, type DevSessionClaim, type DevSessionLock } from '../dev-session-lock.ts';
import { statusCode } from '../../kubernetes/index.ts';
import { applySetOf } from './applyset.ts';

const DURATION_SECONDS = 15;
const RENEW_MS = 5_000;

/**
 * A `clockwork dev` session on a cluster: a Lease `<the stack's ApplySet parent>-dev` in the stack's
 * namespace, renewed while the session runs (so a session on another machine is seen too). A
 * Lease not renewed for its duration is stale and taken over.
 */
export async function claimDevLease(config: KubeConfig, claim: DevSessionClaim, now: () => Date = () => new Date()): Promise<DevSessionLock> {
  const api = config.makeApiClient(CoordinationV1Api);
  const { namespace } = claim;
  // The stack's name is a path (deploy/main.ts): the Lease is named after its hash, as the inventory is.
  const name = `${applySetOf({ name: claim.stackName, namespace }).parent}-dev`;
  const identity = `${claim.holder.identity} watching ${claim.holder.file}`.slice(0, 250);
  const spec = (acquired: Date) => ({ holderIdentity: identity, leaseDurationSeconds: DURATION_SECONDS, acquireTime: new V1MicroTime(acquired.getTime()), renewTime: new V1MicroTime(now().getTime()) });
  const acquired = now();
  try {
    await api.createNamespacedLease({ namespace, body: { metadata: { name, namespace, labels: { [LABEL_MANAGED_BY]: MANAGED_BY } }, spec: spec(acquired) } });
  } catch (error) {
    if (statusCode(error) !== 409) throw error;
    const lease = await api.readNamespacedLease({ name, namespace });
    if (!stale(lease, now()) && lease.spec?.holderIdentity !== identity) throw new DevSessionTakenError(claim, lease.spec?.holderIdentity ?? 'unknown', lease.spec?.acquireTime ? new Date(lease.spec.acquireTime).toISOString() : undefined);
    // A replace with the read resourceVersion: of two sessions taking over at once, one wins.
    await api.replaceNamespacedLease({ name, namespace, body: { ...lease, spec: spec(acquired) } }).catch((e: unknown) => {
      if (statusCode(e) === 409) throw new DevSessionTakenError(claim, 'another session that took it over at the same moment', undefined);
      throw e;
    });
  }
  const renew = setInterval(() => {
    void api
      .readNamespacedLease({ name, namespace })
      .then((lease) => (lease.spec?.holderIdentity === identity ? api.replaceNamespacedLease({ name, namespace, body: { ...lease, spec: { ...lease.spec, renewTime: new V1MicroTime(now().getTime()) } } }) : undefined))
      .catch(() => undefined);
  }, RENEW_MS);
  renew.unref();
  return {
    async release() {
      clearInterval(renew);
      try {
        const lease = await api.readNamespacedLease({ name, namespace });
        if (lease.spec?.holderIdentity === identity) await api.deleteNamespacedLease({ name, namespace });
      } catch {
        // Gone already, or unreachable: it goes stale on its own.
      }
    },
  };
}

function stale(lease: V1Lease, now: Date): boolean {
  const renewed = lease.spec?.renewTime ? new Date(lease.spec.renewTime).getTime() : 0;
  return renewed + (lease.spec?.leaseDurationSeconds ?? DURATION_SECONDS) * 1000 < now.getTime();
}
