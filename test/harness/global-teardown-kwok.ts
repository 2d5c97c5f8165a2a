import { teardownCluster } from './lifecycle.ts';

export default async function globalTeardown(): Promise<void> {
  await teardownCluster('kwok');
}
