// Volumes and tasks through the operator on the kwok cluster (claims bind pre-created volumes;
// run-once Pods complete, or fail with an annotated exit code): claims made, kept, taken up and
// refused; Pods replaced one after the other; tasks that complete once and gate their dependents.
import { describe, expect, test } from '@jest/globals';
import {
  apply,
  conditionOf,
  createdAt,
  getObject,
  kubectl,
  kubectlJson,
  operatorPerFile,
  pod,
  resource,
  startOperatorProcess,
  waitCondition,
  waitFor,
  waitReady,
} from './support.ts';

const scope = operatorPerFile();
const ns = scope.namespace;

const data = (extra: Record<string, unknown> = {}) => ({ volumes: [{ name: 'data', mountPath: '/var/lib/data', ...extra }] });
/** kwok: the task's Pod fails with this exit code instead of completing. */
const failsWith = (code: number) => ({ 'pod-exit.stage.kwok.x-k8s.io/code': String(code), 'pod-complete.stage.kwok.x-k8s.io/weight': '0' });

async function jobOf(namespace: string, name: string): Promise<any> {
  return getObject(namespace, 'job', name);
}

describe('volumes', () => {
  test('a claim <resource>-<volume>, labelled and retained, mounted by the Pod; it binds and the Resource is Ready', async () => {
    const n = await ns('vol');
    await apply(resource(n, 'db', data({ size: '2Gi' })));
    await waitReady(n, 'cwr', 'db');
    const claim = await getObject(n, 'pvc', 'db-data');
    expect(claim.metadata.labels).toMatchObject({ 'clockwork.dev/resource': 'db', 'clockwork.dev/volume': 'data', 'app.kubernetes.io/managed-by': 'clockwork' });
    expect(claim.metadata.ownerReferences).toBeUndefined();
    expect(claim.spec).toMatchObject({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, storageClassName: 'standard' });
    expect(claim.status.phase).toBe('Bound');
    const p = await pod(n, 'db');
    expect(p.spec.volumes).toContainEqual({ name: 'volume-0', persistentVolumeClaim: { claimName: 'db-data' } });
    expect(p.spec.containers[0].volumeMounts).toContainEqual(expect.objectContaining({ name: 'volume-0', mountPath: '/var/lib/data' }));
  }, 60_000);

  test('a spec change replaces the Pod — the old one gone before the new one is made — and keeps the claim', async () => {
    const n = await ns('replace');
    await apply(resource(n, 'db', data()));
    await waitReady(n, 'cwr', 'db');
    const before = await pod(n, 'db');
    const claim = await getObject(n, 'pvc', 'db-data');
    // Watch the Pods from here on: every ADDED of the new Pod must come after the DELETED of the old one.
    const watch = kubectl(['get', 'pods', '--watch-only', '--output-watch-events', '-o', 'json', '--request-timeout=40s'], { namespace: n, allowFailure: true, timeoutMs: 45_000 });
    await new Promise((r) => setTimeout(r, 500));
    await apply(resource(n, 'db', { ...data(), env: [{ name: 'CHANGED', value: '1' }] }));
    const after = await waitFor('a new Pod', async () => {
      const p = await pod(n, 'db');
      return p && p.metadata.uid !== before.metadata.uid && p.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
    }, { timeoutMs: 40_000 });
    await waitReady(n, 'cwr', 'db');
    expect((await getObject(n, 'pvc', 'db-data')).metadata.uid).toBe(claim.metadata.uid);
    await kubectl(['delete', 'pod', 'never-there', '--ignore-not-found'], { namespace: n });
    const events = (await watch).stdout
      .split(/\n(?=\{)/)
      .filter(Boolean)
      .map((e) => JSON.parse(e) as { type: string; object: { metadata: { uid: string } } });
    const deletedOld = events.findIndex((e) => e.type === 'DELETED' && e.object.metadata.uid === before.metadata.uid);
    const addedNew = events.findIndex((e) => e.type === 'ADDED' && e.object.metadata.uid === after.metadata.uid);
    expect(deletedOld).toBeGreaterThanOrEqual(0);
    expect(addedNew).toBeGreaterThan(deletedOld);
  }, 90_000);

  test('retain (the default): the claim outlives the Resource and the next Resource of that name takes it up', async () => {
    const n = await ns('retain');
    await apply(resource(n, 'db', data()));
    await waitReady(n, 'cwr', 'db');
    const claim = await getObject(n, 'pvc', 'db-data');
    await kubectl(['delete', 'cwr', 'db', '--wait=true'], { namespace: n });
    await waitFor('the Pod gone', async () => (await pod(n, 'db')) === undefined, { timeoutMs: 30_000 });
    const kept = await getObject(n, 'pvc', 'db-data');
    expect(kept.metadata.uid).toBe(claim.metadata.uid);
    expect(kept.metadata.deletionTimestamp).toBeUndefined();
    await apply(resource(n, 'db', data()));
    await waitReady(n, 'cwr', 'db');
    expect((await getObject(n, 'pvc', 'db-data')).metadata.uid).toBe(claim.metadata.uid);
  }, 90_000);

  test('retain: false — the claim carries the Resource as controller and goes with it; flipping retain moves the ownerReference', async () => {
    const n = await ns('noretain');
    await apply(resource(n, 'cache', data({ retain: false })));
    await waitReady(n, 'cwr', 'cache');
    const cwr = await getObject(n, 'cwr', 'cache');
    expect((await getObject(n, 'pvc', 'cache-data')).metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Resource', name: 'cache', uid: cwr.metadata.uid, controller: true })]);
    await apply(resource(n, 'cache', data({ retain: true })));
    await waitFor('ownerReference removed', async () => (await getObject(n, 'pvc', 'cache-data')).metadata.ownerReferences === undefined, { timeoutMs: 30_000 });
    await apply(resource(n, 'cache', data({ retain: false })));
    await waitFor('ownerReference back', async () => (await getObject(n, 'pvc', 'cache-data')).metadata.ownerReferences?.length === 1, { timeoutMs: 30_000 });
    await kubectl(['delete', 'cwr', 'cache', '--wait=true'], { namespace: n });
    await waitFor('the claim garbage-collected', async () => (await getObject(n, 'pvc', 'cache-data')) === undefined, { timeoutMs: 60_000 });
  }, 120_000);

  test('a same-named claim without the labels is a ChildConflict and is left unchanged; no Pod is made', async () => {
    const n = await ns('conflict');
    await kubectl(['apply', '-f', '-'], {
      namespace: n,
      input: JSON.stringify({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'db-data', labels: { team: 'other' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }),
    });
    const foreign = await getObject(n, 'pvc', 'db-data');
    await apply(resource(n, 'db', data()));
    const ready = await waitCondition(n, 'cwr', 'db', { status: 'False', reason: 'ChildConflict' });
    expect(ready.message).toMatch(/PersistentVolumeClaim .*\/db-data exists and is not a claim of this Resource/);
    const after = await getObject(n, 'pvc', 'db-data');
    expect(after.metadata.resourceVersion).toBe(foreign.metadata.resourceVersion);
    expect(after.metadata.labels).toEqual({ team: 'other' });
    expect(after.metadata.ownerReferences).toBeUndefined();
    expect(await pod(n, 'db')).toBeUndefined();
  }, 60_000);

  test('a claim that cannot bind: Available=False with the claim\'s own reason', async () => {
    const n = await ns('unbound');
    await apply(resource(n, 'db', data({ storageClass: 'no-such-class' })));
    const available = await waitFor('Available with the claim reason', async () => {
      const c = await conditionOf(n, 'cwr', 'db', 'Available');
      return c?.message.includes('PersistentVolumeClaim') ? c : undefined;
    }, { timeoutMs: 60_000 });
    expect(available.status).toBe('False');
    expect(available.reason).not.toBe('Starting');
    expect(available.message).toMatch(new RegExp(`PersistentVolumeClaim ${n}/db-data is Pending: \\w+: .*no-such-class`));
    // The Pod was made at once: a claim binds when its Pod is scheduled.
    expect(await pod(n, 'db')).toBeDefined();
  }, 90_000);
});

describe('tasks (run: once)', () => {
  test('a task runs as a Job, is Ready with reason Completed, and its dependent starts only after that', async () => {
    const n = await ns('task');
    await apply(resource(n, 'migrate', { run: 'once', ports: [] }, { readyDelay: '2s' }), resource(n, 'api', { dependsOn: ['migrate'] }));
    const done = await waitCondition(n, 'cwr', 'migrate', { status: 'True', reason: 'Completed' }, 40_000);
    expect(done.message).toBe('task completed (exit code 0)');
    await waitReady(n, 'cwr', 'api');
    const job = await jobOf(n, 'migrate');
    expect(job.spec.backoffLimit).toBe(3);
    expect(job.metadata.ownerReferences[0]).toMatchObject({ kind: 'Resource', name: 'migrate', controller: true });
    const taskPods = (await kubectlJson(['get', 'pods', '-l', 'batch.kubernetes.io/job-name=migrate'], { namespace: n })).items;
    expect(taskPods).toHaveLength(1);
    expect(taskPods[0].spec.restartPolicy).toBe('Never');
    const completedAt = Date.parse(job.status.completionTime);
    expect(createdAt(await pod(n, 'api'))).toBeGreaterThanOrEqual(completedAt);
  }, 60_000);

  test('a completed task is never run again while its spec is unchanged: not on re-apply, not after an operator restart, not when its Job is deleted', async () => {
    const n = await ns('once');
    await apply(resource(n, 'migrate', { run: 'once', ports: [] }));
    await waitCondition(n, 'cwr', 'migrate', { status: 'True', reason: 'Completed' }, 40_000);
    const job = await jobOf(n, 'migrate');
    // A new generation that does not change what runs (the description) reconciles it again.
    await apply(resource(n, 'migrate', { run: 'once', ports: [], description: 'creates the schema' }));
    await waitFor('the new generation observed', async () => (await getObject(n, 'cwr', 'migrate'))?.status?.observedGeneration === 2, { timeoutMs: 20_000 });
    scope.operator.process.kill('SIGTERM');
    await scope.operator.stop();
    scope.operator = await startOperatorProcess();
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await jobOf(n, 'migrate')).metadata.uid).toBe(job.metadata.uid);
    await kubectl(['delete', 'job', 'migrate', '--cascade=foreground', '--wait=true'], { namespace: n });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await jobOf(n, 'migrate')).toBeUndefined();
    expect(await conditionOf(n, 'cwr', 'migrate')).toMatchObject({ status: 'True', reason: 'Completed' });
    // A spec change runs it again.
    await apply(resource(n, 'migrate', { run: 'once', ports: [], description: 'creates the schema', args: ['again'] }));
    await waitFor('a new Job', async () => (await jobOf(n, 'migrate'))?.metadata.uid, { timeoutMs: 30_000 });
    await waitCondition(n, 'cwr', 'migrate', { status: 'True', reason: 'Completed' }, 40_000);
  }, 120_000);

  test("a same-named Job that is not the Resource's (with Clockwork's labels or without) is a ChildConflict and is left unchanged", async () => {
    const n = await ns('jobconflict');
    // Suspended: nothing of it runs. One carries Clockwork's labels (the operator's cache holds it),
    // the other none (only a create runs into it); neither has Clockwork's ownerReference.
    const job = (name: string, labels: Record<string, string>) => ({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, labels },
      spec: { suspend: true, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36' }] } } },
    });
    await kubectl(['apply', '-f', '-'], { namespace: n, input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [job('labelled', { 'app.kubernetes.io/managed-by': 'clockwork', 'clockwork.dev/resource': 'labelled' }), job('bare', { team: 'other' })] }) });
    const before = { labelled: await jobOf(n, 'labelled'), bare: await jobOf(n, 'bare') };
    await apply(resource(n, 'labelled', { run: 'once', ports: [] }), resource(n, 'bare', { run: 'once', ports: [] }));
    for (const name of ['labelled', 'bare'] as const) {
      const ready = await waitCondition(n, 'cwr', name, { status: 'False', reason: 'ChildConflict' }, 30_000);
      expect(ready.message).toContain(`Job ${n}/${name} exists and is not this Resource's (it has no controller)`);
      const after = await jobOf(n, name);
      expect(after.metadata.resourceVersion).toBe(before[name].metadata.resourceVersion);
      expect(after.metadata.ownerReferences).toBeUndefined();
      expect(after.spec.suspend).toBe(true);
    }
  }, 60_000);

  test('a task that fails after its retries is Failed with its exit code; its dependent is never created', async () => {
    const n = await ns('taskfail');
    await apply(resource(n, 'migrate', { run: 'once', ports: [], backoffLimit: 0 }, { annotations: failsWith(3) }), resource(n, 'api', { dependsOn: ['migrate'] }));
    const failed = await waitCondition(n, 'cwr', 'migrate', { status: 'False', reason: 'Failed' }, 40_000);
    expect(failed.message).toMatch(/^task failed: exit code 3 on attempt 1 of 1 \(backoffLimit 0\)/);
    // Its dependency will not recover without a change: DependencyFailed (kstatus: Failed), not a silent wait.
    expect(await conditionOf(n, 'cwr', 'api')).toMatchObject({ status: 'False', reason: 'DependencyFailed' });
    expect(await pod(n, 'api')).toBeUndefined();
  }, 60_000);

  test('switching run mode replaces the Pod by a Job and back', async () => {
    const n = await ns('switch');
    await apply(resource(n, 'tool', { ports: [] }));
    await waitReady(n, 'cwr', 'tool');
    await apply(resource(n, 'tool', { ports: [], run: 'once' }));
    await waitCondition(n, 'cwr', 'tool', { status: 'True', reason: 'Completed' }, 40_000);
    expect(await pod(n, 'tool')).toBeUndefined();
    await apply(resource(n, 'tool', { ports: [] }));
    await waitCondition(n, 'cwr', 'tool', { status: 'True', reason: 'Ready' }, 40_000);
    expect(await jobOf(n, 'tool')).toBeUndefined();
  }, 90_000);
});
