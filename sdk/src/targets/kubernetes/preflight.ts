import { ApiextensionsV1Api, CoordinationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { GROUP, OPERATOR_LEASE_NAME, PLURAL_COMPOSITE, PLURAL_RESOURCE } from '../../api/index.ts';
import { KubernetesUnavailableError, statusCode } from '../../kubernetes/index.ts';

/** Slack for clock skew when judging whether the operator's Lease is fresh. */
const LEASE_SLACK_MS = 5_000;

/**
 * Checks, before anything is applied, that the cluster answers, the CRDs are installed and an
 * operator is running (its leader keeps the Lease fresh). Each failure says how to fix it.
 */
export async function preflight(config: KubeConfig, now: () => number = Date.now): Promise<void> {
  const context = config.getCurrentContext();
  const crds = config.makeApiClient(ApiextensionsV1Api);
  for (const plural of [PLURAL_RESOURCE, PLURAL_COMPOSITE]) {
    try {
      await crds.readCustomResourceDefinition({ name: `${plural}.${GROUP}` });
    } catch (error) {
      if (statusCode(error) === 404) throw new KubernetesUnavailableError(`the Clockwork CRDs are not installed in context "${context}" (${plural}.${GROUP} not found)`, 'kubectl apply -f crds/   (or kubectl apply -k deploy/ to install the operator too)');
      throw new KubernetesUnavailableError(`the cluster of context "${context}" did not answer: ${firstLine(error)}`, 'check `kubectl --context ' + context + ' get --raw /readyz`, or use --target docker');
    }
  }
  const leases = config.makeApiClient(CoordinationV1Api);
  const list = await leases.listLeaseForAllNamespaces({ fieldSelector: `metadata.name=${OPERATOR_LEASE_NAME}` });
  const fresh = list.items.some((lease) => {
    const renewed = lease.spec?.renewTime ? new Date(lease.spec.renewTime).getTime() : 0;
    const duration = (lease.spec?.leaseDurationSeconds ?? 15) * 1000;
    return renewed + duration + LEASE_SLACK_MS >= now();
  });
  if (!fresh) {
    const seen = list.items.map((l) => `${l.metadata?.namespace}/${l.metadata?.name} renewed ${l.spec?.renewTime ?? 'never'}`).join(', ');
    throw new KubernetesUnavailableError(
      `no Clockwork operator is running in context "${context}" (${seen ? `its Lease is stale: ${seen}` : `no Lease "${OPERATOR_LEASE_NAME}" found`})`,
      'kubectl apply -k deploy/   (or run `npx clockwork operator` against the cluster)',
    );
  }
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split('\n')[0]!;
}
