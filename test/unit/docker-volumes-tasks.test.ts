// The Docker shapes of volumes, tasks and restarts, and which volumes a change leaves (pure).
import { describe, expect, test } from '@jest/globals';
import type { ResourceObject, ResourceSpec } from '../../sdk/src/api/index.ts';
import { desiredWorkload } from '../../sdk/src/engine/index.ts';
import { containerSpec, restartPolicy } from '../../sdk/src/targets/docker/container-spec.ts';
import { settledState, taskFacts, type ContainerFacts } from '../../sdk/src/targets/docker/container-state.ts';
import { volumeName } from '../../sdk/src/targets/docker/volumes.ts';
import { volumeFates } from '../../sdk/src/targets/volume-fates.ts';

const resource = (spec: Partial<ResourceSpec> = {}): ResourceObject => ({ apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', metadata: { name: 'db', namespace: 'shop' }, spec: { image: 'postgres:16.4', ...spec } });

describe('the container of a workload with volumes and a run mode', () => {
  test('each volume is a named volume clockwork-<namespace>-<resource>-<volume> mounted at its path', () => {
    const spec = containerSpec(desiredWorkload(resource({ volumes: [{ name: 'data', mountPath: '/var/lib/data' }] })), { network: 'clockwork-shop' });
    expect(spec.HostConfig!.Mounts).toEqual([{ Type: 'volume', Source: 'clockwork-shop-db-data', Target: '/var/lib/data' }]);
    expect(volumeName('shop', 'db', 'data')).toBe('clockwork-shop-db-data');
  });

  test('a server restarts whenever it exits, also after a daemon restart, unless stopped by hand', () => {
    expect(restartPolicy(desiredWorkload(resource()))).toEqual({ Name: 'unless-stopped' });
  });

  test('a task is retried after a non-zero exit up to backoffLimit times (0: never)', () => {
    expect(restartPolicy(desiredWorkload(resource({ run: 'once' })))).toEqual({ Name: 'on-failure', MaximumRetryCount: 3 });
    expect(restartPolicy(desiredWorkload(resource({ run: 'once', backoffLimit: 1 })))).toEqual({ Name: 'on-failure', MaximumRetryCount: 1 });
    expect(restartPolicy(desiredWorkload(resource({ run: 'once', backoffLimit: 0 })))).toEqual({ Name: 'no' });
  });
});

const container = (state: Partial<ContainerFacts['State']>, restarts = 0): ContainerFacts => ({
  Created: '2026-01-01T00:00:00Z',
  RestartCount: restarts,
  State: { Status: 'running', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 0, ExitCode: 0, Error: '', StartedAt: '2026-01-01T00:00:01Z', FinishedAt: '0001-01-01T00:00:00Z', ...state },
});

describe('a task container read back', () => {
  const task = desiredWorkload(resource({ run: 'once', backoffLimit: 2 }));
  test('running, waiting to retry, completed, failed after its retries', () => {
    expect(taskFacts(container({ Running: true }), task, undefined)).toMatchObject({ phase: 'running', failures: 0 });
    // Docker keeps Running true while a container waits to be restarted.
    expect(taskFacts(container({ Running: true, Restarting: true, Status: 'restarting', ExitCode: 1 }, 1), task, ['x'])).toMatchObject({ phase: 'retrying', failures: 1, exitCode: 1 });
    expect(taskFacts(container({ Status: 'exited', ExitCode: 0 }, 1), task, undefined)).toMatchObject({ phase: 'succeeded', failures: 1 });
    expect(taskFacts(container({ Status: 'exited', ExitCode: 3 }, 2), task, ['bad'])).toMatchObject({ phase: 'failed', failures: 3, exitCode: 3, lastLines: ['bad'] });
    expect(taskFacts(container({ Status: 'exited', ExitCode: 0, OOMKilled: true }), task, [])).toMatchObject({ phase: 'failed', exitCode: 137 });
  });

  test('its state: Completed (Ready) or Failed with the exit code', () => {
    expect(settledState(container({ Status: 'exited', ExitCode: 0 }), task, undefined)).toMatchObject({ ready: true, reason: 'Completed' });
    expect(settledState(container({ Status: 'exited', ExitCode: 3 }, 2), task, ['bad'])).toMatchObject({ ready: false, failed: true, reason: 'Failed', message: 'task failed: exit code 3 on attempt 3 of 3 (backoffLimit 2); last log lines:\n    bad' });
  });
});

describe('a server container read back', () => {
  const server = desiredWorkload(resource());
  test('waiting out a restart back-off: CrashLoopBackOff with the count', () => {
    expect(settledState(container({ Running: true, Restarting: true, Status: 'restarting', ExitCode: 2 }, 4), server, ['boom'])).toMatchObject({ reason: 'CrashLoopBackOff', restarts: 4, failed: true });
  });
  test('running: left to the readiness prober', () => {
    expect(settledState(container({ Running: true }, 1), server, undefined)).toBeUndefined();
  });
  test('stopped: Exited with the code', () => {
    expect(settledState(container({ Status: 'exited', ExitCode: 137 }), server, undefined)).toMatchObject({ reason: 'Exited', failed: true, message: 'container exited with code 137' });
  });
});

describe('what becomes of volumes nothing mounts', () => {
  const entry = (resource: string, volume: string, retain = true) => ({ resource, volume, retain });
  const spec = (volumes: ResourceSpec['volumes']): ResourceSpec => ({ image: 'x', ...(volumes ? { volumes } : {}) });

  test('apply: mounted ones are untouched; an unmounted one is kept and reported; a leaving Resource\'s retain: false one goes', () => {
    const fates = volumeFates({
      volumes: [entry('db', 'data'), entry('db', 'old'), entry('cache', 'tmp', false), entry('gone', 'data')],
      mounted: new Map([['db', spec([{ name: 'data', mountPath: '/d' }])]]),
      leaving: new Map([['cache', spec([{ name: 'tmp', mountPath: '/t', retain: false }])]]),
    });
    expect(fates.remove).toEqual([entry('cache', 'tmp', false)]);
    expect(fates.keep).toEqual([entry('db', 'old'), entry('gone', 'data')]);
  });

  test('the spec\'s retain wins over the recorded one; --volumes removes every volume of a leaving Resource', () => {
    const leaving = new Map([['db', spec([{ name: 'data', mountPath: '/d', retain: false }])]]);
    expect(volumeFates({ volumes: [entry('db', 'data', true)], mounted: new Map(), leaving }).remove).toEqual([entry('db', 'data', true)]);
    expect(volumeFates({ volumes: [entry('db', 'data'), entry('db', 'unmounted')], mounted: new Map(), leaving: new Map([['db', undefined]]), removeAll: true }).remove).toHaveLength(2);
  });
});
