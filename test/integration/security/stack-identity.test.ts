// The CLI's stack identity (issue #18): two stack files in folders of the same name
// (alice/payments/deploy/main.ts, bob/search/deploy/main.ts) applied to one namespace never prune
// or take over each other's objects. Each stack is an ApplySet (KEP-3659) named by its path in the
// repository: a parent ConfigMap holds its inventory, prune deletes only what that inventory
// lists and still belongs to it, and each applies with a field manager of its own, without forcing
// conflicts unless asked.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { join } from 'node:path';
import { clusterInfo, kubectlJson, repoRoot, run } from '../../harness/index.ts';
import { ensureCrds, getObject, report, testScope } from './support.ts';

const ALICE = 'test/fixtures/stacks/tenants/alice/payments/deploy/main.ts';
const BOB = 'test/fixtures/stacks/tenants/bob/search/deploy/main.ts';
const scope = testScope();

beforeAll(async () => {
  await ensureCrds();
  // With leader election: `clockwork apply` checks that an operator holds the Lease.
  await scope.operator({ leaseNamespace: 'default' });
}, 90_000);
afterAll(() => scope.cleanup(), 90_000);

async function clockwork(args: string[], env: Record<string, string> = {}) {
  const r = await run(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), ...args, ...(args[0] === 'apply' ? ['--timeout', '25'] : [])], { cwd: repoRoot, allowFailure: true, timeoutMs: 120_000, env: { KUBECONFIG: clusterInfo().kubeconfig, ...env } });
  return { code: r.code, out: r.stdout, err: r.stderr };
}
/** What must not change of an object another stack owns. */
const fingerprint = async (ns: string, name: string) => {
  const o = await getObject(ns, 'cwr', name);
  return o && { uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, image: o.spec.image, labels: o.metadata.labels };
};

describe('stacks in one namespace keep to their own objects', () => {
  test("Bob's apply and destroy leave Alice's objects alone, though both files are deploy/main.ts", async () => {
    const ns = await scope.ns('tenants');
    const alice = await clockwork(['apply', ALICE, '-n', ns, '--target', 'kubernetes']);
    expect(`${alice.code} ${alice.err}`).toBe('0 ');
    const before = { db: await fingerprint(ns, 'payments-db'), api: await fingerprint(ns, 'payments-api') };
    const bob = await clockwork(['apply', BOB, '-n', ns, '--target', 'kubernetes']);
    report(`Bob's apply: exit ${bob.code}; ${bob.out.split('\n').filter((l) => /pruned|applied|not pruned/.test(l)).join(' | ')}`);
    expect(bob.code).toBe(0);
    const after = { db: await fingerprint(ns, 'payments-db'), api: await fingerprint(ns, 'payments-api') };
    report(`Alice's objects after Bob's apply: ${JSON.stringify({ db: after.db?.resourceVersion ?? 'gone', api: after.api?.resourceVersion ?? 'gone' })} (before ${before.db?.resourceVersion}, ${before.api?.resourceVersion})`);
    expect(after).toEqual(before);
    const destroyed = await clockwork(['destroy', BOB, '-n', ns, '--target', 'kubernetes']);
    expect(destroyed.code).toBe(0);
    expect({ db: await fingerprint(ns, 'payments-db'), api: await fingerprint(ns, 'payments-api') }).toEqual(before);
    expect(await getObject(ns, 'cwr', 'search')).toBeUndefined();
  }, 120_000);

  test('each stack is an ApplySet: a parent with its inventory, its own field manager; the default name is the path in the repository', async () => {
    const ns = await scope.ns('applyset');
    expect((await clockwork(['apply', ALICE, '-n', ns, '--target', 'kubernetes'])).code).toBe(0);
    const parents = (await kubectlJson(['get', 'configmaps', '-l', 'applyset.kubernetes.io/id'], { namespace: ns })).items;
    expect(parents).toHaveLength(1);
    const parent = parents[0];
    expect(parent.metadata.annotations).toMatchObject({
      'clockwork.dev/stack': ALICE,
      'clockwork.dev/inventory': 'Resource/payments-api,Resource/payments-db',
      'applyset.kubernetes.io/tooling': 'clockwork/v1',
      'applyset.kubernetes.io/contains-group-kinds': 'Composite.clockwork.dev,Resource.clockwork.dev',
    });
    const db = await kubectlJson(['get', 'cwr', 'payments-db', '--show-managed-fields'], { namespace: ns });
    expect(db.metadata.labels['applyset.kubernetes.io/part-of']).toBe(parent.metadata.labels['applyset.kubernetes.io/id']);
    expect(db.metadata.managedFields.map((f: any) => f.manager)).toContain(`clockwork/${ALICE}`);
    // --stack-name overrides the default.
    const named = await scope.ns('applyset-named');
    expect((await clockwork(['apply', ALICE, '-n', named, '--target', 'kubernetes', '--stack-name', 'payments'])).code).toBe(0);
    const [namedParent] = (await kubectlJson(['get', 'configmaps', '-l', 'applyset.kubernetes.io/id'], { namespace: named })).items;
    expect(namedParent.metadata.annotations['clockwork.dev/stack']).toBe('payments');
    expect((await kubectlJson(['get', 'cwr', 'payments-db', '--show-managed-fields'], { namespace: named })).metadata.managedFields.map((f: any) => f.manager)).toContain('clockwork/payments');
  }, 120_000);

  test('an apply that would take fields another stack manages fails, naming the object and the manager; --force-conflicts takes them', async () => {
    const ns = await scope.ns('conflict');
    expect((await clockwork(['apply', ALICE, '-n', ns, '--target', 'kubernetes'])).code).toBe(0);
    const before = await fingerprint(ns, 'payments-db');
    const taken = await clockwork(['apply', BOB, '-n', ns, '--target', 'kubernetes'], { BOB_TAKES_DB: '1' });
    report(`Bob applies a payments-db of his own: exit ${taken.code}: ${taken.err.trim()}`);
    expect(taken.code).toBe(1);
    expect(taken.err).toContain(`Resource ${ns}/payments-db`);
    expect(taken.err).toContain(`"clockwork/${ALICE}"`);
    expect(taken.err).toContain('.spec.image');
    expect(taken.err).toContain('--force-conflicts');
    expect(await fingerprint(ns, 'payments-db')).toEqual(before);

    const forced = await clockwork(['apply', BOB, '-n', ns, '--target', 'kubernetes', '--force-conflicts'], { BOB_TAKES_DB: '1' });
    expect(forced.code).toBe(0);
    expect((await getObject(ns, 'cwr', 'payments-db')).spec.image).toBe('example/bobs-db:6');
    // Alice drops db from her stack: her inventory lists it, but it is Bob's now: not pruned.
    const aliceAgain = await clockwork(['apply', ALICE, '-n', ns, '--target', 'kubernetes'], { ALICE_WITHOUT_DB: '1' });
    expect(aliceAgain.out).toContain('resource payments-db: not pruned (it belongs to another stack now)');
    expect((await getObject(ns, 'cwr', 'payments-db')).spec.image).toBe('example/bobs-db:6');
  }, 120_000);
});
