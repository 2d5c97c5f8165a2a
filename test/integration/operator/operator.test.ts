// The operator against the kwok test cluster, run as users run it: `clockwork operator` in its
// own process, watching every namespace; each test works in its own namespace. One file, so
// that only one operator process reconciles these objects at a time.
import { describe, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { spawn } from 'node:child_process';
import { clusterInfo, repoRoot, run } from '../../harness/index.ts';
import {
  apply,
  composite,
  conditionOf,
  createdAt,
  getObject,
  kubectl,
  operatorPerFile,
  pod,
  podReadyAt,
  pods,
  resource,
  stackStatus,
  startOperatorProcess,
  waitCondition,
  waitFor,
  waitReady,
} from './support.ts';

const scope = operatorPerFile();
const ns = scope.namespace;

/** The seed example as `clockwork generate` writes it, made kwok-friendly: no http/tcp assertions, an optional readiness delay. */
async function seedManifest(namespace: string, delay?: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['sdk/src/cli/main.ts', 'generate', 'examples/mixed-pattern/main.ts', '-n', namespace], { cwd: repoRoot });
  return parseAllDocuments(stdout)
    .map((doc) => {
      const o = doc.toJS() as { kind: string; metadata: { annotations?: Record<string, string> }; spec: Record<string, unknown> };
      if (o.kind === 'Resource') {
        o.spec.assertions = [{ name: 'running', running: {} }];
        if (delay) o.metadata.annotations = { ...o.metadata.annotations, 'pod-ready.stage.kwok.x-k8s.io/delay': delay };
      }
      return JSON.stringify(o);
    })
    .join('\n---\n');
}

