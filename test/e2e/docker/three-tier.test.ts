import { afterAll, describe, expect, test } from '@jest/globals';
import { cleanup, clockwork, containersOf, docker, fixture, freePort, networkExists, uniqueNamespace } from './helpers.ts';

const file = fixture('three-tier.ts');
const namespace = uniqueNamespace('cw3t');
const webPort = freePort();
const env = { CLOCKWORK_TEST_WEB_PORT: String(webPort) };
const target = ['-n', namespace, '--target', 'docker'];
const DELAY_S = 2;

afterAll(() => cleanup(namespace));

describe('three-tier stack on Docker', () => {
  let firstIds: Map<string, string>;

  test('apply brings db, api, web up in dependency order; web reaches both by alias', async () => {
    const result = await clockwork(['apply', file, ...target], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/✓ 3\/3 resources Ready/);
    const containers = await containersOf(namespace);
    const [db, api, web] = ['db', 'api', 'web'].map((n) => containers.get(n)!);
    expect([db, api, web].every((c) => c?.running)).toBe(true);
    // Each tier starts only once the one below is Ready, and that takes its 2 s start delay.
    expect(api!.startedAt - db!.startedAt).toBeGreaterThanOrEqual(DELAY_S * 1000 - 50);
    expect(web!.startedAt - api!.startedAt).toBeGreaterThanOrEqual(DELAY_S * 1000 - 50);
    const readyAfter = Number(/after ([\d.]+)s/.exec(result.stdout)![1]);
    const floor = 3 * DELAY_S;
    console.log(`[timing] three chained tiers (${DELAY_S}s start delay each): Ready after ${readyAfter.toFixed(2)}s (CLI wall time ${(result.ms / 1000).toFixed(2)}s); floor ${floor}s; overhead ${(readyAfter - floor).toFixed(2)}s`);
    expect(readyAfter).toBeLessThan(floor + 4);
    firstIds = new Map([...containers].map(([k, v]) => [k, v.id]));
  }, 60_000);

  test('published port on 127.0.0.1 serves the copied file; D_HOST/D_PORT are injected', async () => {
    const response = await fetch(`http://127.0.0.1:${webPort}/`);
    expect(await response.text()).toBe('hello from web\n');
    const info = await docker.getContainer(`clockwork-${namespace}-api`).inspect();
    expect(info.Config.Env).toEqual(expect.arrayContaining(['DB_HOST=db', 'DB_PORT=5432']));
    const web = await docker.getContainer(`clockwork-${namespace}-web`).inspect();
    expect(web.HostConfig.PortBindings['80/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(webPort) }]);
    expect(web.Config.Labels).toMatchObject({ 'clockwork.dev/namespace': namespace, 'clockwork.dev/resource': 'web', 'app.kubernetes.io/managed-by': 'clockwork' });
    expect(web.Config.Labels['clockwork.dev/spec-hash']).toMatch(/^[0-9a-f]{16}$/);
    expect((await docker.getContainer(`clockwork-${namespace}-db`).inspect()).Config.Labels['clockwork.dev/composite']).toBe('backend');
  });

  test('status shows the tree as Ready; -o json for scripts', async () => {
    const text = await clockwork(['status', file, ...target], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('3/3 Resources Ready');
    expect(text.stdout).toMatch(/backend \(composite\)\s+✓ 2\/2 Ready/);
    const json = await clockwork(['status', file, ...target, '-o', 'json'], env);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ target: 'docker', namespace, ready: true });
    expect(report.resources.map((r: { name: string; ready: boolean }) => [r.name, r.ready])).toEqual([['db', true], ['api', true], ['web', true]]);
  }, 30_000);

  test('status --all rebuilds the stack from its containers, with no stack file, and checks it now', async () => {
    const result = await clockwork(['status', '--all', ...target]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Namespace "${namespace}" on docker: 3/3 Resources Ready`);
    expect(result.stdout).toMatch(/^ {2}web {2}✓ Ready {2}assertions \d\/\d {2}\[clockwork-\S+-web running\]/m);
    expect(result.stdout).toMatch(/backend \(composite\) {2}✓ 2\/2 Ready\n[^]*├── db {2}✓ Ready[^]*└── api {2}✓ Ready/);
    expect(result.stdout).toMatch(/Available=True WorkloadReady: running; readiness probe passed/);
    const everywhere = JSON.parse((await clockwork(['status', '-A', '--target', 'docker', '-o', 'json'])).stdout) as { namespace: string; resources: { name: string }[] }[];
    expect(everywhere.find((r) => r.namespace === namespace)?.resources.map((r) => r.name)).toEqual(['db', 'api', 'web']);
  }, 30_000);

  test('assert passes and exits 0', async () => {
    const result = await clockwork(['assert', file, ...target], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ 4/4 assertions passed');
    expect(result.stdout).toMatch(/✓ home\s+GET port 80\/: 200/);
  }, 30_000);

  test('re-apply with no change recreates nothing', async () => {
    const result = await clockwork(['apply', file, ...target], env);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/Created|Replaced/);
    const ids = new Map([...(await containersOf(namespace))].map(([k, v]) => [k, v.id]));
    expect(ids).toEqual(firstIds);
  }, 30_000);

  test('a changed env recreates exactly that container', async () => {
    const result = await clockwork(['apply', file, ...target], { ...env, CLOCKWORK_TEST_API_MODE: 'two' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/api: Replaced/);
    const ids = new Map([...(await containersOf(namespace))].map(([k, v]) => [k, v.id]));
    expect(ids.get('api')).not.toBe(firstIds.get('api'));
    expect(ids.get('db')).toBe(firstIds.get('db'));
    expect(ids.get('web')).toBe(firstIds.get('web'));
  }, 30_000);

  test('a resource removed from the stack is removed', async () => {
    const result = await clockwork(['apply', file, ...target], { ...env, CLOCKWORK_TEST_API_MODE: 'two', CLOCKWORK_TEST_DROP_WEB: '1' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/web: removed \(no longer in the stack\)/);
    expect([...(await containersOf(namespace)).keys()].sort()).toEqual(['api', 'db']);
  }, 30_000);

  test('status --all probes what runs now: a stopped container fails it and blocks its dependents', async () => {
    await docker.getContainer(`clockwork-${namespace}-api`).stop({ t: 1 });
    const result = await clockwork(['status', '--all', ...target]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`Namespace "${namespace}" on docker: 1/2 Resources Ready`);
    expect(result.stdout).toMatch(/└── api {2}✗ Exited {2}\[clockwork-\S+-api exited\]/);
    expect(result.stdout).toMatch(/backend \(composite\) {2}✗ 1\/2 Ready/);
  }, 30_000);

  test('destroy removes every container in reverse order and the network; a second destroy is a no-op', async () => {
    await clockwork(['apply', file, ...target], env);
    const result = await clockwork(['destroy', file, ...target], env);
    expect(result.code).toBe(0);
    const order = [...result.stdout.matchAll(/\] (\w+): removed/g)].map((m) => m[1]);
    expect(order).toEqual(['web', 'api', 'db']);
    expect((await containersOf(namespace)).size).toBe(0);
    expect(await networkExists(namespace)).toBe(false);
    const again = await clockwork(['destroy', file, ...target], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Nothing to destroy');
  }, 60_000);
});
