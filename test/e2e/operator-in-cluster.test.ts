// The operator as users deploy it: its image (built without a registry) imported into the real
// node, installed with `kubectl apply -k deploy/` (2 replicas, least-privilege RBAC, Pod Security
// restricted), converging the seed example with real software and checking its assertions from
// inside the cluster; metrics; leader failover; data that survives a replaced database and
// destroy + apply (claims provisioned on the node), gone after destroy --volumes; teardown in
// reverse order.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { clusterInfo, importImage, kubectl, kubectlJson, repoRoot, run, waitFor } from '../harness/index.ts';

const NS = 'seed-k8s';
const STACK = 'examples/mixed-pattern/main.ts';
/** The seed with a changed postgres-db spec (its Pod is replaced). */
const CHANGED = 'test/fixtures/stacks/seed-changed.ts';
/** One stack identity for both files: the changed file is an edit of the seed, not a second stack beside it. */
const SEED_STACK = ['--stack-name', 'seed'];
const itemsPath = `/api/v1/namespaces/${NS}/services/api-service:8000/proxy/items`;

/** The names of the items api-service serves (through the API server's service proxy). */
async function itemNames(): Promise<string[]> {
  return waitFor('GET /items', async () => {
    const r = await kubectl(['get', '--raw', itemsPath], { allowFailure: true });
    return r.code === 0 ? (JSON.parse(r.stdout) as { items: { name: string }[] }).items.map((i) => i.name) : undefined;
  }, { timeoutMs: 60_000, intervalMs: 1000 });
}

/** Seconds from the start of an apply to the progress line `<name>: ready`. */
function readyAfter(out: string, name: string): number {
  const line = out.split('\n').find((l) => l.includes(`] ${name}: ready`));
  return Number(line?.match(/^\[\s*([\d.]+)s\]/)?.[1] ?? NaN);
}
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
    const r = await clockwork(['apply', STACK, '-n', NS, '--target', 'kubernetes', ...SEED_STACK, '--timeout', '240']);
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
    const assert = await clockwork(['assert', STACK, '-n', NS, '--target', 'kubernetes', ...SEED_STACK]);
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

  test('a row survives a spec change of postgres-db: the Pod is replaced, its claim kept', async () => {
    // POST from inside the api-service Pod (the API server's proxy does not pass a JSON content type through).
    const post = "fetch('http://127.0.0.1:8000/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: process.argv[1] }) }).then(async (r) => { console.log(await r.text()); process.exit(r.status === 201 ? 0 : 1); })";
    const created = await kubectl(['exec', 'api-service', '-n', NS, '--', 'node', '-e', post, 'kept across replacement']);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'kept across replacement' });
    const claim = await kubectlJson(['get', 'pvc', 'postgres-db-data', '-n', NS, '-o', 'json']);
    expect(claim.status.phase).toBe('Bound');
    expect(claim.spec.storageClassName).toBe('local-path');
    const pod = await kubectlJson(['get', 'pod', 'postgres-db', '-n', NS, '-o', 'json']);
    const r = await clockwork(['apply', CHANGED, '-n', NS, '--target', 'kubernetes', ...SEED_STACK, '--timeout', '240']);
    expect(r.code).toBe(0);
    process.stdout.write(`postgres-db Ready again ${readyAfter(r.out, 'postgres-db')} s after the apply of its spec change started (real node)\n`);
    expect((await kubectlJson(['get', 'pod', 'postgres-db', '-n', NS, '-o', 'json'])).metadata.uid).not.toBe(pod.metadata.uid);
    expect((await kubectlJson(['get', 'pvc', 'postgres-db-data', '-n', NS, '-o', 'json'])).metadata.uid).toBe(claim.metadata.uid);
    expect(await itemNames()).toContain('kept across replacement');
  }, 300_000);

  test('a row survives destroy + apply: the retained claims are taken up again', async () => {
    const claim = await kubectlJson(['get', 'pvc', 'postgres-db-data', '-n', NS, '-o', 'json']);
    const destroyed = await clockwork(['destroy', CHANGED, '-n', NS, '--target', 'kubernetes', ...SEED_STACK]);
    expect(destroyed.code).toBe(0);
    expect(destroyed.out).toMatch(new RegExp(`Kept 2 volumes and their data \\(the next apply uses them again\\): postgres-db/data in claim ${NS}/postgres-db-data, prometheus/tsdb in claim ${NS}/prometheus-tsdb\\.`));
    const r = await clockwork(['apply', STACK, '-n', NS, '--target', 'kubernetes', ...SEED_STACK, '--timeout', '240']);
    expect(r.code).toBe(0);
    expect((await kubectlJson(['get', 'pvc', 'postgres-db-data', '-n', NS, '-o', 'json'])).metadata.uid).toBe(claim.metadata.uid);
    expect(await itemNames()).toContain('kept across replacement');
  }, 400_000);

  test('destroy --volumes, then apply: the database starts empty', async () => {
    const destroyed = await clockwork(['destroy', STACK, '-n', NS, '--target', 'kubernetes', ...SEED_STACK, '--volumes']);
    expect(destroyed.code).toBe(0);
    expect(destroyed.out).toMatch(/and 2 volumes with their data/);
    expect((await kubectlJson(['get', 'pvc', '-n', NS, '-o', 'json'])).items).toEqual([]);
    const r = await clockwork(['apply', STACK, '-n', NS, '--target', 'kubernetes', ...SEED_STACK, '--timeout', '240']);
    expect(r.code).toBe(0);
    expect(await itemNames()).toEqual([]);
  }, 400_000);

  test('destroy tears the stack down in reverse dependency order and leaves nothing', async () => {
    const r = await clockwork(['destroy', STACK, '-n', NS, '--target', 'kubernetes', ...SEED_STACK]);
    expect(r.code).toBe(0);
    const order = ['api-service', 'postgres-db', 'prometheus'].map((n) => r.out.indexOf(`${n}: deleted`));
    expect(order[0]).toBeGreaterThanOrEqual(0);
    expect(order[0]).toBeLessThan(Math.min(order[1]!, order[2]!));
    for (const kind of ['pods', 'services', 'configmaps', 'jobs', 'cwr', 'cwc']) {
      const left = (await kubectlJson(['get', kind, '-n', NS, '-l', 'app.kubernetes.io/managed-by=clockwork', '-o', 'json'])).items;
      expect(left.map((o: any) => `${kind}/${o.metadata.name}`)).toEqual([]);
    }
    // But the data: the retained claims stay until destroy --volumes (or the namespace goes).
    const claims = (await kubectlJson(['get', 'pvc', '-n', NS, '-l', 'clockwork.dev/volume', '-o', 'json'])).items;
    expect(claims.map((c: any) => c.metadata.name).sort()).toEqual(['postgres-db-data', 'prometheus-tsdb']);
  }, 180_000);
});
