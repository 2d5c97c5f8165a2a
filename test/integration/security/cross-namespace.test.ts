// Cross-namespace dependencies need the target namespace's consent (issue #18): until the
// Namespace's annotation clockwork.dev/allow-dependents-from lists the dependent's namespace (or
// `*`), the dependent reports DependencyNotPermitted, gets no workload, no *_HOST/*_PORT and
// learns nothing of the target's objects. Once permitted, a foreign dependency contributes Ready
// or not Ready, never its messages; *_HOST/*_PORT only for what was granted.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { composite, conditionOf, ensureCrds, getObject, kubectl, kubectlApply, report, resource, tenantView, testScope, waitCondition, waitFor, waitReady } from './support.ts';

const scope = testScope();
let platform = '';
let teamA = '';
let teamB = '';
const SECRET_NAME = 'internal-ledger-sync';

beforeAll(async () => {
  await ensureCrds();
  platform = await scope.ns('platform');
  teamA = await scope.ns('team-a');
  teamB = await scope.ns('team-b');
  await scope.operator();
  // The platform team's namespace: a database, a Composite of two, and one Resource that waits
  // for something whose name (in its message) is not for other teams to read.
  await kubectlApply({
    apiVersion: 'v1',
    kind: 'List',
    items: [
      resource(platform, 'db', { ports: [{ port: 5432 }] }),
      composite(platform, 'caches'),
      resource(platform, 'cache-a', { ports: [{ port: 6379 }] }, { composite: 'caches' }),
      resource(platform, 'cache-b', { ports: [{ port: 6380 }] }, { composite: 'caches' }),
      resource(platform, 'reports', { dependsOn: [SECRET_NAME] }),
    ],
  });
  await waitReady(platform, 'cwr', 'db', 30_000);
  await waitReady(platform, 'cwr', 'cache-b', 30_000);
}, 120_000);
afterAll(() => scope.cleanup(), 120_000);

const dependent = (namespace: string, name: string, dependsOn: string) => resource(namespace, name, { env: [{ name: 'OWN', value: '1' }] }, { annotations: { 'clockwork.dev/depends-on': dependsOn } });
const envOf = async (namespace: string, name: string) => Object.fromEntries(((await getObject(namespace, 'pod', name))?.spec.containers[0].env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));

describe('cross-namespace dependencies need the target namespace\'s consent', () => {
  test('without consent: DependencyNotPermitted, no workload, nothing of the target revealed', async () => {
    await kubectlApply({ apiVersion: 'v1', kind: 'List', items: [dependent(teamA, 'app', `${platform}/db,composite:${platform}/caches`), dependent(teamA, 'peek', `${platform}/reports`)] });
    const app = await waitFor('app reports on its dependencies', async () => {
      const c = await conditionOf(teamA, 'cwr', 'app', 'DependenciesReady');
      return c && c.reason !== 'Unknown' ? c : undefined;
    }, { timeoutMs: 30_000 });
    const peek = await waitFor('peek reports', async () => (await conditionOf(teamA, 'cwr', 'peek', 'DependenciesReady')) ?? undefined, { timeoutMs: 30_000 });
    await new Promise((r) => setTimeout(r, 2000));
    const seen = await tenantView(teamA);
    report(`no consent: app ${app.status}/${app.reason}: ${app.message}`);
    report(`no consent: peek ${peek.status}/${peek.reason}: ${peek.message}`);
    expect(app).toMatchObject({ status: 'False', reason: 'DependencyNotPermitted' });
    expect(app.message).toContain(`namespace ${platform} does not allow dependents from ${teamA}`);
    expect(await getObject(teamA, 'pod', 'app')).toBeUndefined();
    for (const hidden of [SECRET_NAME, 'cache-a', 'cache-b', '5432', '6379']) expect(seen).not.toContain(hidden);
  }, 60_000);

  test("with consent: Ready or not Ready only, never the target's messages; *_HOST/*_PORT for what was granted", async () => {
    await kubectl(['annotate', 'namespace', platform, `clockwork.dev/allow-dependents-from=${teamA}`]);
    // The annotation change alone wakes the dependents (no change to them).
    await waitReady(teamA, 'cwr', 'app', 30_000);
    const env = await envOf(teamA, 'app');
    expect(env).toMatchObject({ DB_HOST: `db.${platform}.svc.cluster.local`, DB_PORT: '5432', CACHE_A_HOST: `cache-a.${platform}.svc.cluster.local`, CACHE_B_PORT: '6380', OWN: '1' });
    const peek = await waitCondition(teamA, 'cwr', 'peek', { type: 'DependenciesReady', status: 'False', reason: 'WaitingForDependencies' }, 30_000);
    report(`with consent: peek ${peek.reason}: ${peek.message}`);
    expect(peek.message).toBe(`waiting for ${platform}/reports`);
    expect(await tenantView(teamA)).not.toContain(SECRET_NAME);
    // Another namespace the annotation does not name is still refused; `*` lets everyone in.
    await kubectlApply(dependent(teamB, 'other', `${platform}/db`));
    await waitCondition(teamB, 'cwr', 'other', { type: 'DependenciesReady', status: 'False', reason: 'DependencyNotPermitted' }, 30_000);
    expect(await getObject(teamB, 'pod', 'other')).toBeUndefined();
    await kubectl(['annotate', 'namespace', platform, 'clockwork.dev/allow-dependents-from=*', '--overwrite']);
    await waitReady(teamB, 'cwr', 'other', 30_000);
    expect(await envOf(teamB, 'other')).toMatchObject({ DB_HOST: `db.${platform}.svc.cluster.local` });
  }, 120_000);

  test('consent withdrawn: the dependent reports DependencyNotPermitted again (its workload keeps running)', async () => {
    await kubectl(['annotate', 'namespace', platform, 'clockwork.dev/allow-dependents-from-']);
    const c = await waitCondition(teamA, 'cwr', 'app', { type: 'DependenciesReady', status: 'False', reason: 'DependencyNotPermitted' }, 30_000);
    expect(c.message).toContain(platform);
    expect(await getObject(teamA, 'pod', 'app')).toBeDefined();
  }, 60_000);
});
