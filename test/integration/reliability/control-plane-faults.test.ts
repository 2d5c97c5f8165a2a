// Faults of the control plane under a running operator: kube-apiserver restarted mid-rollout
// (watches fail, resume with a resourceVersion from before the restart and get 410: relist),
// and etcd stopped for 20 s (reconciles fail and retry with backoff). These stop components
// that every test on this cluster shares, so they live in this one file, which restores every
// component and waits for the apiserver to be ready again in afterAll, whatever happened.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { faultControl } from '../../harness/index.ts';
import {
  applyAll,
  ensureCrds,
  gateAt,
  kubectl,
  layeredStack,
  openGate,
  readyCount,
  report,
  sleep,
  waitConverged,
  testScope,
  waitFor,
  waitReadyAtLeast,
  type Operator,
} from './support.ts';

const scope = testScope();

async function apiserverReady(timeoutMs = 90_000): Promise<void> {
  await waitFor('kube-apiserver /readyz', async () => (await kubectl(['get', '--raw', '/readyz'], { allowFailure: true, timeoutMs: 5000 })).code === 0, { timeoutMs, intervalMs: 250 });
}

const delayed = (objects: object[]) => objects.map((o: any) => ({ ...o, metadata: { ...o.metadata, annotations: { 'pod-ready.stage.kwok.x-k8s.io/delay': '1s' } } }));

beforeAll(async () => {
  await ensureCrds();
}, 90_000);

/**
 * The scheduler and controller-manager exit when an outage outlasts their leader lease (15 s), as
 * client-go leader election does; in a real cluster the kubelet restarts them, here this does
 * (a no-op for a component that is still running). kwok, which stands in for the kubelets, does
 * not always resume its watches after an etcd outage: it is restarted, as a node agent would be.
 * The operator itself is never restarted: its recovery is what these tests measure.
 */
async function reviveControlPlane(): Promise<void> {
  for (const component of ['controller-manager', 'scheduler'] as const) await faultControl(component, 'start');
  await faultControl('kwok', 'restart');
}

afterAll(async () => {
  // Restore the cluster for the tests that run after this file, whatever failed above.
  await faultControl('etcd', 'start').catch(() => undefined);
  await faultControl('kube-apiserver', 'start').catch(() => undefined);
  await apiserverReady(120_000);
  await reviveControlPlane();
  await scope.cleanup('SIGKILL');
}, 240_000);

/**
 * A 50-Resource rollout in five layers of ten (1 s readiness delay each) under its own operator,
 * under way by construction: at least the first layer is Ready (the operator works) and the fourth
 * waits for a `gate` Resource that is only created after the fault, so the fault never hits a
 * finished rollout. (kubectl creates the objects one by one while the operator already rolls them
 * out, so without the gate how far the rollout got depends on the machine's speed.)
 */
async function rolloutUnderWay(prefix: string): Promise<{ n: string; op: Operator }> {
  const n = await scope.ns(prefix);
  const op = await scope.operator({ namespace: n });
  const t0 = Date.now();
  await applyAll(gateAt(delayed(layeredStack(n, 50, 10)), 3, 10));
  const applied = Date.now() - t0;
  report(`${prefix}: kubectl apply of 50 Resources took ${applied} ms; ${(await readyCount(n)).ready} were Ready by then`);
  await waitReadyAtLeast(n, 10);
  return { n, op };
}

/** After a fault ends: the control plane back, the gate opened, then the rollout converged by the same operator. */
async function convergedAfterFault(n: string, op: Operator): Promise<{ back: number; ms: number }> {
  await apiserverReady();
  await reviveControlPlane();
  const back = Date.now();
  await openGate(n);
  const ms = await waitConverged(n, 90_000, op);
  expect(op.exited()).toBe(false);
  return { back, ms };
}

describe('control-plane faults', () => {
  test('kube-apiserver restarted mid-rollout: watches fail and relist, the operator converges without a restart and says so', async () => {
    const { n, op } = await rolloutUnderWay('apirestart');
    const before = await readyCount(n);
    // The gate held: the last two layers (20 Resources) cannot be Ready yet.
    expect(before.ready).toBeLessThanOrEqual(30);
    const t0 = Date.now();
    await faultControl('kube-apiserver', 'restart');
    const { back, ms } = await convergedAfterFault(n, op);
    const relists = (await op.metric('clockwork_informer_relists_total', { reason: 'expired' })) + (await op.metric('clockwork_informer_relists_total', { reason: 'error' }));
    const relistLogs = op.entries().filter((e) => e.message === 'relisting');
    report(`kube-apiserver restart: back (readyz) after ${back - t0} ms; converged ${ms} ms after it was back (${before.ready}/50 Ready before, the rest held by the gate); relists: ${relists} (${[...new Set(relistLogs.map((e) => e.reason))].join(', ')})`);
    expect(relists).toBeGreaterThanOrEqual(5); // all five informers
    expect(relistLogs.length).toBeGreaterThanOrEqual(5);
  }, 150_000);

  test('etcd stopped for 20 s: reconciles fail and retry with backoff, no crash, convergence after', async () => {
    const { n, op } = await rolloutUnderWay('etcd');
    const errorsBefore = await op.metric('clockwork_reconcile_total', { result: 'error' });
    const t0 = Date.now();
    await faultControl('etcd', 'stop');
    await sleep(20_000);
    expect(op.exited()).toBe(false);
    const errorsDuring = (await op.metric('clockwork_reconcile_total', { result: 'error' })) - errorsBefore;
    const startAt = Date.now();
    await faultControl('etcd', 'start');
    const { back, ms } = await convergedAfterFault(n, op);
    const warnings = op.entries().filter((e) => e.level === 'warn' && (e.message === 'reconcile failed' || e.message === 'list/watch failed, restarting'));
    const errorsTotal = (await op.metric('clockwork_reconcile_total', { result: 'error' })) - errorsBefore;
    report(`etcd stopped for ${startAt - t0} ms: ${errorsDuring} failed reconciles during the outage (${errorsTotal} in all), ${warnings.length} warnings; apiserver ready ${back - startAt} ms after etcd was started; converged ${ms} ms after that`);
    // Backoff, not a hot loop: 4 workers over 20 s stay far below one failure per 100 ms each.
    expect(errorsDuring).toBeLessThan(800);
  }, 150_000);
});
