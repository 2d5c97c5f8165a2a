// What plan and destroy say about volumes: where each one's data lives, which are kept and how
// to remove them (the plan and destroy commands called directly, with a target read back).
import { describe, expect, test } from '@jest/globals';
import { plan } from '../../sdk/src/cli/commands/plan.ts';
import { renderDestroy } from '../../sdk/src/cli/render-report.ts';
import type { Target, VolumeReport } from '../../sdk/src/targets/target.ts';

function capture() {
  const out: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => out.push(s), isTTY: false }, text: () => out.join('') };
}

const kept: VolumeReport = { resource: 'postgres-db', volume: 'old', where: 'docker volume clockwork-default-postgres-db-old', removeWith: 'docker volume rm clockwork-default-postgres-db-old' };

describe('plan', () => {
  test('lists every volume with where its data lives on each target, and marks tasks', async () => {
    const seed = capture();
    expect(await plan({ file: 'examples/mixed-pattern/main.ts', output: 'text' }, seed.io)).toBe(0);
    expect(seed.text()).toContain('  postgres-db/data at /var/lib/postgresql/data (1Gi): claim postgres-db-data on Kubernetes, docker volume clockwork-default-postgres-db-data on Docker\n');
    expect(seed.text()).toContain('  prometheus/tsdb at /prometheus (2Gi): claim prometheus-tsdb on Kubernetes, docker volume clockwork-default-prometheus-tsdb on Docker\n');
    const migrations = capture();
    await plan({ file: 'examples/migrations/main.ts', output: 'text' }, migrations.io);
    expect(migrations.text()).toContain('  migrate  ← postgres-db  (task: runs once)\n');
  });

  test('with a target: the volumes an apply would leave unmounted, and where their data is kept', async () => {
    const target = { kind: 'docker', volumeChanges: async () => ({ kept: [kept], removed: [] }), close: async () => {} } as unknown as Target;
    const r = capture();
    await plan({ file: 'examples/mixed-pattern/main.ts', output: 'text', openTarget: async () => target }, r.io);
    expect(r.text()).toContain('On docker: volumes the stack does not mount:\n  postgres-db/old: not mounted; its data is kept in docker volume clockwork-default-postgres-db-old (remove it with `docker volume rm clockwork-default-postgres-db-old`)\n');
  });
});

describe('destroy', () => {
  test('says how many volumes it kept, where, and how to remove them', () => {
    const text = renderDestroy({ target: 'docker', namespace: 'default', removed: [['api'], ['db']], networkRemoved: true, volumesRemoved: [], volumesKept: [kept] }, 'stack.ts');
    expect(text).toBe(
      'Destroyed 2 containers and the network of namespace "default" on docker.\n' +
        'Kept 1 volume and its data (the next apply uses it again): postgres-db/old in docker volume clockwork-default-postgres-db-old.\n' +
        '  Remove it with `clockwork destroy --volumes stack.ts`, or one by one: `docker volume rm clockwork-default-postgres-db-old`.\n',
    );
  });

  test('with --volumes: how many it removed with their data', () => {
    expect(renderDestroy({ target: 'kubernetes', namespace: 'shop', removed: [['api', 'db']], networkRemoved: false, volumesRemoved: [kept, kept], volumesKept: [] })).toBe('Destroyed 2 objects, and 2 volumes with their data of namespace "shop" on kubernetes.\n');
  });
});
