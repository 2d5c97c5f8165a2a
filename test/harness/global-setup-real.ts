// jest globalSetup for the `e2e` project: the Docker engine, the test images, and a real-profile
// cluster (one node running real Pods) in .cluster-test/real (override with CLOCKWORK_REAL_CLUSTER_DIR).
// Sets KUBECONFIG, CLOCKWORK_CLUSTER_DIR and CLOCKWORK_REAL_CLUSTER_DIR for the workers.
import { buildTestImages, dockerUp } from './docker.ts';
import { setupCluster } from './lifecycle.ts';

export default async function globalSetup(): Promise<void> {
  try {
    await dockerUp();
    await buildTestImages();
  } catch (e) {
    throw new Error(`[clockwork] the Docker engine or the test images are not available:\n${e instanceof Error ? e.message : String(e)}`);
  }
  await setupCluster('real');
}
