// The operator on the real-node cluster: real containers, real readiness probes, and the
// assertions run from outside the cluster through the API server (service proxy, pod proxy for
// tcp, the Pod log API) — what kwok cannot show.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { testImages } from '../../harness/index.ts';
import { apply, conditionOf, deleteNamespaces, ensureCrds, getObject, kubectl, newNamespace, stackStatus, startOperatorProcess, waitCondition, waitFor, waitReady, type OperatorProcess } from '../../integration/operator/support.ts';

let operator: OperatorProcess;
let ns = '';
let restricted = '';

const web = (namespace: string) => ({
  apiVersion: 'clockwork.dev/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'web', namespace },
  spec: {
    image: testImages.busybox,
    command: ['sh', '-c', 'mkdir -p /tmp/www && echo "hello from web" > /tmp/www/index.html && echo web-started && exec httpd -f -vv -p 8080 -h /tmp/www'],
    ports: [{ name: 'http', port: 8080 }],
    readiness: { httpGet: { path: '/', port: 'http' }, periodSeconds: 1 },
    assertions: [
      { name: 'home', http: { port: 'http', path: '/', bodyContains: 'hello from web' }, intervalSeconds: 5 },
      { name: 'port', tcp: { port: 'http' }, intervalSeconds: 5 },
      { name: 'started', logContains: { text: 'web-started' }, intervalSeconds: 5 },
      { running: {} },
    ],
  },
});

beforeAll(async () => {
  await ensureCrds();
  operator = await startOperatorProcess(['--no-leader-elect']);
  ns = await newNamespace('real');
  // Baseline Pod Security: the operator's Pods are restricted except runAsNonRoot (not forced).
  await kubectl(['label', 'namespace', ns, 'pod-security.kubernetes.io/enforce=baseline']);
  restricted = await newNamespace('restricted');
  await kubectl(['label', 'namespace', restricted, 'pod-security.kubernetes.io/enforce=restricted']);
}, 120_000);

afterAll(async () => {
  await deleteNamespaces([ns, restricted].filter(Boolean));
  await operator?.stop();
}, 60_000);

describe('clockwork operator on a real node', () => {
  test('a real workload turns Ready with http, tcp, log and running assertions checked through the API server; its dependent reaches it by D_HOST', async () => {
    await apply(web(ns), {
      apiVersion: 'clockwork.dev/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'client', namespace: ns },
      spec: {
        image: testImages.busybox,
        dependsOn: ['web'],
        // http-get: the nc-based HTTP client of the test image.
        command: ['sh', '-c', 'until http-get "$WEB_HOST:$WEB_PORT" / 2 > /tmp/got; do sleep 1; done; touch /tmp/ok; exec sleep 3600'],
        readiness: { exec: { command: ['cat', '/tmp/ok'] }, periodSeconds: 1 },
      },
    });
    await waitReady(ns, 'cwr', 'web', 90_000);
    const status = (await getObject(ns, 'cwr', 'web')).status;
    expect(status.assertionsSummary).toBe('4/4');
    expect(status.assertions.map((a: { name: string; passed: boolean }) => `${a.name}:${a.passed}`).sort()).toEqual(['home:true', 'port:true', 'running:true', 'started:true']);
    await waitReady(ns, 'cwr', 'client', 90_000);
  }, 200_000);

  test('tcp through the pod proxy: a non-HTTP listener passes, a closed port fails with the reason', async () => {
    await apply({
      apiVersion: 'clockwork.dev/v1alpha1',
      kind: 'Resource',
      metadata: { name: 'raw', namespace: ns },
      spec: {
        image: testImages.busybox,
        command: ['sh', '-c', 'while true; do echo hi | nc -l -p 9000; done'],
        ports: [{ name: 'raw', port: 9000 }],
        assertions: [
          { name: 'open', tcp: { port: 'raw' }, intervalSeconds: 5 },
          { name: 'closed', tcp: { port: 9001 }, intervalSeconds: 5 },
        ],
      },
    });
    const failed = await waitCondition(ns, 'cwr', 'raw', { type: 'AssertionsPassed', status: 'False', reason: 'AssertionFailed' }, 60_000);
    expect(failed.message).toMatch(/^closed: connect to port 9001/);
    const status = (await getObject(ns, 'cwr', 'raw')).status;
    expect(status.assertions.find((a: { name: string }) => a.name === 'open')).toMatchObject({ passed: true });
    expect(status.assertionsSummary).toBe('1/2');
  }, 90_000);

  test('an image that cannot be pulled reports the Pod failure, and its dependent names it as the root blocker', async () => {
    await apply(
      { apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', metadata: { name: 'broken', namespace: ns }, spec: { image: 'clockwork-test/does-not-exist:1' } },
      { apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', metadata: { name: 'after', namespace: ns }, spec: { image: testImages.busybox, dependsOn: ['broken'] } },
    );
    const available = await waitFor('broken: an image pull failure', async () => {
      const c = await conditionOf(ns, 'cwr', 'broken', 'Available');
      return c && ['ErrImagePull', 'ImagePullBackOff'].includes(c.reason) ? c : undefined;
    }, { timeoutMs: 60_000 });
    expect(['ErrImagePull', 'ImagePullBackOff']).toContain(available.reason);
    expect(available.message).toMatch(/^Pod not ready \((ErrImagePull|ImagePullBackOff)\)/);
    const blocked = await waitCondition(ns, 'cwr', 'after', { status: 'False', reason: 'WaitingForDependencies' });
    expect(blocked.message).toBe(`waiting for ${ns}/broken`);
    // Read through the CLI, the chain is followed to why it is blocked.
    const after = (await stackStatus(ns)).resources.find((r) => r.name === 'after');
    expect(after?.message).toMatch(new RegExp(`^waiting for ${ns}/broken: Pod not ready \\((ErrImagePull|ImagePullBackOff)\\)`));
  }, 120_000);

  test('securityContext: the container runs as the given user and group, and such a Pod is admitted where Pod Security is restricted; one without is rejected, and says why', async () => {
    const whoami = (name: string, securityContext?: object) => ({
      apiVersion: 'clockwork.dev/v1alpha1',
      kind: 'Resource',
      metadata: { name, namespace: restricted },
      spec: {
        image: testImages.busybox,
        command: ['sh', '-c', 'echo "I am $(id)"; exec sleep 3600'],
        ...(securityContext ? { securityContext } : {}),
        assertions: [{ name: 'runs-as', logContains: { text: 'I am uid=1234 gid=2345' }, intervalSeconds: 5 }],
      },
    });
    await apply(whoami('as-user', { runAsUser: 1234, runAsGroup: 2345 }), whoami('as-image-user'));
    await waitReady(restricted, 'cwr', 'as-user', 90_000);
    expect((await getObject(restricted, 'cwr', 'as-user')).status.assertions).toEqual([expect.objectContaining({ name: 'runs-as', passed: true })]);
    const rejected = await waitCondition(restricted, 'cwr', 'as-image-user', { type: 'Ready', status: 'False', reason: 'WorkloadRejected' }, 60_000);
    expect(rejected.message).toMatch(/violates PodSecurity "restricted:.*runAsNonRoot != true/);
  }, 150_000);
});
