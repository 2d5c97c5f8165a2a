import type { V1Job, V1Pod } from '@kubernetes/client-node';
import type { TaskFacts } from '../../sdk/src/engine/index.ts';
import { podWorkloadState } from './pod-state.ts';

/** The label the Job controller puts on its Pods. */
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';

/** The Job's Pods, oldest first (the cache holds every Pod the operator's children run in). */
export function jobPods(job: V1Job, pods: readonly V1Pod[]): V1Pod[] {
  const uid = job.metadata?.uid;
  return pods
    .filter((p) => p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === uid))
    .sort((a, b) => Date.parse(a.metadata?.creationTimestamp as unknown as string) - Date.parse(b.metadata?.creationTimestamp as unknown as string));
}

/** The Pod of the attempt under way, if one is. */
export function currentPod(pods: readonly V1Pod[]): V1Pod | undefined {
  return [...pods].reverse().find((p) => p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded' && !p.metadata?.deletionTimestamp);
}

/** The last Pod that failed: its exit code and logs go into the message. */
export function lastFailedPod(pods: readonly V1Pod[]): V1Pod | undefined {
  return [...pods].reverse().find((p) => p.status?.phase === 'Failed');
}

/** The exit code of a Pod's container that terminated. */
export function exitCodeOf(pod: V1Pod | undefined): number | undefined {
  return pod?.status?.containerStatuses?.find((c) => c.state?.terminated)?.state?.terminated?.exitCode;
}

/**
 * Pure: a task's facts from its Job and the Job's Pods. Complete: succeeded. The Job's Failed
 * condition (backoffLimit exceeded): failed, with the last failed Pod's exit code. A Pod
 * running: running. Failed Pods and none active: the Job controller waits out its back-off
 * before the next attempt.
 */
export function jobTaskFacts(job: V1Job, pods: readonly V1Pod[], lastLines: readonly string[] | undefined): TaskFacts {
  const conditions = job.status?.conditions ?? [];
  const holds = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
  // The Job controller counts a failed Pod a moment after the kubelet reports it.
  const failures = Math.max(job.status?.failed ?? 0, pods.filter((p) => p.status?.phase === 'Failed').length);
  const backoffLimit = job.spec?.backoffLimit ?? 0;
  const started = job.status?.startTime as unknown as string | undefined;
  const base = { backoffLimit, failures, ...(started ? { since: new Date(started) } : {}) };
  const failedPod = lastFailedPod(pods);
  const exit = exitCodeOf(failedPod);
  const last = { ...(exit !== undefined ? { exitCode: exit } : {}), ...(lastLines ? { lastLines } : {}) };
  if (holds('Complete') || (job.status?.succeeded ?? 0) > 0) return { ...base, phase: 'succeeded' };
  if (holds('Failed')) return { ...base, ...last, phase: 'failed', failures: Math.max(failures, 1) };
  const current = currentPod(pods);
  if (current?.status?.phase === 'Running') return { ...base, phase: 'running' };
  if (current) return { ...base, phase: 'pending', detail: podWorkloadState(current).message };
  if (failures > 0) return { ...base, ...last, phase: 'retrying' };
  return { ...base, phase: 'pending', detail: 'the Job has not started a Pod yet' };
}
