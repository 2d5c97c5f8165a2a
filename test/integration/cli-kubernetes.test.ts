// `clockwork apply|status|destroy --target kubernetes` and deploy() against the kwok cluster with
// the operator running as users run it; preflight failures on a cluster of their own.
import { describe, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Watch, KubeConfig } from '@kubernetes/client-node';
import { deploy, DeployError, loadStackFile } from '../../sdk/src/index.ts';
import { clusterInfo, kubectl, kubectlJson, repoRoot, run, startCluster, stopCluster } from '../harness/index.ts';
import { operatorPerFile } from './operator/support.ts';

const STACK = 'test/fixtures/stacks/kwok-shop/main.ts';
const { namespace } = operatorPerFile();

/**
 * The CLI as a user runs it (not a terminal: plain progress lines). `apply` gets --timeout 25
 * unless the test sets one: below jest's 30 s, so a stuck apply ends with its root causes in
 * the failure message instead of being cut off.
 */
async function clockwork(args: string[], env: Record<string, string> = {}) {
  const full = args[0] === 'apply' && !args.includes('--timeout') ? [...args, '--timeout', '25'] : args;
  const r = await run(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), ...full], { cwd: repoRoot, allowFailure: true, timeoutMs: 120_000, env: { KUBECONFIG: clusterInfo().kubeconfig, ...env } });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const podUids = async (ns: string) => Object.fromEntries((await kubectlJson(['get', 'pods', '-n', ns, '-o', 'json'])).items.map((p: any) => [p.metadata.name, p.metadata.uid]));

