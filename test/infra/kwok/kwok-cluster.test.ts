// The kwok profile: simulated nodes, a real control plane (scheduler, GC, Pod Security admission).
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clusterInfo,
  faultControl,
  kubectl,
  kubectlApply,
  kubectlJson,
  leftovers,
  mountsUnder,
  processesUsing,
  run,
  startCluster,
  stopCluster,
  waitFor,
} from '../../harness/index.ts';

const ns = `cw-infra-kwok-${process.pid}-${Date.now() % 100000}`;

function pod(name: string, annotations: Record<string, string> = {}): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, annotations },
    spec: { containers: [{ name: 'app', image: 'clockwork-test/busybox:1', imagePullPolicy: 'IfNotPresent' }] },
  };
}

async function readyCondition(name: string): Promise<{ status: string; lastTransitionTime: string } | undefined> {
  const p = await kubectlJson(['get', 'pod', name], { namespace: ns });
  return (p.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
}

beforeAll(async () => {
  await kubectl(['create', 'namespace', ns]);
  await waitFor('default ServiceAccount', async () => (await kubectl(['get', 'sa', 'default'], { namespace: ns, allowFailure: true })).code === 0);
}, 60_000);

afterAll(async () => {
  await kubectl(['delete', 'namespace', ns, '--wait=false'], { allowFailure: true });
});

describe('kwok profile', () => {
  test('cluster info points at a kwok cluster with simulated nodes', () => {
    const info = clusterInfo();
    expect(info.profile).toBe('kwok');
    expect(info.nodes.length).toBeGreaterThanOrEqual(2);
    expect(info.nodes.every((n) => n.startsWith('kwok-node-'))).toBe(true);
  });

  test('the built kubectl and server are v1.36', async () => {
    const v = await kubectlJson(['version']);
    expect(v.clientVersion.gitVersion).toBe('v1.36.3');
    expect(v.serverVersion.gitVersion).toBe('v1.36.3');
  });

  test('a Pod is scheduled onto a kwok node and becomes Ready at once', async () => {
    const t0 = Date.now();
    await kubectlApply(pod('quick'));
    await waitFor('Pod quick Ready', async () => (await readyCondition('quick'))?.status === 'True', { timeoutMs: 20_000, intervalMs: 100 });
    const elapsed = Date.now() - t0;
    const p = await kubectlJson(['get', 'pod', 'quick'], { namespace: ns });
    expect(p.spec.nodeName).toMatch(/^kwok-node-/);
    expect(p.status.phase).toBe('Running');
    expect(elapsed).toBeLessThan(3_000);
  }, 30_000);

  test('with pod-ready delay 3s a Pod is Ready no earlier than 3 s after creation', async () => {
    const t0 = Date.now();
    await kubectlApply(pod('delayed', { 'pod-ready.stage.kwok.x-k8s.io/delay': '3s' }));
    await waitFor('Pod delayed Ready', async () => (await readyCondition('delayed'))?.status === 'True', { timeoutMs: 20_000, intervalMs: 100 });
    const elapsed = Date.now() - t0;
    const p = await kubectlJson(['get', 'pod', 'delayed'], { namespace: ns });
    const created = Date.parse(p.metadata.creationTimestamp);
    const ready = Date.parse((await readyCondition('delayed'))!.lastTransitionTime);
    // Both server timestamps are truncated to seconds, so a true gap >= 3 s shows as >= 3 s.
    expect(ready - created).toBeGreaterThanOrEqual(3_000);
    expect(elapsed).toBeGreaterThanOrEqual(3_000);
    expect(elapsed).toBeLessThan(10_000);
  }, 30_000);

  test('deleting an owner garbage-collects its dependents', async () => {
    await kubectl(['create', 'configmap', 'owner'], { namespace: ns });
    const owner = await kubectlJson(['get', 'configmap', 'owner'], { namespace: ns });
    await kubectlApply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'dependent',
        namespace: ns,
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid }],
      },
    });
    await kubectl(['delete', 'configmap', 'owner'], { namespace: ns });
    await waitFor(
      'dependent ConfigMap to be garbage-collected',
      async () => (await kubectl(['get', 'configmap', 'dependent'], { namespace: ns, allowFailure: true })).stderr.includes('NotFound'),
      { timeoutMs: 30_000 },
    );
  }, 40_000);

  test('a namespace enforcing Pod Security "restricted" rejects a Pod that is not', async () => {
    const rns = `${ns}-restricted`;
    await kubectl(['create', 'namespace', rns]);
    try {
      await kubectl(['label', 'namespace', rns, 'pod-security.kubernetes.io/enforce=restricted']);
      await waitFor('default ServiceAccount', async () => (await kubectl(['get', 'sa', 'default'], { namespace: rns, allowFailure: true })).code === 0);
      const bad = await kubectl(['apply', '-f', '-'], {
        namespace: rns,
        allowFailure: true,
        input: JSON.stringify({ ...pod('privileged'), metadata: { name: 'privileged', namespace: rns } }),
      });
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toMatch(/violates PodSecurity "restricted/);
      const good = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'restricted', namespace: rns },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'app',
              image: 'clockwork-test/busybox:1',
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
          ],
        },
      };
      await kubectlApply(good, { namespace: rns });
    } finally {
      await kubectl(['delete', 'namespace', rns, '--wait=false'], { allowFailure: true });
    }
  }, 40_000);

  test('a claim of the default StorageClass binds a pre-created volume once its Pod is scheduled (WaitForFirstConsumer)', async () => {
    await kubectlApply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: ns },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
    });
    const pending = await kubectlJson(['get', 'pvc', 'data'], { namespace: ns });
    expect(pending.spec.storageClassName).toBe('standard');
    expect(pending.status.phase).toBe('Pending');
    await kubectlApply({ ...pod('with-claim'), spec: { ...(pod('with-claim') as { spec: object }).spec, volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] } });
    await waitFor('claim data Bound', async () => (await kubectlJson(['get', 'pvc', 'data'], { namespace: ns })).status.phase === 'Bound', { timeoutMs: 30_000 });
    await waitFor('Pod with-claim Ready', async () => (await readyCondition('with-claim'))?.status === 'True', { timeoutMs: 30_000 });
    const bound = await kubectlJson(['get', 'pvc', 'data'], { namespace: ns });
    expect(bound.spec.volumeName).toMatch(/^kwok-pv-\d+$/);
  }, 60_000);

  function job(name: string, annotations: Record<string, string> = {}): object {
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name, namespace: ns },
      spec: {
        backoffLimit: 0,
        template: { metadata: { annotations }, spec: { restartPolicy: 'Never', containers: [{ name: 'task', image: 'clockwork-test/busybox:1' }] } },
      },
    };
  }
  const jobCondition = async (name: string) =>
    ((await kubectlJson(['get', 'job', name], { namespace: ns })).status?.conditions ?? []).find((c: { type: string; status: string }) => ['Complete', 'Failed'].includes(c.type) && c.status === 'True');

  test('a run-once (Job) Pod completes with exit code 0 (pod-complete stage)', async () => {
    await kubectlApply(job('task-ok'));
    await waitFor('Job task-ok finished', async () => (await jobCondition('task-ok')) !== undefined, { timeoutMs: 30_000 });
    expect((await jobCondition('task-ok')).type).toBe('Complete');
    const pods = await kubectlJson(['get', 'pods', '-l', 'batch.kubernetes.io/job-name=task-ok'], { namespace: ns });
    expect(pods.items[0].status.phase).toBe('Succeeded');
    expect(pods.items[0].status.containerStatuses[0].state.terminated.exitCode).toBe(0);
  }, 40_000);

  test('a run-once Pod annotated with an exit code fails with it (pod-exit stage)', async () => {
    await kubectlApply(job('task-fails', { 'pod-exit.stage.kwok.x-k8s.io/code': '3', 'pod-complete.stage.kwok.x-k8s.io/weight': '0' }));
    await waitFor('Job task-fails finished', async () => (await jobCondition('task-fails')) !== undefined, { timeoutMs: 30_000 });
    expect((await jobCondition('task-fails')).type).toBe('Failed');
    const pods = await kubectlJson(['get', 'pods', '-l', 'batch.kubernetes.io/job-name=task-fails'], { namespace: ns });
    expect(pods.items[0].status.phase).toBe('Failed');
    expect(pods.items[0].status.containerStatuses[0].state.terminated.exitCode).toBe(3);
  }, 40_000);

  test('fault control: stopping kube-apiserver makes the API unreachable, starting it brings it back', async () => {
    await faultControl('kube-apiserver', 'stop');
    const down = await kubectl(['get', '--raw', '/readyz'], { allowFailure: true, timeoutMs: 15_000 });
    expect(down.code).not.toBe(0);
    await faultControl('kube-apiserver', 'start');
    expect((await kubectl(['get', '--raw', '/readyz'])).stdout).toBe('ok');
    // kill + start of the scheduler: Pods are still scheduled afterwards.
    await faultControl('scheduler', 'kill');
    await faultControl('scheduler', 'start');
    await kubectlApply(pod('after-fault'));
    await waitFor('Pod after-fault Ready', async () => (await readyCondition('after-fault'))?.status === 'True', { timeoutMs: 30_000 });
  }, 120_000);

  test('a second kwok cluster runs beside the first, and cluster down leaves nothing behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clockwork-second-'));
    try {
      const second = await startCluster('kwok', dir);
      expect(second.server).not.toBe(clusterInfo().server);
      const nodes = JSON.parse((await run(second.kubectl, ['--kubeconfig', second.kubeconfig, 'get', 'nodes', '-o', 'json'])).stdout);
      expect(nodes.items.length).toBeGreaterThan(0);
      // The first cluster still answers.
      expect((await kubectl(['get', '--raw', '/readyz'])).stdout).toBe('ok');
      await stopCluster(dir);
      expect(processesUsing(dir)).toEqual([]);
      expect(mountsUnder(dir)).toEqual([]);
      expect(await leftovers(dir)).toBe('');
    } finally {
      await stopCluster(dir).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
