// The Kubernetes shapes of volumes and tasks, and the rule for same-named claims (pure).
import { describe, expect, test } from '@jest/globals';
import type { V1Job, V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import type { ResourceObject } from '../../sdk/src/api/index.ts';
import { desiredWorkload } from '../../sdk/src/engine/index.ts';
import { buildJob, buildPod } from '../../operator/src/child-objects.ts';
import { jobTaskFacts } from '../../operator/src/job-state.ts';
import { buildClaim, judgeClaim, withOwnership } from '../../operator/src/volume-claims.ts';

const resource = (spec: Partial<ResourceObject['spec']> = {}): ResourceObject => ({
  apiVersion: 'clockwork.dev/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'db', namespace: 'shop', uid: 'uid-db' },
  spec: { image: 'postgres:16.4', ...spec },
});
const withData = desiredWorkload(resource({ files: [{ mountPath: '/etc/app.conf', content: 'x' }], volumes: [{ name: 'data', mountPath: '/var/lib/data' }, { name: 'wal', mountPath: '/wal', size: '5Gi', storageClass: 'fast', retain: false }] }));

describe('claims', () => {
  test('one per volume, <resource>-<volume>, labelled; a retained one has no ownerReference', () => {
    const [data, wal] = withData.volumes.map((v) => buildClaim(withData, v));
    expect(data!.metadata).toMatchObject({ name: 'db-data', namespace: 'shop', labels: { 'clockwork.dev/resource': 'db', 'clockwork.dev/volume': 'data', 'app.kubernetes.io/managed-by': 'clockwork' } });
    expect(data!.metadata!.ownerReferences).toBeUndefined();
    expect(data!.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    expect(wal!.metadata!.ownerReferences).toEqual([expect.objectContaining({ kind: 'Resource', name: 'db', uid: 'uid-db', controller: true })]);
    expect(wal!.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, storageClassName: 'fast' });
  });

  const live = (metadata: V1PersistentVolumeClaim['metadata']): V1PersistentVolumeClaim => ({ metadata: { name: 'db-data', namespace: 'shop', ...metadata } });
  const ours = { 'clockwork.dev/resource': 'db', 'clockwork.dev/volume': 'data' };
  const data = withData.volumes[0]!;
  const wal = withData.volumes[1]!;

  test('a retained claim of this Resource and volume is taken up, whoever made it', () => {
    expect(judgeClaim(live({ labels: ours }), withData, data)).toEqual({ use: true, ownerReferences: 'keep' });
  });

  test('its ownerReference follows retain', () => {
    expect(judgeClaim(live({ name: 'db-wal', labels: { ...ours, 'clockwork.dev/volume': 'wal' } }), withData, wal)).toEqual({ use: true, ownerReferences: 'add' });
    const owned = live({ labels: ours, ownerReferences: [{ apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', name: 'db', uid: 'uid-db', controller: true }] });
    expect(judgeClaim(owned, withData, data)).toEqual({ use: true, ownerReferences: 'remove' });
    expect(withOwnership(owned, withData, 'remove').metadata!.ownerReferences).toEqual([]);
    expect(withOwnership(live({ labels: ours }), withData, 'add').metadata!.ownerReferences).toEqual([expect.objectContaining({ uid: 'uid-db', controller: true })]);
  });

  test('without the labels, or with another Resource\'s, it is a conflict and left alone', () => {
    const none = judgeClaim(live({ labels: { team: 'x' } }), withData, data);
    expect(none).toMatchObject({
      use: false,
      conflict: { kind: 'PersistentVolumeClaim', name: 'db-data', transient: false, message: 'PersistentVolumeClaim shop/db-data exists and is not a claim of this Resource (no clockwork.dev/resource and clockwork.dev/volume labels); it is left unchanged: delete or rename it, or rename the volume' },
    });
    const other = judgeClaim(live({ labels: { 'clockwork.dev/resource': 'db-data', 'clockwork.dev/volume': 'x' } }), withData, data);
    expect(other).toMatchObject({ use: false, conflict: { transient: false, message: expect.stringContaining('is the claim of volume "x" of Resource db-data') } });
  });

  test('labelled as ours but controlled by something else: the ownership rule holds (a conflict)', () => {
    const foreign = live({ labels: ours, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'pg', uid: 'uid-pg', controller: true }] });
    expect(judgeClaim(foreign, withData, data)).toMatchObject({ use: false, conflict: { transient: false, holder: 'it is controlled by StatefulSet pg' } });
  });

  test('being deleted, or still owned by a deleted namesake: wait (a transient conflict)', () => {
    expect(judgeClaim(live({ labels: ours, deletionTimestamp: new Date() }), withData, data)).toMatchObject({ use: false, conflict: { transient: true, message: expect.stringContaining('is being deleted') } });
    const stale = live({ labels: ours, ownerReferences: [{ apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', name: 'db', uid: 'old-uid', controller: true }] });
    expect(judgeClaim(stale, withData, data)).toMatchObject({ use: false, conflict: { transient: true, message: expect.stringContaining('earlier Resource') } });
  });
});

describe('Pods and Jobs with volumes', () => {
  test('the Pod mounts each claim under volume-<i> (the files ConfigMap stays "files")', () => {
    const pod = buildPod(withData);
    expect(pod.spec!.restartPolicy).toBe('Always');
    expect(pod.spec!.volumes).toEqual([
      { name: 'files', configMap: { name: 'db-files' } },
      { name: 'volume-0', persistentVolumeClaim: { claimName: 'db-data' } },
      { name: 'volume-1', persistentVolumeClaim: { claimName: 'db-wal' } },
    ]);
    expect(pod.spec!.containers[0]!.volumeMounts).toEqual([
      { name: 'files', mountPath: '/etc/app.conf', subPath: '0-app.conf', readOnly: true },
      { name: 'volume-0', mountPath: '/var/lib/data' },
      { name: 'volume-1', mountPath: '/wal' },
    ]);
  });

  test('a task is a Job: backoffLimit from the Resource (default 3), its Pod never restarted', () => {
    const task = desiredWorkload(resource({ run: 'once', volumes: [{ name: 'data', mountPath: '/d' }] }));
    const job = buildJob(task, { terminationGracePeriodSeconds: 5 });
    expect(job.metadata).toMatchObject({ name: 'db', namespace: 'shop', annotations: { 'clockwork.dev/spec-hash': task.hash } });
    expect(job.metadata!.ownerReferences![0]).toMatchObject({ kind: 'Resource', uid: 'uid-db', controller: true });
    expect(job.spec).toMatchObject({ backoffLimit: 3, completions: 1, parallelism: 1 });
    expect(job.spec!.template.spec).toMatchObject({ restartPolicy: 'Never', terminationGracePeriodSeconds: 5, automountServiceAccountToken: false });
    expect(job.spec!.template.metadata!.labels).toMatchObject({ 'clockwork.dev/resource': 'db' });
    expect(desiredWorkload(resource({ run: 'once', backoffLimit: 0 })).backoffLimit).toBe(0);
  });

  test('run, backoffLimit and the mounted volumes are in the hash; size, class and retain are not; defaults leave it as before', () => {
    const base = desiredWorkload(resource());
    expect(desiredWorkload(resource({ run: 'always' })).hash).toBe(base.hash);
    expect(desiredWorkload(resource({ run: 'once' })).hash).not.toBe(base.hash);
    const vol = desiredWorkload(resource({ volumes: [{ name: 'data', mountPath: '/d' }] }));
    expect(vol.hash).not.toBe(base.hash);
    expect(desiredWorkload(resource({ volumes: [{ name: 'data', mountPath: '/d', size: '9Gi', storageClass: 'x', retain: false }] })).hash).toBe(vol.hash);
    expect(desiredWorkload(resource({ volumes: [{ name: 'data', mountPath: '/e' }] })).hash).not.toBe(vol.hash);
  });
});

describe('a task from its Job', () => {
  const job = (status: V1Job['status'], backoffLimit = 2): V1Job => ({ metadata: { uid: 'job-1' }, spec: { backoffLimit, template: {} }, status });
  const pod = (phase: string, exitCode?: number, created = '2026-01-01T00:00:00Z'): V1Pod => ({
    metadata: { ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'db', uid: 'job-1', controller: true }], creationTimestamp: created as unknown as Date },
    spec: { containers: [], nodeName: 'n' },
    status: { phase, ...(exitCode !== undefined ? { containerStatuses: [{ name: 'main', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } }] } : {}) },
  });

  test('complete: succeeded', () => {
    expect(jobTaskFacts(job({ succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] }), [pod('Succeeded', 0)], undefined)).toMatchObject({ phase: 'succeeded', failures: 0 });
  });

  test('the Failed condition: failed, with the last failed Pod\'s exit code and lines', () => {
    const facts = jobTaskFacts(job({ failed: 3, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] }), [pod('Failed', 1), pod('Failed', 1, '2026-01-01T00:00:10Z'), pod('Failed', 7, '2026-01-01T00:00:30Z')], ['boom']);
    expect(facts).toMatchObject({ phase: 'failed', failures: 3, exitCode: 7, lastLines: ['boom'], backoffLimit: 2 });
  });

  test('a failed Pod and none running: retrying (the Job controller waits out its back-off)', () => {
    expect(jobTaskFacts(job({ failed: 1 }), [pod('Failed', 2)], ['x'])).toMatchObject({ phase: 'retrying', failures: 1, exitCode: 2 });
  });

  test('a failed Pod the Job has not counted yet counts', () => {
    expect(jobTaskFacts(job({}, 0), [pod('Failed', 2)], undefined)).toMatchObject({ phase: 'retrying', failures: 1 });
  });

  test('running, and pending with what keeps the Pod from starting', () => {
    expect(jobTaskFacts(job({ active: 1 }), [pod('Running')], undefined)).toMatchObject({ phase: 'running' });
    const pending = jobTaskFacts(job({ active: 1 }), [{ ...pod('Pending'), status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available' }] } }], undefined);
    expect(pending).toMatchObject({ phase: 'pending', detail: 'Pod not scheduled (Unschedulable): 0/1 nodes are available' });
  });
});
