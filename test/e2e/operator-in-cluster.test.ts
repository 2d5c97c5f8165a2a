// The operator as users deploy it: its image (built without a registry) imported into the real
// node, installed with `kubectl apply -k deploy/` (2 replicas, least-privilege RBAC, Pod Security
// restricted), converging the seed example with real software and checking its assertions from
// inside the cluster; metrics; leader failover; teardown in reverse order.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { clusterInfo, importImage, kubectl, kubectlJson, repoRoot, run, waitFor } from '../harness/index.ts';

const NS = 'seed-k8s';
const STACK = 'examples/mixed-pattern/main.ts';
const imageMap = () => readFileSync(join(process.env.CLOCKWORK_IMAGES_CACHE ?? join(homedir(), '.cache/clockwork/images'), 'image-map.env'), 'utf8').match(/^CLOCKWORK_IMAGE_MAP=(.*)$/m)![1]!;

async function clockwork(args: string[]) {
  const r = await run(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), ...args], { cwd: repoRoot, allowFailure: true, timeoutMs: 300_000, env: { KUBECONFIG: clusterInfo().kubeconfig, CLOCKWORK_IMAGE_MAP: imageMap() } });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

const leaseHolder = async () => (await kubectlJson(['get', 'lease', 'clockwork-operator', '-n', 'clockwork-system', '-o', 'json'])).spec.holderIdentity as string;
const operatorPods = async () => (await kubectlJson(['get', 'pods', '-n', 'clockwork-system', '-l', 'app.kubernetes.io/name=clockwork-operator', '-o', 'json'])).items.filter((p: any) => !p.metadata.deletionTimestamp);

beforeAll(async () => {
  // Registry-free images: the operator's (as the Dockerfile lays it out) and the example's.
  await run('bash', [join(repoRoot, 'test/images/build-example-images.sh'), 'operator'], { timeoutMs: 600_000 });
  await run('bash', [join(repoRoot, 'test/images/build-example-images.sh')], { timeoutMs: 600_000 });
  for (const image of ['clockwork/operator:0.1.0', 'clockwork-local/prometheus:2.42', 'clockwork-local/postgres:15', 'clockwork-examples/api-service:0.1.0']) await importImage(image);
  await kubectl(['apply', '--server-side', '-k', join(repoRoot, 'deploy')]);
  await kubectl(['rollout', 'status', 'deployment/clockwork-operator', '-n', 'clockwork-system', '--timeout=180s'], { timeoutMs: 200_000 });
  await kubectl(['create', 'namespace', NS]);
}, 900_000);

afterAll(async () => {
  await kubectl(['delete', 'namespace', NS, '--wait=true', '--timeout=60s'], { allowFailure: true, timeoutMs: 90_000 });
  // Everything but the CRDs, which later test files share.
  await kubectl(['delete', 'namespace', 'clockwork-system', '--timeout=60s'], { allowFailure: true, timeoutMs: 90_000 });
  await kubectl(['delete', 'clusterrole,clusterrolebinding', 'clockwork-operator', '--ignore-not-found'], { allowFailure: true });
}, 200_000);