describe('clockwork operator on kwok', () => {
  test('seed example: prometheus and postgres-db first, api-service only once both are Ready', async () => {
    const n = await ns('seed');
    await kubectl(['apply', '-f', '-'], { input: await seedManifest(n, '2s') });
    for (const name of ['prometheus', 'postgres-db', 'api-service']) await waitReady(n, 'cwr', name, 40_000);
    const [prometheus, postgres, api] = await Promise.all(['prometheus', 'postgres-db', 'api-service'].map((name) => pod(n, name)));
    // Server timestamps are whole seconds: the api Pod was created no earlier than both became Ready.
    expect(createdAt(api)).toBeGreaterThanOrEqual(podReadyAt(prometheus));
    expect(createdAt(api)).toBeGreaterThanOrEqual(podReadyAt(postgres));
    expect(createdAt(api) - Math.min(createdAt(prometheus), createdAt(postgres))).toBeGreaterThanOrEqual(2_000);
    const env = Object.fromEntries(api.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env.POSTGRES_DB_HOST).toBe(`postgres-db.${n}.svc.cluster.local`);
    expect(env.POSTGRES_DB_PORT).toBe('5432');
    expect(env.PROMETHEUS_HOST).toBe(`prometheus.${n}.svc.cluster.local`);
    // Pod shape: owner, labels, restricted security context, the files ConfigMap mounted with subPath.
    expect(api.metadata.ownerReferences[0]).toMatchObject({ kind: 'Resource', name: 'api-service', controller: true });
    expect(api.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'clockwork', 'clockwork.dev/resource': 'api-service' });
    expect(api.metadata.annotations['pod-ready.stage.kwok.x-k8s.io/delay']).toBe('2s');
    expect(api.spec.automountServiceAccountToken).toBe(false);
    expect(api.spec.securityContext.seccompProfile.type).toBe('RuntimeDefault');
    expect(api.spec.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(api.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    // The file's directory is a configMap volume (never subPath), so the kubelet updates it in place.
    expect(prometheus.spec.containers[0].volumeMounts[0]).toEqual({ name: 'files-0', mountPath: '/etc/prometheus', readOnly: true });
    const cm = await getObject(n, 'configmap', 'prometheus-files');
    expect(cm.data['0-prometheus.yml']).toContain('webapp-api');
    const svc = await getObject(n, 'service', 'postgres-db');
    expect(svc.spec.ports[0]).toMatchObject({ port: 5432, targetPort: 5432 });

    const table = (await kubectl(['get', 'clockworkresources'], { namespace: n })).stdout;
    expect(table.split('\n')[0]).toMatch(/NAME\s+READY\s+REASON\s+ASSERTIONS\s+COMPOSITE\s+AGE/);
    expect(table).toMatch(/api-service\s+True\s+Ready\s+1\/1\s+webapp/);
    await kubectl(['wait', '--for=condition=Ready', 'clockworkcomposite/webapp', '--timeout=30s'], { namespace: n });
    const webapp = await getObject(n, 'cwc', 'webapp');
    expect(webapp.status).toMatchObject({ readySummary: '2/2', readyCount: 2, totalCount: 2 });
    const api2 = await getObject(n, 'cwr', 'api-service');
    expect(api2.status.observedGeneration).toBe(api2.metadata.generation);
    expect(api2.status.conditions.map((c: { type: string }) => c.type).sort()).toEqual(['AssertionsPassed', 'Available', 'DependenciesReady', 'Ready']);
    // A clean rollout says it in one Event, on the Composite; its Resources' statuses say the rest.
    const reasons = async (kind: string, name: string) => (await kubectl(['get', 'events', '--field-selector', `involvedObject.name=${name},involvedObject.kind=${kind}`, '-o', 'jsonpath={.items[*].reason}'], { namespace: n })).stdout.split(' ').filter(Boolean);
    await waitFor('the Composite Ready Event', async () => (await reasons('Composite', 'webapp')).includes('Ready'));
    expect(await reasons('Composite', 'webapp')).toEqual(['Ready']);
    expect(await reasons('Resource', 'api-service')).toEqual([]);
  }, 60_000);

  test('seed example with no readiness delay: time from apply to all Ready', async () => {
    const n = await ns('seedfast');
    const manifest = await seedManifest(n);
    const t0 = Date.now();
    await kubectl(['apply', '-f', '-'], { input: manifest });
    await waitFor('all Ready', async () => {
      const c = await conditionOf(n, 'cwc', 'webapp');
      const p = await conditionOf(n, 'cwr', 'prometheus');
      return c?.status === 'True' && p?.status === 'True';
    }, { timeoutMs: 30_000, intervalMs: 50 });
    const ms = Date.now() - t0;
    process.stderr.write(`[operator] seed example: apply → all Ready in ${ms} ms\n`);
    expect(ms).toBeLessThan(15_000);
  }, 40_000);

  test('nested composites: the outer one counts every Resource below it; a dependency on the inner composite waits for all of it', async () => {
    const n = await ns('nested');
    await apply(
      composite(n, 'platform'),
      composite(n, 'data', { composite: 'platform' }),
      resource(n, 'db', {}, { composite: 'data', readyDelay: '1s' }),
      resource(n, 'cache', {}, { composite: 'data', readyDelay: '1s' }),
      resource(n, 'web', {}, { composite: 'platform', annotations: { 'clockwork.dev/depends-on': 'composite:data' } }),
    );
    await waitReady(n, 'cwc', 'platform');
    const platform = await getObject(n, 'cwc', 'platform');
    expect(platform.status).toMatchObject({ readySummary: '3/3', totalCount: 3 });
    expect((await getObject(n, 'cwc', 'data')).status.readySummary).toBe('2/2');
    const [db, cache, web] = await Promise.all(['db', 'cache', 'web'].map((x) => pod(n, x)));
    expect(createdAt(web)).toBeGreaterThanOrEqual(Math.max(podReadyAt(db), podReadyAt(cache)));
    const env = web.spec.containers[0].env.map((e: { name: string }) => e.name);
    expect(env).toEqual(expect.arrayContaining(['DB_HOST', 'CACHE_HOST']));
    // Adopted: the children carry a controller ownerReference to their Composite.
    const data = await getObject(n, 'cwc', 'data');
    expect(data.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Composite', name: 'platform', controller: true, blockOwnerDeletion: true })]);
    expect((await getObject(n, 'cwr', 'db')).metadata.ownerReferences[0]).toMatchObject({ name: 'data', controller: true });
  }, 60_000);

  test('a Composite adopts labelled children and releases those that lose the label', async () => {
    const n = await ns('adopt');
    await apply(composite(n, 'group'), resource(n, 'x', {}, { composite: 'group' }), resource(n, 'y', {}, { composite: 'group' }));
    await waitFor('x adopted', async () => (await getObject(n, 'cwr', 'x'))?.metadata.ownerReferences?.[0]?.name === 'group');
    await waitFor('group 2/2', async () => (await getObject(n, 'cwc', 'group'))?.status?.readySummary === '2/2');
    await kubectl(['label', 'cwr', 'x', 'clockwork.dev/composite-'], { namespace: n });
    await waitFor('x released', async () => ((await getObject(n, 'cwr', 'x'))?.metadata.ownerReferences ?? []).length === 0);
    await waitFor('group 1/1', async () => (await getObject(n, 'cwc', 'group'))?.status?.readySummary === '1/1');
    // Adoption is routine (generate | kubectl apply cannot set the ownerReference) and shows in the object; a release is not.
    const events = (await kubectl(['get', 'events', '--field-selector', 'involvedObject.kind=Composite', '-o', 'jsonpath={.items[*].reason}'], { namespace: n })).stdout;
    expect(events).not.toContain('Adopted');
    expect(events).toContain('Released');
  }, 40_000);

  test('a cross-namespace dependency through the depends-on annotation', async () => {
    const a = await ns('xns-a');
    const b = await ns('xns-b');
    // b consents to dependents from a (test/integration/security/cross-namespace.test.ts: without it).
    await kubectl(['annotate', 'namespace', b, `clockwork.dev/allow-dependents-from=${a}`]);
    await apply(resource(a, 'client', {}, { annotations: { 'clockwork.dev/depends-on': `${b}/shared` } }));
    const waiting = await waitCondition(a, 'cwr', 'client', { status: 'False', reason: 'DependencyNotFound' });
    expect(waiting.message).toContain(`${b}/shared`);
    await apply(resource(b, 'shared', { ports: [{ port: 6379 }] }, { readyDelay: '1s' }));
    await waitReady(a, 'cwr', 'client');
    const client = await pod(a, 'client');
    const env = Object.fromEntries(client.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(env).toMatchObject({ SHARED_HOST: `shared.${b}.svc.cluster.local`, SHARED_PORT: '6379' });
    expect(createdAt(client)).toBeGreaterThanOrEqual(podReadyAt(await pod(b, 'shared')));
  }, 60_000);

  test('a dependency on a Composite waits for every Resource in it, and names the root blocker', async () => {
    const n = await ns('dep-comp');
    // db waits for a gate created only once the waiting has been checked: held up by construction.
    await apply(
      composite(n, 'backend'),
      resource(n, 'db', { dependsOn: ['gate'] }, { composite: 'backend' }),
      resource(n, 'api', { dependsOn: ['db'] }, { composite: 'backend' }),
      resource(n, 'frontend', {}, { annotations: { 'clockwork.dev/depends-on': 'composite:backend' } }),
    );
    const blocked = await waitCondition(n, 'cwr', 'frontend', { status: 'False', reason: 'WaitingForDependencies' });
    expect(blocked.message).toContain(`waiting for ${n}/db`);
    expect(await pod(n, 'frontend')).toBeUndefined();
    await waitFor('the Composite names what holds it up', async () => (await conditionOf(n, 'cwc', 'backend'))?.message?.includes(`${n}/db`) ?? false);
    // Read through the CLI's report, the chain is followed to its root: the missing gate.
    const report = await stackStatus(n);
    expect(report.resources.find((r: { name: string }) => r.name === 'frontend')?.message).toContain(`waiting for ${n}/db: waiting for ${n}/gate: not found`);
    await apply(resource(n, 'gate'));
    await waitReady(n, 'cwr', 'frontend');
    const [api, frontend] = await Promise.all([pod(n, 'api'), pod(n, 'frontend')]);
    expect(createdAt(frontend)).toBeGreaterThanOrEqual(podReadyAt(api));
  }, 60_000);

  test('a missing dependency is reported, and recovers when it is created', async () => {
    const n = await ns('missing');
    await apply(resource(n, 'app', { dependsOn: ['late'] }));
    const c = await waitCondition(n, 'cwr', 'app', { type: 'DependenciesReady', status: 'False', reason: 'DependencyNotFound' });
    expect(c.message).toBe(`waiting for ${n}/late: not found`);
    expect((await conditionOf(n, 'cwr', 'app'))?.reason).toBe('DependencyNotFound');
    expect(await pod(n, 'app')).toBeUndefined();
    await apply(resource(n, 'late'));
    await waitReady(n, 'cwr', 'app');
    expect(await pod(n, 'app')).toBeDefined();
  }, 60_000);

  test('a dependency cycle: every member reports it, none gets a Pod', async () => {
    const n = await ns('cycle');
    await apply(resource(n, 'a', { dependsOn: ['c'] }), resource(n, 'b', { dependsOn: ['a'] }), resource(n, 'c', { dependsOn: ['b'] }), resource(n, 'outside', { dependsOn: ['a'] }));
    for (const name of ['a', 'b', 'c']) {
      const c = await waitCondition(n, 'cwr', name, { status: 'False', reason: 'DependencyCycle' });
      expect(c.message).toMatch(/^dependency cycle: /);
      expect(c.message).toContain(`${n}/${name}`);
    }
    // Outside the cycle, but waiting on it: waiting cannot help either (Stalled, kstatus Failed).
    expect((await waitCondition(n, 'cwr', 'outside', { status: 'False', reason: 'DependencyFailed' })).message).toContain('dependency cycle');
    expect(await conditionOf(n, 'cwr', 'outside', 'Stalled')).toMatchObject({ status: 'True', reason: 'DependencyFailed' });
    expect(await pods(n)).toHaveLength(0);
    // Breaking the cycle lets everything come up.
    await kubectl(['patch', 'cwr', 'a', '--type=json', '-p', '[{"op":"remove","path":"/spec/dependsOn"}]'], { namespace: n });
    for (const name of ['a', 'b', 'c', 'outside']) await waitReady(n, 'cwr', name);
  }, 60_000);

  test('a readiness budget exceeded reports Stalled, then recovers when the Pod turns Ready', async () => {
    const n = await ns('stalled');
    await apply(resource(n, 'slow', { timeouts: { readySeconds: 1 } }, { readyDelay: '6s' }));
    const stalled = await waitCondition(n, 'cwr', 'slow', { type: 'Available', status: 'False', reason: 'Stalled' }, 10_000);
    expect(stalled.message).toMatch(/^not Ready after 1s: /);
    expect((await conditionOf(n, 'cwr', 'slow'))?.reason).toBe('Stalled');
    await waitReady(n, 'cwr', 'slow', 20_000);
  }, 40_000);

  test('an assertion that fails (nothing listens on kwok) keeps Ready False with the reason, through the API server proxy, without a write loop', async () => {
    const n = await ns('assert');
    await apply(resource(n, 'web', { assertions: [{ name: 'home', http: { port: 'http', path: '/' }, timeoutSeconds: 2 }, { running: {} }] }));
    const failed = await waitCondition(n, 'cwr', 'web', { type: 'AssertionsPassed', status: 'False', reason: 'AssertionFailed' }, 20_000);
    expect(failed.message).toMatch(/^home: GET port 8080\//);
    const web = await getObject(n, 'cwr', 'web');
    expect(web.status.conditions.find((c: { type: string }) => c.type === 'Available').status).toBe('True');
    expect(web.status.conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'AssertionFailed' });
    expect(web.status.assertionsSummary).toBe('1/2');
    expect(web.status.assertions.find((a: { name: string }) => a.name === 'running')).toMatchObject({ passed: true });
    // Failing checks back off (the status write of one check does not trigger the next at once).
    const before = Number((await getObject(n, 'cwr', 'web')).metadata.resourceVersion);
    const checkedBefore = web.status.assertions.find((a: { name: string }) => a.name === 'home').consecutiveFailures;
    await new Promise((r) => setTimeout(r, 4_000));
    const after = await getObject(n, 'cwr', 'web');
    const checks = after.status.assertions.find((a: { name: string }) => a.name === 'home').consecutiveFailures - checkedBefore;
    expect(checks).toBeLessThanOrEqual(5);
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(before);
  }, 40_000);

  test('a changed spec replaces the Pod', async () => {
    const n = await ns('respec');
    await apply(resource(n, 'app', { env: [{ name: 'MODE', value: 'one' }] }));
    await waitReady(n, 'cwr', 'app');
    const before = await pod(n, 'app');
    await kubectl(['patch', 'cwr', 'app', '--type=merge', '-p', '{"spec":{"env":[{"name":"MODE","value":"two"}]}}'], { namespace: n });
    const after = await waitFor('a new Pod', async () => {
      const p = await pod(n, 'app');
      return p && p.metadata.uid !== before.metadata.uid && !p.metadata.deletionTimestamp ? p : undefined;
    });
    expect(after.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'two' }]);
    expect(after.metadata.annotations['clockwork.dev/spec-hash']).not.toBe(before.metadata.annotations['clockwork.dev/spec-hash']);
    await waitReady(n, 'cwr', 'app');
    const status = (await getObject(n, 'cwr', 'app')).status;
    expect(status.specHash).toBe(after.metadata.annotations['clockwork.dev/spec-hash']);
    expect(status.observedGeneration).toBe(2);
    expect(await pods(n)).toHaveLength(1);
  }, 60_000);

  test("a change of files' content alone keeps the Pod: the ConfigMap is updated and the Pod's files-hash nudges the kubelet; Ready stays True", async () => {
    const n = await ns('files');
    await apply(resource(n, 'app', { files: [{ mountPath: '/etc/app/app.conf', content: 'one' }] }));
    await waitReady(n, 'cwr', 'app');
    const before = await pod(n, 'app');
    expect(before.spec.volumes).toEqual([{ name: 'files-0', configMap: { name: 'app-files', items: [{ key: '0-app.conf', path: 'app.conf' }], defaultMode: 420 } }]);
    expect(before.spec.containers[0].volumeMounts).toContainEqual({ name: 'files-0', mountPath: '/etc/app', readOnly: true });
    await kubectl(['patch', 'cwr', 'app', '--type=merge', '-p', '{"spec":{"files":[{"mountPath":"/etc/app/app.conf","content":"two"}]}}'], { namespace: n });
    await waitFor('the ConfigMap updated and the Pod told', async () => {
      const cm = await getObject(n, 'configmap', 'app-files');
      const p = await pod(n, 'app');
      return cm?.data['0-app.conf'] === 'two' && p.metadata.annotations['clockwork.dev/files-hash'] !== before.metadata.annotations['clockwork.dev/files-hash'];
    });
    const after = await pod(n, 'app');
    expect(after.metadata.uid).toBe(before.metadata.uid);
    expect(after.metadata.annotations['clockwork.dev/spec-hash']).toBe(before.metadata.annotations['clockwork.dev/spec-hash']);
    await waitCondition(n, 'cwr', 'app', { status: 'True' });
    const events = await waitFor('a FilesUpdated Event', async () => {
      const list = JSON.parse((await kubectl(['get', 'events', '--field-selector', 'involvedObject.name=app,involvedObject.kind=Resource', '-o', 'json'], { namespace: n })).stdout);
      return list.items.some((e: { reason: string }) => e.reason === 'FilesUpdated') ? list.items : undefined;
    });
    expect(events.find((e: { reason: string }) => e.reason === 'FilesUpdated').message).toBe('files updated in place (/etc/app/app.conf); the workload keeps running');
    expect(events.map((e: { reason: string }) => e.reason)).not.toContain('Replaced');
    expect((await getObject(n, 'cwr', 'app')).status.conditions.find((c: { type: string }) => c.type === 'Ready').status).toBe('True');
  }, 60_000);

  test('a Pod deleted behind its back is recreated', async () => {
    const n = await ns('podgone');
    await apply(resource(n, 'app'));
    await waitReady(n, 'cwr', 'app');
    const before = await pod(n, 'app');
    await kubectl(['delete', 'pod', 'app', '--wait=false'], { namespace: n });
    await waitFor('a new Pod', async () => {
      const p = await pod(n, 'app');
      return p && p.metadata.uid !== before.metadata.uid;
    });
    await waitReady(n, 'cwr', 'app');
    expect(await pods(n)).toHaveLength(1);
  }, 60_000);

  test('a Service edited or deleted behind its back is restored', async () => {
    const n = await ns('svcedit');
    await apply(resource(n, 'app'));
    await waitReady(n, 'cwr', 'app');
    await kubectl(['patch', 'service', 'app', '--type=merge', '-p', '{"spec":{"ports":[{"name":"http","port":9999,"targetPort":9999}]}}'], { namespace: n });
    await waitFor('Service port restored', async () => (await getObject(n, 'service', 'app'))?.spec.ports[0].port === 8080);
    await kubectl(['patch', 'service', 'app', '--type=merge', '-p', '{"spec":{"selector":{"app":"other"}}}'], { namespace: n });
    await waitFor('Service selector restored', async () => (await getObject(n, 'service', 'app'))?.spec.selector['clockwork.dev/resource'] === 'app' && (await getObject(n, 'service', 'app'))?.spec.selector.app === undefined);
    await kubectl(['delete', 'service', 'app'], { namespace: n });
    await waitFor('Service recreated', async () => (await getObject(n, 'service', 'app')) !== undefined);
    await waitReady(n, 'cwr', 'app');
  }, 60_000);

  test('deleting a Composite tears its Resources down in reverse dependency order', async () => {
    const n = await ns('teardown');
    await apply(
      composite(n, 'stack'),
      resource(n, 'db', {}, { composite: 'stack' }),
      resource(n, 'api', { dependsOn: ['db'] }, { composite: 'stack' }),
      resource(n, 'web', { dependsOn: ['api'] }, { composite: 'stack' }),
      composite(n, 'inner', { composite: 'stack' }),
      resource(n, 'worker', { dependsOn: ['db'] }, { composite: 'inner' }),
    );
    await waitReady(n, 'cwc', 'stack');
    expect((await getObject(n, 'cwc', 'stack')).metadata.finalizers).toContain('clockwork.dev/teardown');
    // Watch the deletions as they happen: their order is the teardown order.
    const info = clusterInfo();
    const watcher = spawn(info.kubectl, ['--kubeconfig', info.kubeconfig, '-n', n, 'get', 'cwr', '--watch', '--output-watch-events', '-o', 'jsonpath={.type} {.object.metadata.name}{"\\n"}'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    watcher.stdout.on('data', (b: Buffer) => (out += b.toString()));
    await waitFor('the watch to list the Resources', () => out.split('\n').filter((l) => l.startsWith('ADDED')).length === 4);
    await kubectl(['delete', 'cwc', 'stack', '--wait=false'], { namespace: n });
    const deleted = () => out.split('\n').filter((l) => l.startsWith('DELETED')).map((l) => l.split(' ')[1]!);
    try {
      await waitFor('every Resource gone', () => deleted().length === 4, { timeoutMs: 40_000, intervalMs: 50 });
    } finally {
      watcher.kill();
    }
    const order = deleted();
    expect(order.indexOf('web')).toBeLessThan(order.indexOf('api'));
    expect(order.indexOf('api')).toBeLessThan(order.indexOf('db'));
    expect(order.indexOf('worker')).toBeLessThan(order.indexOf('db'));
    expect(order[3]).toBe('db');
    await waitFor('Composites gone', async () => (await kubectl(['get', 'cwc', '-o', 'name'], { namespace: n })).stdout.trim() === '', { timeoutMs: 20_000 });
    await waitFor('Pods gone', async () => (await pods(n)).length === 0, { timeoutMs: 20_000 });
    const events = (await kubectl(['get', 'events', '--field-selector', 'involvedObject.kind=Composite,reason=TearingDown', '-o', 'jsonpath={.items[*].message}'], { namespace: n })).stdout;
    expect(events).toContain('deleting Resources: web');
  }, 90_000);

  test('the operator killed mid-rollout and restarted converges without duplicates', async () => {
    const n = await ns('restart');
    await apply(
      resource(n, 'first', {}, { readyDelay: '2s' }),
      resource(n, 'second', { dependsOn: ['first'] }, { readyDelay: '2s' }),
      resource(n, 'third', { dependsOn: ['second'] }),
    );
    await waitFor('first Pod created', async () => (await pod(n, 'first')) !== undefined, { intervalMs: 50 });
    expect(await scope.operator.stop('SIGKILL')).toBeNull();
    // Progress goes on without it (kwok marks the Pod Ready), nothing new is created.
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await pods(n)).map((p) => p.metadata.name)).toEqual(['first']);
    scope.operator = await startOperatorProcess();
    for (const name of ['first', 'second', 'third']) await waitReady(n, 'cwr', name);
    const names = (await pods(n)).map((p) => p.metadata.name).sort();
    expect(names).toEqual(['first', 'second', 'third']);
    // Quiet once converged: no status writes loop (the resourceVersion stays put).
    const rv = (await getObject(n, 'cwr', 'third')).metadata.resourceVersion;
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await getObject(n, 'cwr', 'third')).metadata.resourceVersion).toBe(rv);
  }, 90_000);
});
