// Leader election against the real apiserver: one leader at a time, takeover after a crash
// within the lease duration, and at once after a graceful release.
import { afterEach, describe, expect, test } from '@jest/globals';
import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { LeaderElector } from '../../operator/src/leader-election.ts';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, waitFor } from '../harness/index.ts';

const api = () => {
  const config = new KubeConfig();
  config.loadFromDefault();
  return config.makeApiClient(CoordinationV1Api);
};

interface Candidate {
  elector: LeaderElector;
  leading: () => boolean;
  log: string[];
}

const running: LeaderElector[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

function candidate(name: string, identity: string): Candidate {
  const log: string[] = [];
  let leading = false;
  const elector = new LeaderElector({
    api: api(),
    namespace: 'default',
    name,
    identity,
    leaseDurationMs: 3000,
    renewDeadlineMs: 2000,
    retryPeriodMs: 300,
    onStartedLeading: () => {
      leading = true;
      log.push(`${Date.now()} start`);
    },
    onStoppedLeading: () => {
      leading = false;
      log.push(`${Date.now()} stop`);
    },
  });
  running.push(elector);
  return { elector, leading: () => leading, log };
}

describe('leader election through a Lease', () => {
  test('exactly one of two candidates leads, and the Lease names it', async () => {
    const name = `le-${Date.now()}`;
    const a = candidate(name, 'a');
    const b = candidate(name, 'b');
    a.elector.start();
    b.elector.start();
    await waitFor('a leader', () => a.leading() || b.leading(), { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 1500));
    expect([a.leading(), b.leading()].filter(Boolean)).toHaveLength(1);
    const lease = await api().readNamespacedLease({ name, namespace: 'default' });
    expect(lease.spec?.holderIdentity).toBe(a.leading() ? 'a' : 'b');
    expect(lease.spec?.leaseDurationSeconds).toBe(3);
  });

  test('a crashed leader (SIGKILL) is replaced within the lease duration', async () => {
    const name = `le-crash-${Date.now()}`;
    const leader = spawn(process.execPath, [join(repoRoot, 'test/fixtures/scripts/elect.ts'), name, 'crashing'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => leader.stdout.on('data', (d: Buffer) => d.toString().includes('leading') && resolve()));
      const b = candidate(name, 'b');
      b.elector.start();
      await new Promise((r) => setTimeout(r, 1000));
      expect(b.leading()).toBe(false);
      const crashedAt = Date.now();
      leader.kill('SIGKILL');
      await waitFor('b to lead', () => b.leading(), { timeoutMs: 10_000, intervalMs: 50 });
      // Lease duration (3 s) plus at most one retry period and the apiserver round trips.
      expect(Date.now() - crashedAt).toBeLessThan(3000 + 1500);
    } finally {
      leader.kill('SIGKILL');
    }
  });

  test('a graceful stop releases the Lease: the other takes over at once', async () => {
    const name = `le-release-${Date.now()}`;
    const a = candidate(name, 'a');
    a.elector.start();
    await waitFor('a to lead', () => a.leading(), { timeoutMs: 10_000 });
    const b = candidate(name, 'b');
    b.elector.start();
    await new Promise((r) => setTimeout(r, 600));
    const stoppedAt = Date.now();
    await a.elector.stop();
    expect(a.leading()).toBe(false);
    await waitFor('b to lead', () => b.leading(), { timeoutMs: 10_000, intervalMs: 50 });
    expect(Date.now() - stoppedAt).toBeLessThan(2500);
  });
});
