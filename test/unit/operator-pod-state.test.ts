import { describe, expect, test } from '@jest/globals';
import type { V1Pod } from '@kubernetes/client-node';
import { podRunning, podWorkloadState } from '../../operator/src/pod-state.ts';

const created = '2026-01-01T00:00:00Z';
const base = (status: V1Pod['status'], extra: Partial<V1Pod['metadata']> = {}): V1Pod => ({ metadata: { name: 'p', creationTimestamp: new Date(created), ...extra }, spec: { nodeName: 'node-1', containers: [] }, status });
const waitingPod = (reason: string, message?: string) =>
  base({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False' }], containerStatuses: [{ name: 'main', image: 'x', imageID: '', ready: false, restartCount: 3, state: { waiting: { reason, ...(message ? { message } : {}) } }, lastState: { terminated: { exitCode: 1, reason: 'Error' } } }] });

describe('Pod status → WorkloadState', () => {
  test('Ready', () => {
    const s = podWorkloadState(base({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }));
    expect(s).toMatchObject({ ready: true, reason: 'PodReady', message: 'Pod ready on node-1' });
    expect(s.since).toEqual(new Date(created));
  });

  test('ImagePullBackOff names the reason, fails', () => {
    expect(podWorkloadState(waitingPod('ImagePullBackOff', 'Back-off pulling image "nope"'))).toMatchObject({ ready: false, failed: true, reason: 'ImagePullBackOff', message: 'Pod not ready (ImagePullBackOff): Back-off pulling image "nope"' });
  });

  test('CrashLoopBackOff with the last exit code', () => {
    expect(podWorkloadState(waitingPod('CrashLoopBackOff'))).toMatchObject({
      failed: true,
      reason: 'CrashLoopBackOff',
      restarts: 3,
      message: 'the process keeps exiting: restarted 3 times, waiting out a back-off before the next start; last exit code 1',
    });
  });

  test('ContainerCreating is Starting, not failed', () => {
    const s = podWorkloadState(waitingPod('ContainerCreating'));
    expect(s).toMatchObject({ ready: false, reason: 'Starting', message: 'Pod not ready (ContainerCreating)' });
    expect(s.failed).toBeUndefined();
  });

  test('running but the probe not passing yet', () => {
    expect(podWorkloadState(base({ phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }))).toMatchObject({ reason: 'Starting', message: 'Pod running, readiness probe not passing yet' });
  });

  test('unschedulable', () => {
    expect(podWorkloadState(base({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' }] }))).toMatchObject({
      ready: false,
      reason: 'Unschedulable',
      message: 'Pod not scheduled (Unschedulable): 0/3 nodes are available',
    });
  });

  test('failed and succeeded phases fail; reasons stay one CamelCase word', () => {
    expect(podWorkloadState(base({ phase: 'Failed', reason: 'Evicted', message: 'low on memory' }))).toMatchObject({ failed: true, reason: 'Evicted', message: 'Pod failed (Evicted): low on memory' });
    expect(podWorkloadState(base({ phase: 'Failed', reason: 'not camel case' }))).toMatchObject({ reason: 'Failed' });
    // A server's Pod that exited 0: Exited (Completed is a task's success).
    expect(podWorkloadState(base({ phase: 'Succeeded' }))).toMatchObject({ failed: true, reason: 'Exited' });
  });

  test('terminating', () => {
    expect(podWorkloadState(base({ phase: 'Running' }, { deletionTimestamp: new Date() }))).toMatchObject({ ready: false, reason: 'Terminating' });
  });

  test('no status yet', () => {
    expect(podWorkloadState(base(undefined))).toMatchObject({ ready: false, reason: 'Pending', message: 'Pod Pending' });
  });
});

describe('running assertion', () => {
  test('phase Running and every container running', () => {
    const running = base({ phase: 'Running', containerStatuses: [{ name: 'main', image: 'x', imageID: '', ready: true, restartCount: 1, state: { running: {} } }] });
    expect(podRunning(running)).toEqual({ running: true, message: 'Pod Running, 1 container(s) running, 1 restart(s)' });
    expect(podRunning(waitingPod('CrashLoopBackOff'))).toEqual({ running: false, message: 'Pod phase is Pending' });
    expect(podRunning(base({ phase: 'Running', containerStatuses: [{ name: 'main', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'X' } } }] }))).toEqual({ running: false, message: 'containers not running: main waiting' });
    expect(podRunning(undefined)).toEqual({ running: false, message: 'no Pod' });
  });
});
