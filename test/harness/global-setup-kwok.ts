// jest globalSetup for the `integration` project: a kwok-profile cluster in .cluster-test/kwok
// (override with CLOCKWORK_KWOK_CLUSTER_DIR). Sets KUBECONFIG, CLOCKWORK_CLUSTER_DIR and
// CLOCKWORK_KWOK_CLUSTER_DIR for the workers. Fails the run (never skips) when it cannot start.
import { setupCluster } from './lifecycle.ts';

export default async function globalSetup(): Promise<void> {
  await setupCluster('kwok');
}
