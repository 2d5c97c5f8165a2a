import type { V1Pod } from '@kubernetes/client-node';
import { ANNOTATION_FILES_HASH, ANNOTATION_SPEC_HASH, KUBELET_FAILURE_REASONS, REASON } from '../../sdk/src/api/index.ts';
import { crashLoopState, restartNote, type ObservedWorkload, type RestartFacts, type WorkloadState } from '../../sdk/src/engine/index.ts';

const camel = (reason: string | undefined, fallback: string) => (reason && /^[A-Za-z][A-Za-z0-9]*$/.test(reason) ? reason : fallback);

/**
 * Pure: what a Pod's status means for the engine. The reason is one CamelCase word
 * (PodReady, Starting, Pending, Unschedulable, CrashLoopBackOff, ImagePullBackOff, Failed,
 * Terminating), the message is for a person: `Pod not ready (ImagePullBackOff): …`.
 */
export function podWorkloadState(pod: V1Pod): WorkloadState {
  const created = pod.metadata?.creationTimestamp;
  const since = created ? { since: new Date(created) } : {};
  const status = pod.status ?? {};
  const containers = status.containerStatuses ?? [];
  const running = status.phase === 'Running' && containers.length > 0 && containers.every((c) => c.state?.running);
  const restarts = podRestartFacts(pod).restarts;
  const counted = restarts ? { restarts } : {};
  // A running workload's message says how often it was restarted.
  const state = (ready: boolean, reason: string, message: string, failed = false): WorkloadState => ({ ready, reason, message: `${message}${running ? restartNote(restarts) : ''}`, ...(failed ? { failed } : {}), ...(running && !failed ? { running } : {}), ...since, ...counted });
  if (!pod.metadata?.deletionTimestamp && podRestartFacts(pod).backingOff) return crashLoopState({ ...podRestartFacts(pod), ...since });
  if (pod.metadata?.deletionTimestamp) return state(false, REASON.Terminating, 'Pod is terminating');
  if (status.phase === 'Failed') return state(false, camel(status.reason, REASON.Failed), `Pod failed${status.reason ? ` (${status.reason})` : ''}${status.message ? `: ${status.message}` : ''}`, true);
  // A server's Pod (restartPolicy Always) that Succeeded: its process exited 0 and is not restarted.
  if (status.phase === 'Succeeded') return state(false, REASON.Exited, 'Pod exited (the container ran to completion)', true);
  for (const cs of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
    const waiting = cs.state?.waiting;
    if (waiting?.reason && KUBELET_FAILURE_REASONS.has(waiting.reason)) {
      const last = cs.lastState?.terminated;
      const detail = waiting.message ?? (last ? `last exit code ${last.exitCode}${last.reason ? ` (${last.reason})` : ''}` : '');
      return state(false, camel(waiting.reason, 'Failing'), `Pod not ready (${waiting.reason})${detail ? `: ${detail}` : ''}`, true);
    }
  }
  const conditions = status.conditions ?? [];
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return state(true, 'PodReady', `Pod ready${pod.spec?.nodeName ? ` on ${pod.spec.nodeName}` : ''}`);
  const scheduled = conditions.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') {
    const reason = camel(scheduled.reason, 'Pending');
    return state(false, reason === 'Unschedulable' ? 'Unschedulable' : 'Pending', `Pod not scheduled (${scheduled.reason ?? 'Pending'})${scheduled.message ? `: ${scheduled.message}` : ''}`);
  }
  const waiting = (status.containerStatuses ?? []).map((c) => c.state?.waiting?.reason).find(Boolean);
  if (waiting) return state(false, REASON.Starting, `Pod not ready (${waiting})`);
  if (status.phase === 'Running') return state(false, REASON.Starting, 'Pod running, readiness probe not passing yet');
  return state(false, REASON.Pending, `Pod ${status.phase ?? 'Pending'}`);
}

/** The restarts of a Pod's container, and whether the kubelet is waiting out a crash back-off. */
export function podRestartFacts(pod: V1Pod): RestartFacts {
  const statuses = pod.status?.containerStatuses ?? [];
  const restarts = statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const looping = statuses.find((c) => c.state?.waiting?.reason === REASON.CrashLoopBackOff);
  const exitCode = (looping ?? statuses[0])?.lastState?.terminated?.exitCode;
  return { restarts, backingOff: looping !== undefined, ...(exitCode !== undefined ? { lastExitCode: exitCode } : {}) };
}

/** The spec hash a Pod was built from. */
export function podHash(pod: V1Pod): string {
  return pod.metadata?.annotations?.[ANNOTATION_SPEC_HASH] ?? '';
}

/** The files' content hash a Pod was last given (set at creation, then on each in-place update). */
export function podFilesHash(pod: V1Pod): string | undefined {
  return pod.metadata?.annotations?.[ANNOTATION_FILES_HASH];
}

export function observePod(pod: V1Pod): ObservedWorkload {
  const files = podFilesHash(pod);
  return { hash: podHash(pod), ...(files !== undefined ? { filesHash: files } : {}), state: podWorkloadState(pod) };
}

/** For the `running` assertion: phase Running and every container running. */
export function podRunning(pod: V1Pod | undefined): { running: boolean; message: string } {
  if (!pod) return { running: false, message: 'no Pod' };
  const phase = pod.status?.phase ?? 'Pending';
  const statuses = pod.status?.containerStatuses ?? [];
  const notRunning = statuses.filter((c) => !c.state?.running).map((c) => `${c.name} ${Object.keys(c.state ?? {})[0] ?? 'unknown'}`);
  if (phase !== 'Running') return { running: false, message: `Pod phase is ${phase}` };
  if (statuses.length === 0) return { running: false, message: 'Pod has no container status yet' };
  if (notRunning.length) return { running: false, message: `containers not running: ${notRunning.join(', ')}` };
  const restarts = statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0);
  return { running: true, message: `Pod Running, ${statuses.length} container(s) running${restarts ? `, ${restarts} restart(s)` : ''}` };
}