describe('clockwork apply on Kubernetes', () => {
  test('applies with server-side apply, waits until Ready, prints one line per change when not a terminal', async () => {
    const ns = await namespace('cli-apply');
    const r = await clockwork(['apply', STACK, '-n', ns, '--target', 'kubernetes']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/composite shop: applied/);
    expect(r.out).toMatch(/api: ready \(assertions 1\/1\)/);
    expect(r.out).toMatch(/✓ 4\/4 resources Ready in namespace "[^"]*cli-apply[^"]*" on kubernetes/);
    expect(r.out).not.toMatch(/\x1b\[/);
    const api = await kubectlJson(['get', 'cwr', 'api', '-n', ns, '-o', 'json', '--show-managed-fields']);
    // The stack's ApplySet: its part-of label, and a field manager named after the stack file.
    expect(api.metadata.labels['applyset.kubernetes.io/part-of']).toMatch(/^applyset-[-_A-Za-z0-9]{43}-v1$/);
    expect(api.metadata.managedFields.map((f: any) => f.manager)).toContain(`clockwork/${STACK}`);
    expect(api.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Composite', name: 'shop', controller: true, blockOwnerDeletion: true })]);
  });

  test('applying twice changes nothing; removing a Resource from the stack prunes it', async () => {
    const ns = await namespace('cli-prune');
    expect((await clockwork(['apply', STACK, '-n', ns, '--target', 'kubernetes'])).code).toBe(0);
    const before = await podUids(ns);
    const generations = (await kubectlJson(['get', 'cwr', '-n', ns, '-o', 'json'])).items.map((r: any) => `${r.metadata.name}:${r.metadata.generation}`);
    expect((await clockwork(['apply', STACK, '-n', ns, '--target', 'kubernetes'])).code).toBe(0);
    expect(await podUids(ns)).toEqual(before);
    expect((await kubectlJson(['get', 'cwr', '-n', ns, '-o', 'json'])).items.map((r: any) => `${r.metadata.name}:${r.metadata.generation}`)).toEqual(generations);

    const pruned = await clockwork(['apply', STACK, '-n', ns, '--target', 'kubernetes'], { SHOP_WITHOUT_CACHE: '1' });
    expect(pruned.code).toBe(0);
    expect(pruned.out).toMatch(/resource cache: pruned \(no longer in the stack\)/);
    // Deleted in the foreground: the Resource goes once its Pod is gone.
    await kubectl(['wait', '--for=delete', 'cwr/cache', 'pod/cache', '-n', ns, '--timeout=30s']);
    expect(Object.keys(await podUids(ns)).sort()).toEqual(['api', 'db', 'metrics']);
  });

  test('status shows the tree with every condition and its full message', async () => {
    const ns = await namespace('cli-status');
    expect((await clockwork(['apply', STACK, '-n', ns, '--target', 'kubernetes'])).code).toBe(0);
    const r = await clockwork(['status', STACK, '-n', ns, '--target', 'kubernetes']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('shop (composite)  ✓ 3/3 Ready');
    expect(r.out).toMatch(/└── api {2}✓ Ready {2}assertions 1\/1 {2}\[pod\/api/);
    expect(r.out).toMatch(/DependenciesReady=True AllDependenciesReady: 3 dependencies Ready/);
    const json = JSON.parse((await clockwork(['status', STACK, '-n', ns, '--target', 'kubernetes', '-o', 'json'])).out);
    expect(json).toMatchObject({ target: 'kubernetes', ready: true });
  });

  test('status --all reads every stack of a namespace from the cluster, with no stack file; -A every namespace', async () => {
    const ns = await namespace('cli-all');
    const stuck = await namespace('cli-all-stuck');
    expect((await clockwork(['apply', STACK, '-n', ns, '--target', 'kubernetes'])).code).toBe(0);
    // kwok keeps db unready for an hour: that stack stays as the operator left it, not Ready.
    expect((await clockwork(['apply', STACK, '-n', stuck, '--target', 'kubernetes', '--timeout', '2'], { SHOP_READY_DELAY: '1h' })).code).toBe(1);

    const one = await clockwork(['status', '--all', '-n', ns, '--target', 'kubernetes']);
    expect(one.err).toBe('');
    expect(one.code).toBe(0);
    expect(one.out).toContain(`Namespace "${ns}" on kubernetes: 4/4 Resources Ready`);
    expect(one.out).toMatch(/^ {2}metrics {2}✓ Ready {2}assertions 1\/1 {2}\[pod\/metrics/m);
    expect(one.out).toContain('shop (composite)  ✓ 3/3 Ready');
    // Members in start order (cache and db, by name, before api), every condition in full.
    expect(one.out).toMatch(/├── cache {2}✓ Ready[^]*├── db {2}✓ Ready[^]*└── api {2}✓ Ready {2}assertions 1\/1 {2}\[pod\/api/);
    expect(one.out).toMatch(/DependenciesReady=True AllDependenciesReady: 3 dependencies Ready/);
    expect(one.out).not.toContain(stuck);

    // The operator writes a passing state (db starting) once it has lasted a moment: read until it has.
    let all = await clockwork(['status', '-A', '--target', 'kubernetes']);
    for (let i = 0; i < 40 && !/├── db {2}✗ Starting/.test(all.out); i++) {
      await new Promise((r) => setTimeout(r, 500));
      all = await clockwork(['status', '-A', '--target', 'kubernetes']);
    }
    expect(all.code).toBe(1);
    expect(all.out).toContain(`Namespace "${ns}" on kubernetes: 4/4 Resources Ready`);
    expect(all.out).toContain(`Namespace "${stuck}" on kubernetes: 0/4 Resources Ready`);
    expect(all.out).toMatch(/├── db {2}✗ Starting {2}\[pod\/db Starting\]\n[^\n]*Ready=False Starting: Pod not ready \(ContainerCreating\)/);
    const json = JSON.parse((await clockwork(['status', '-A', '--target', 'kubernetes', '-o', 'json'])).out) as { namespace: string; ready: boolean }[];
    const readiness = Object.fromEntries(json.map((r) => [r.namespace, r.ready]));
    expect([readiness[ns], readiness[stuck]]).toEqual([true, false]);

    const empty = await namespace('cli-all-empty');
    expect(await clockwork(['status', '--all', '-n', empty, '--target', 'kubernetes'])).toEqual({ code: 0, out: `No Clockwork Resources in namespace "${empty}" on kubernetes.\n`, err: '' });
    const both = await clockwork(['status', STACK, '--all', '-n', ns, '--target', 'kubernetes']);
    expect(both.code).toBe(2);
    expect(both.err).toContain('status takes a stack file or --all, not both');
  }, 90_000);

  test('a stack that never becomes Ready exits 1 with the root cause after the timeout', async () => {
    const ns = await namespace('cli-never');
    // kwok keeps the db Pod unready for an hour: api waits for it; db is the root cause.
    const r = await clockwork(['apply', STACK, '-n', ns, '--target', 'kubernetes', '--timeout', '4'], { SHOP_READY_DELAY: '1h' });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/✗ 0\/4 resources Ready .* \(timed out\)/);
    expect(r.out).toMatch(/✗ db: Starting: Pod not ready \(ContainerCreating\)/);
    expect(r.out).toMatch(/✗ api: WaitingForDependencies: waiting for [^/]*cli-never[^/]*\/cache: Pod not ready \(ContainerCreating\); waiting for [^/]*\/db: Pod not ready/);
  });

  test('destroy deletes dependents before their dependencies and leaves nothing behind', async () => {
    const ns = await namespace('cli-destroy');
    expect((await clockwork(['apply', STACK, '-n', ns, '--target', 'kubernetes'])).code).toBe(0);
    const config = new KubeConfig();
    config.loadFromDefault();
    const deleted: string[] = [];
    const watch = await new Watch(config).watch(`/api/v1/namespaces/${ns}/pods`, {}, (phase, pod: any) => phase === 'DELETED' && deleted.push(pod.metadata.name), () => {});
    try {
      const r = await clockwork(['destroy', STACK, '-n', ns, '--target', 'kubernetes']);
      expect(r.code).toBe(0);
      expect(r.out.indexOf('api: deleted')).toBeLessThan(r.out.indexOf('db: deleted'));
      expect(deleted.indexOf('api')).toBeLessThan(Math.min(deleted.indexOf('db'), deleted.indexOf('metrics'), deleted.indexOf('cache')));
    } finally {
      watch.abort();
    }
    for (const kind of ['pods', 'services', 'configmaps', 'cwr', 'cwc']) {
      const items = (await kubectlJson(['get', kind, '-n', ns, '-l', 'app.kubernetes.io/managed-by=clockwork', '-o', 'json'])).items;
      expect(items.map((i: any) => `${kind}/${i.metadata.name}`)).toEqual([]);
    }
  });

  test('the live view under a terminal redraws a tree', async () => {
    const ns = await namespace('cli-tty');
    const command = `stty rows 40 cols 160; ${process.execPath} ${join(repoRoot, 'sdk/src/cli/main.ts')} apply ${STACK} -n ${ns} --target kubernetes`;
    // `script` gives the CLI a pseudo-terminal, as a user's shell would.
    const r = await run('script', ['-qec', command, '/dev/null'], { cwd: repoRoot, allowFailure: true, timeoutMs: 120_000, env: { KUBECONFIG: clusterInfo().kubeconfig, TERM: 'xterm' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\x1b\[/); // cursor movements: the tree is redrawn in place
    expect(r.stdout).toContain('shop (composite)');
    expect(r.stdout).toMatch(/✓ 4\/4 resources Ready/);
  });
});

describe('deploy() from a script', () => {
  test('resolves when all Ready, with progress in dependency order', async () => {
    const ns = await namespace('deploy-api');
    const events: string[] = [];
    const stack = await loadStackFile(join(repoRoot, STACK));
    const report = await deploy(stack, { namespace: ns, target: 'kubernetes', timeoutSeconds: 60, onProgress: (e) => e.ready && events.push(e.resource) });
    expect(report.ready).toBe(true);
    expect(events.indexOf('api')).toBeGreaterThan(Math.max(events.indexOf('db'), events.indexOf('metrics'), events.indexOf('cache')));
    expect(events.sort()).toEqual(['api', 'cache', 'db', 'metrics']);
  });

  test('rejects with the root causes when the stack does not become Ready', async () => {
    const ns = await namespace('deploy-fail');
    const stack = await loadStackFile(join(repoRoot, STACK));
    const { Resource } = await import('../../sdk/src/index.ts');
    const stuck = new Resource({ name: 'stuck', image: 'example/stuck:1', annotations: { 'pod-ready.stage.kwok.x-k8s.io/delay': '1h' }, timeouts: { readySeconds: 1 } });
    const error = await deploy([...stack, stuck], { namespace: ns, target: 'kubernetes', timeoutSeconds: 30 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeployError);
    expect((error as DeployError).rootCauses).toEqual([expect.stringMatching(/^stuck: Stalled: not Ready after 1s/)]);
  });
});

describe('apply says how to fix an unusable cluster', () => {
  test('an unreachable cluster', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-unreachable-'));
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: gone, context: {cluster: c, user: u}}]\ncurrent-context: gone\n`);
    const r = await clockwork(['apply', STACK, '--target', 'kubernetes'], { KUBECONFIG: kubeconfig });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the cluster of context "gone" did not answer/);
    const auto = await clockwork(['apply', STACK], { KUBECONFIG: kubeconfig, DOCKER_HOST: 'unix:///nonexistent.sock' });
    expect(auto.code).toBe(1);
    expect(auto.err).toMatch(/no target available:\n {2}- Kubernetes: context "gone" did not answer/);
  });

  test('missing CRDs, then no operator, on a cluster of their own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-bare-'));
    const bare = await startCluster('kwok', dir);
    try {
      const noCrds = await clockwork(['apply', STACK, '--target', 'kubernetes'], { KUBECONFIG: bare.kubeconfig });
      expect(noCrds.code).toBe(1);
      expect(noCrds.err).toMatch(/the Clockwork CRDs are not installed in context .*\n {2}fix: kubectl apply -f crds\//);
      await run(bare.kubectl, ['--kubeconfig', bare.kubeconfig, 'apply', '--server-side', '-f', join(repoRoot, 'crds')], {});
      const noOperator = await clockwork(['apply', STACK, '--target', 'kubernetes'], { KUBECONFIG: bare.kubeconfig });
      expect(noOperator.code).toBe(1);
      expect(noOperator.err).toMatch(/no Clockwork operator is running .*no Lease "clockwork-operator" found\)\n {2}fix: kubectl apply -k deploy\//);
    } finally {
      await stopCluster(dir);
    }
  }, 120_000);
});
