import { afterAll, describe, expect, test } from '@jest/globals';
import { deploy, DeployError, Resource } from '../../../sdk/src/index.ts';
import { cleanup, clockwork, containersOf, fixture, uniqueNamespace } from './helpers.ts';

const namespaces: string[] = [];
const ns = (prefix: string) => {
  const n = uniqueNamespace(prefix);
  namespaces.push(n);
  return n;
};
afterAll(() => Promise.all(namespaces.map(cleanup)));

describe('failures on Docker are reported, with a non-zero exit', () => {
  test('a container that keeps crashing: restarted like a Pod, then CrashLoopBackOff with its exit code and, under the error, the last lines it printed; its dependent is never started', async () => {
    const namespace = ns('cwcrash');
    const result = await clockwork(['apply', fixture('failing.ts'), '-n', namespace, '--target', 'docker'], { CLOCKWORK_TEST_FAILURE: 'crash' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ 1\/3 resources Ready/);
    // Restarted by its restart policy (as the kubelet would) until apply gives up on it.
    expect(result.stdout).toMatch(/ {2}✗ broken: CrashLoopBackOff: the process keeps exiting: restarted \d+ times, waiting out a back-off before the next start; last exit code 3\n {4}last \d+ lines of its output:\n/);
    // What the process printed is shown under the error (stdout and stderr written within the
    // same microseconds may come in either order: the engine stamps each pipe as it reads it).
    expect(result.stdout).toContain('    | starting up\n');
    expect(result.stdout).toContain('    | fatal: cannot open /data\n');
    expect(result.stdout).toMatch(/✗ dependent: WaitingForDependencies: waiting for .*\/broken: the process keeps exiting/);
    const containers = await containersOf(namespace);
    expect(containers.has('dependent')).toBe(false);
    expect(containers.get('ok')?.running).toBe(true);
  }, 60_000);

  test("deploy() rejects with a DeployError whose rootCauses carry the crashed container's last lines", async () => {
    const namespace = ns('cwdeploy');
    const broken = new Resource({ name: 'broken', image: 'clockwork-test/busybox:1', command: ['sh', '-c', 'echo starting up; echo "fatal: cannot open /data" >&2; exit 3'], ports: [{ port: 5432 }], readiness: { tcpSocket: { port: 5432 } } });
    const error = await deploy([broken], { namespace, target: 'docker', timeoutSeconds: 60 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployError);
    const [cause] = (error as DeployError).rootCauses;
    // Restarted like a Pod until deploy gives up on it: a crash loop, with its output under the cause.
    expect(cause).toMatch(/^broken: CrashLoopBackOff: the process keeps exiting: restarted \d+ times, waiting out a back-off before the next start; last exit code 3\n {4}last \d+ lines of its output:\n/);
    expect(cause).toContain('    | fatal: cannot open /data');
    expect(cause).toContain('    | starting up');
  }, 60_000);

  test('an image that does not exist: named with its resource', async () => {
    const namespace = ns('cwimg');
    const result = await clockwork(['apply', fixture('failing.ts'), '-n', namespace, '--target', 'docker'], { CLOCKWORK_TEST_FAILURE: 'image' });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ broken: ErrImagePull: image "clockwork-test/does-not-exist:404" of resource "broken" is not present locally and could not be pulled');
    expect([...(await containersOf(namespace)).keys()]).toEqual(['ok']);
  }, 60_000);

  test('a container that never becomes Ready stalls after timeouts.readySeconds', async () => {
    const namespace = ns('cwstall');
    const result = await clockwork(['apply', fixture('failing.ts'), '-n', namespace, '--target', 'docker'], { CLOCKWORK_TEST_FAILURE: 'never-ready' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ broken: Stalled: not Ready after 3s: readiness probe failing: connect to port 5432: ECONNREFUSED/);
    expect(result.ms).toBeLessThan(15_000);
    expect((await containersOf(namespace)).has('dependent')).toBe(false);
  }, 60_000);

  test('a dependency cycle is rejected before anything starts', async () => {
    const namespace = ns('cwcycle');
    const result = await clockwork(['apply', fixture('cycle.ts'), '-n', namespace, '--target', 'docker']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/dependency cycle: a → b → c → a/);
    expect((await containersOf(namespace)).size).toBe(0);
  }, 30_000);

  test('bad usage exits 2', async () => {
    const bad = await clockwork(['apply', fixture('cycle.ts'), '--target', 'nomad']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/argument 'nomad' is invalid/);
  }, 30_000);
});
