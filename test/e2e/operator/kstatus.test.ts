// How the tools that read readiness with kstatus (Helm 4's --wait, Flux's health checks, kapply)
// see Clockwork's objects, through the real libraries: test/tools/kstatus (Go, built from its
// module) computes each object's status with sigs.k8s.io/cli-utils (kapply) and with
// github.com/fluxcd/cli-utils (what Helm 4 and Flux use), against the objects on the real-node
// cluster, at each step of their lifecycle. Every row is a Resource and the Composite holding it,
// so the two kinds are held to the same table. Each state is reached by construction (a readiness
// gate that only the test opens, a command that always fails), never by racing the machine.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { clusterInfo, goTool, kstatus, testImages } from '../../harness/index.ts';
import { apply, deleteNamespaces, ensureCrds, kubectl, newNamespace, startOperatorProcess, waitCondition, waitFor, waitReady, type OperatorProcess } from '../../integration/operator/support.ts';

type Expected = 'InProgress' | 'Current' | 'Failed';

let binary = '';
let operator: OperatorProcess | undefined;
let ns = '';
/** Every observation, in order: printed as the table at the end. */
const table: { state: string; object: string; ready: string; kapply: string; flux: string; expected: Expected }[] = [];

const group = (name: string) => `${name}-group`;

/** A Resource named `name` in the Composite `<name>-group` (or `inGroup`). */
function row(name: string, spec: Record<string, unknown>, o: { dependsOn?: string; inGroup?: string } = {}): object[] {
  const composite = o.inGroup ?? group(name);
  const resource = {
    apiVersion: 'clockwork.dev/v1alpha1',
    kind: 'Resource',
    metadata: { name, namespace: ns, labels: { 'clockwork.dev/composite': composite }, ...(o.dependsOn ? { annotations: { 'clockwork.dev/depends-on': o.dependsOn } } : {}) },
    spec: { image: testImages.busybox, command: ['sleep', '3600'], ...spec },
  };
  return o.inGroup ? [resource] : [{ apiVersion: 'clockwork.dev/v1alpha1', kind: 'Composite', metadata: { name: composite, namespace: ns }, spec: {} }, resource];
}

const gate = (file: string) => ({ exec: { command: ['cat', file] }, periodSeconds: 1 });

/** Reads `names` (Resources, and their Composites unless `resourcesOnly`) through kstatus, records and checks them. */
async function observe(state: string, expected: Expected, names: readonly string[], o: { composites?: readonly string[] } = {}): Promise<void> {
  const objects = [...names.map((n) => `clockworkresources/${n}`), ...(o.composites ?? names.map(group)).map((n) => `clockworkcomposites/${n}`)];
  const results = await kstatus({ binary, kubeconfig: clusterInfo().kubeconfig, namespace: ns, objects });
  const readyOf = async (object: string) => {
    const [plural, name] = object.split('/') as [string, string];
    const r = await kubectl(['get', plural, name, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].reason}'], { namespace: ns });
    return r.stdout || '(no conditions)';
  };
  for (const r of results) {
    table.push({ state, object: r.object.replace('clockworkresources/', 'cwr/').replace('clockworkcomposites/', 'cwc/'), ready: await readyOf(r.object), kapply: r.kapply?.status ?? 'NotFound', flux: r.flux?.status ?? 'NotFound', expected });
  }
  expect(results.map((r) => `${r.object}: ${r.kapply?.status} / ${r.flux?.status}`)).toEqual(results.map((r) => `${r.object}: ${expected} / ${expected}`));
}

beforeAll(async () => {
  binary = await goTool('kstatus');
  await ensureCrds();
  ns = await newNamespace('kstatus');
}, 900_000);

afterAll(async () => {
  await deleteNamespaces([ns].filter(Boolean));
  await operator?.stop();
  const pad = (s: string, n: number) => s.padEnd(n);
  const lines = table.map((t) => `${pad(t.state, 44)} ${pad(t.object, 30)} ${pad(t.ready, 24)} ${pad(t.kapply, 11)} ${t.flux}`);
  console.log(['kstatus table (kapply: sigs.k8s.io/cli-utils; helm/flux: github.com/fluxcd/cli-utils)', `${pad('state', 44)} ${pad('object', 30)} ${pad('Ready reason', 24)} ${pad('kapply', 11)} helm/flux`, ...lines].join('\n'));
}, 90_000);