describe('the operator installed with kubectl apply -k deploy/', () => {
  test('two replicas run in a namespace enforcing Pod Security restricted; one holds the Lease', async () => {
    const ns = await kubectlJson(['get', 'namespace', 'clockwork-system', '-o', 'json']);
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const pods = await operatorPods();
    expect(pods).toHaveLength(2);
    for (const pod of pods) expect(pod.spec.serviceAccountName).toBe('clockwork-operator');
    const holder = await waitFor('a leader', async () => (await leaseHolder()) || undefined, { timeoutMs: 60_000 });
    expect(pods.map((p: any) => p.metadata.name)).toContain(holder);
  });

  test('the seed example converges with real software; assertions pass, checked from inside the cluster', async () => {
    const r = await clockwork(['apply', STACK, '-n', NS, '--target', 'kubernetes', '--timeout', '240']);
    expect(r.err).toMatch(/image map: prometheus runs clockwork-local\/prometheus:2\.42/);
    expect(r.out).toMatch(/✓ 3\/3 resources Ready/);
    expect(r.code).toBe(0);
    for (const name of ['prometheus', 'postgres-db', 'api-service']) {
      const resource = await kubectlJson(['get', 'cwr', name, '-n', NS, '-o', 'json']);
      const passed = resource.status.conditions.find((c: any) => c.type === 'AssertionsPassed');
      expect(`${name}:${passed.status}`).toBe(`${name}:True`);
    }
    const api = await kubectlJson(['get', 'pod', 'api-service', '-n', NS, '-o', 'json']);
    const env = Object.fromEntries(api.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toMatchObject({ POSTGRES_DB_HOST: `postgres-db.${NS}.svc.cluster.local`, POSTGRES_DB_PORT: '5432', PROMETHEUS_PORT: '9090' });
    const assert = await clockwork(['assert', STACK, '-n', NS, '--target', 'kubernetes']);
    expect(assert.code).toBe(0);
    expect(assert.out).toMatch(/✓ 4\/4 assertions passed/);
  }, 300_000);

  test('Prometheus scrapes api-service:8000 and reports the target up', async () => {
    const target = await waitFor(
      'the api-service target up',
      async () => {
        const targets = JSON.parse((await kubectl(['get', '--raw', `/api/v1/namespaces/${NS}/services/prometheus:9090/proxy/api/v1/targets`])).stdout);
        return targets.data.activeTargets.find((t: any) => t.labels.instance === 'api-service:8000' && t.health === 'up');
      },
      { timeoutMs: 90_000, intervalMs: 2000 },
    );
    expect(target.scrapeUrl).toBe('http://api-service:8000/metrics');
  }, 120_000);

  test('/metrics of the leader: reconciles, durations, queue, assertion results, leader status', async () => {
    const leader = await leaseHolder();
    const text = (await kubectl(['get', '--raw', `/api/v1/namespaces/clockwork-system/pods/${leader}:8080/proxy/metrics`])).stdout;
    const value = (pattern: RegExp) => Number(text.match(pattern)?.[1] ?? NaN);
    expect(value(/^clockwork_reconcile_total\{kind="Resource",result="success"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^clockwork_reconcile_duration_seconds_count\{kind="Resource"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^clockwork_assertion_checks_total\{kind="http",result="passed"\} (\d+)/m)).toBeGreaterThan(0);
    expect(value(/^clockwork_leader (\d+)/m)).toBe(1);
    expect(text).toMatch(/^clockwork_workqueue_depth \d+/m);
    expect(text).toMatch(/^clockwork_workqueue_wait_seconds_bucket/m);
    const standby = (await operatorPods()).map((p: any) => p.metadata.name).find((n: string) => n !== leader);
    const standbyText = (await kubectl(['get', '--raw', `/api/v1/namespaces/clockwork-system/pods/${standby}:8080/proxy/metrics`])).stdout;
    expect(standbyText).toMatch(/^clockwork_leader 0/m);
  });

  test('killing the leader: the standby takes over within the lease duration and keeps reconciling', async () => {
    const leader = await leaseHolder();
    const killedAt = Date.now();
    await kubectl(['delete', 'pod', leader, '-n', 'clockwork-system', '--grace-period=0', '--force'], { allowFailure: true });
    const next = await waitFor('a new leader', async () => {
      const holder = await leaseHolder();
      return holder && holder !== leader ? holder : undefined;
    }, { timeoutMs: 40_000, intervalMs: 250 });
    // Lease 15 s, retry 2 s, plus the apiserver round trips.
    expect(Date.now() - killedAt).toBeLessThan(15_000 + 2_000 + 3_000);
    expect(next).not.toBe(leader);
    // The new leader repairs what breaks: a deleted Pod comes back.
    const before = (await kubectlJson(['get', 'pod', 'api-service', '-n', NS, '-o', 'json'])).metadata.uid;
    await kubectl(['delete', 'pod', 'api-service', '-n', NS, '--wait=false']);
    await waitFor('api-service recreated and Ready', async () => {
      const r = await kubectlJson(['get', 'cwr', 'api-service', '-n', NS, '-o', 'json']);
      const pod = await kubectlJson(['get', 'pod', 'api-service', '-n', NS, '-o', 'json']).catch(() => undefined);
      return pod && pod.metadata.uid !== before && r.status.conditions.find((c: any) => c.type === 'Ready')?.status === 'True';
    }, { timeoutMs: 120_000, intervalMs: 1000 });
  }, 180_000);

  test('destroy tears the stack down in reverse dependency order and leaves nothing', async () => {
    const r = await clockwork(['destroy', STACK, '-n', NS, '--target', 'kubernetes']);
    expect(r.code).toBe(0);
    const order = ['api-service', 'postgres-db', 'prometheus'].map((n) => r.out.indexOf(`${n}: deleted`));
    expect(order[0]).toBeGreaterThanOrEqual(0);
    expect(order[0]).toBeLessThan(Math.min(order[1]!, order[2]!));
    for (const kind of ['pods', 'services', 'configmaps', 'cwr', 'cwc']) {
      const left = (await kubectlJson(['get', kind, '-n', NS, '-l', 'app.kubernetes.io/managed-by=clockwork', '-o', 'json'])).items;
      expect(left.map((o: any) => `${kind}/${o.metadata.name}`)).toEqual([]);
    }
  }, 180_000);
});
