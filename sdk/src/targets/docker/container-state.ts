import type Docker from 'dockerode';
import { REASON } from '../../api/index.ts';
import { crashLoopState, taskState, type TaskFacts, type Workload, type WorkloadState } from '../../engine/index.ts';

/** The parts of `docker inspect` that say how a container's process is doing. */
export type ContainerFacts = Pick<Docker.ContainerInspectInfo, 'State' | 'RestartCount' | 'Created'>;

/** When the container last started (or was created, when it never did). */
export function startedAt(info: ContainerFacts): Date {
  const started = info.State.StartedAt;
  return new Date(started && !started.startsWith('0001') ? started : info.Created);
}

/**
 * A task's container (run: once), as the engine's task facts. Docker retries a failed run itself
 * (restart policy on-failure:backoffLimit) and counts the restarts: while it waits to retry the
 * container is `restarting`; once it stops retrying it stays exited with the last exit code.
 */
export function taskFacts(info: ContainerFacts, workload: Pick<Workload, 'backoffLimit'>, lastLines: readonly string[] | undefined): TaskFacts {
  const { State: state } = info;
  const restarts = info.RestartCount ?? 0;
  const base = { backoffLimit: workload.backoffLimit, since: startedAt(info) };
  const log = lastLines ? { lastLines } : {};
  if (state.Restarting) return { ...base, ...log, phase: 'retrying', failures: restarts, exitCode: state.ExitCode };
  if (state.Running) return { ...base, phase: 'running', failures: restarts };
  if (state.Status === 'created') return { ...base, phase: 'pending', failures: 0, detail: 'the container was created but never started' };
  if (state.ExitCode === 0 && !state.OOMKilled) return { ...base, phase: 'succeeded', failures: restarts };
  return { ...base, ...log, phase: 'failed', failures: restarts + 1, exitCode: state.OOMKilled && !state.ExitCode ? 137 : state.ExitCode };
}

/**
 * True when the state needs the container's last log lines in its message: a task that failed or
 * waits to retry. (A server's output is read by whoever reports its failure: `logTail`.)
 */
export function needsLog(info: ContainerFacts, workload: Pick<Workload, 'run'>): boolean {
  const { State: state } = info;
  if (workload.run !== 'once' || state.Status === 'created') return false;
  return state.Restarting || (!state.Running && (state.ExitCode !== 0 || state.OOMKilled));
}

/**
 * The state of a container that is not simply running: a task at any point, a server waiting out
 * its restart back-off (CrashLoopBackOff), or a server that stopped. Undefined for a running
 * server, whose readiness the prober decides.
 */
export function settledState(info: ContainerFacts, workload: Pick<Workload, 'run' | 'backoffLimit'>, lastLines: readonly string[] | undefined): WorkloadState | undefined {
  const { State: state } = info;
  const since = startedAt(info);
  if (workload.run === 'once') return taskState(taskFacts(info, workload, lastLines));
  if (state.Restarting) return crashLoopState({ restarts: info.RestartCount ?? 0, backingOff: true, lastExitCode: state.ExitCode, since });
  if (state.Running) return undefined;
  const reason = state.OOMKilled ? REASON.OOMKilled : state.Status === 'created' ? REASON.NotStarted : REASON.Exited;
  const what = state.Status === 'created' ? 'was created but never started' : `exited with code ${state.ExitCode}${state.Error ? ` (${state.Error})` : ''}`;
  return { ready: false, failed: true, reason, since, message: `container ${what}`, ...(info.RestartCount ? { restarts: info.RestartCount } : {}) };
}