describe('kstatus reads every state of Resources and Composites right', () => {
  test('just created, the operator not running: InProgress (status defaults to observedGeneration 0), never Current', async () => {
    await apply(
      ...row('ready', {}),
      ...row('starting', { readiness: gate('/tmp/ready') }),
      ...row('waiting', {}, { dependsOn: 'starting' }),
      ...row('missing-dependency', {}, { dependsOn: 'nobody' }),
      ...row('crashing', { command: ['sh', '-c', 'echo boom; exit 1'] }),
      ...row('assertion-failing', { ports: [{ port: 8080 }], assertions: [{ name: 'closed', tcp: { port: 8080 }, intervalSeconds: 2 }] }),
      ...row('stalled', { readiness: gate('/tmp/never'), timeouts: { readySeconds: 5 } }),
      ...row('after-stalled', {}, { dependsOn: 'stalled' }),
      ...row('cycle-a', { dependsOn: ['cycle-b'] }),
      ...row('cycle-b', { dependsOn: ['cycle-a'] }, { inGroup: group('cycle-a') }),
      // Tasks (run: once): Ready with reason Completed once exited 0; Failed once out of retries.
      ...row('task-completed', { run: 'once', command: ['sh', '-c', 'echo migrated'] }),
      ...row('task-failed', { run: 'once', backoffLimit: 0, command: ['sh', '-c', 'echo broken; exit 3'] }),
    );
    const fresh = await kubectl(['get', 'cwr', 'ready', '-o', 'jsonpath={.metadata.generation}/{.status.observedGeneration}'], { namespace: ns });
    expect(fresh.stdout).toBe('1/0');
    await observe('just created, no operator', 'InProgress', ['ready', 'starting']);
  }, 60_000);

  test('waiting, starting and failing-but-retrying are InProgress; stalled, failed dependencies and cycles are Failed; Ready is Current', async () => {
    operator = await startOperatorProcess(['--no-leader-elect']);
    await waitReady(ns, 'cwr', 'ready', 90_000);
    await waitReady(ns, 'cwc', group('ready'), 30_000);
    await observe('Ready', 'Current', ['ready']);

    // The gate file never exists until the test creates it: Starting holds by construction.
    await waitCondition(ns, 'cwr', 'starting', { type: 'Available', status: 'False', reason: 'Starting' }, 90_000);
    await observe('starting (readiness not passing)', 'InProgress', ['starting']);
    await waitCondition(ns, 'cwr', 'waiting', { status: 'False', reason: 'WaitingForDependencies' });
    await observe('waiting for a dependency', 'InProgress', ['waiting']);
    await waitCondition(ns, 'cwr', 'missing-dependency', { status: 'False', reason: 'DependencyNotFound' });
    await observe('dependency not created (yet)', 'InProgress', ['missing-dependency']);

    await waitCondition(ns, 'cwr', 'crashing', { status: 'False', reason: 'CrashLoopBackOff' }, 120_000);
    await observe('failing, retried (CrashLoopBackOff)', 'InProgress', ['crashing']);
    await waitCondition(ns, 'cwr', 'assertion-failing', { status: 'False', reason: 'AssertionFailed' }, 90_000);
    await observe('assertion failing, retried', 'InProgress', ['assertion-failing']);

    await waitCondition(ns, 'cwr', 'stalled', { type: 'Stalled', status: 'True', reason: 'Stalled' }, 90_000);
    await waitCondition(ns, 'cwc', group('stalled'), { type: 'Stalled', status: 'True' });
    await observe('Stalled (readySeconds exceeded)', 'Failed', ['stalled']);
    await waitCondition(ns, 'cwr', 'after-stalled', { type: 'Stalled', status: 'True', reason: 'DependencyFailed' }, 30_000);
    await waitCondition(ns, 'cwc', group('after-stalled'), { type: 'Stalled', status: 'True' });
    await observe('its dependency Stalled', 'Failed', ['after-stalled']);
    await waitCondition(ns, 'cwr', 'cycle-a', { type: 'Stalled', status: 'True', reason: 'DependencyCycle' });
    await waitCondition(ns, 'cwc', group('cycle-a'), { type: 'Stalled', status: 'True' });
    await observe('dependency cycle', 'Failed', ['cycle-a', 'cycle-b'], { composites: [group('cycle-a')] });

    await waitCondition(ns, 'cwr', 'task-completed', { status: 'True', reason: 'Completed' }, 90_000);
    await waitReady(ns, 'cwc', group('task-completed'), 30_000);
    await observe('task completed (run: once, exit 0)', 'Current', ['task-completed']);
    await waitCondition(ns, 'cwr', 'task-failed', { type: 'Stalled', status: 'True', reason: 'Failed' }, 90_000);
    await waitCondition(ns, 'cwc', group('task-failed'), { type: 'Stalled', status: 'True' });
    await observe('task failed (out of retries)', 'Failed', ['task-failed']);
  }, 400_000);

  test('once the gate opens, starting and its dependent turn Current', async () => {
    await kubectl(['exec', 'starting', '--', 'touch', '/tmp/ready'], { namespace: ns });
    await waitReady(ns, 'cwr', 'waiting', 90_000);
    await waitReady(ns, 'cwc', group('waiting'), 30_000);
    await waitReady(ns, 'cwc', group('starting'), 30_000);
    await observe('Ready after starting', 'Current', ['starting', 'waiting']);
  }, 120_000);

  test('a spec changed while the operator is down is InProgress until it has seen it', async () => {
    await operator!.stop();
    operator = undefined;
    await kubectl(['patch', 'cwr', 'ready', '--type=merge', '-p', '{"spec":{"args":["7200"]}}'], { namespace: ns });
    await kubectl(['patch', 'cwc', group('ready'), '--type=merge', '-p', '{"spec":{"description":"changed"}}'], { namespace: ns });
    await observe('spec changed, operator down', 'InProgress', ['ready']);
    operator = await startOperatorProcess(['--no-leader-elect']);
    await waitFor('the operator to observe generation 2', async () => (await kubectl(['get', 'cwr', 'ready', '-o', 'jsonpath={.status.observedGeneration}'], { namespace: ns })).stdout === '2', { timeoutMs: 60_000 });
    await waitReady(ns, 'cwr', 'ready', 90_000);
    await waitReady(ns, 'cwc', group('ready'), 30_000);
    await observe('spec changed, seen and Ready again', 'Current', ['ready']);
  }, 180_000);
});

