import { REASON } from '../api/index.ts';
import type { WorkloadState } from './conditions.ts';

/**
 * The states both backends report for a process that exits: a restarted workload (run: always)
 * and a task (run: once). Each backend gathers the facts its way (container statuses and Jobs on
 * Kubernetes, `docker inspect` on Docker); the words a user reads — reasons, counts, exit codes,
 * the last log lines — are made here, once, so the two targets say the same thing.
 */

/** How many log lines a failure message carries. */
export const FAILURE_LOG_LINES = 10;

/** What a backend knows of a restarted process. */
export interface RestartFacts {
  /** Restarts so far (Docker's RestartCount, the container's restartCount). */
  restarts: number;
  /** Exited and waiting out a back-off before the next start (Docker: restarting; Kubernetes: CrashLoopBackOff). */
  backingOff: boolean;
  /** The exit code of the last run that ended. */
  lastExitCode?: number;
  since?: Date;
}

/**
 * A process that keeps exiting and is restarted after a growing back-off: CrashLoopBackOff. Its
 * output is not in the message: whoever reports the failure shows the last lines (`logTail`).
 */
export function crashLoopState(facts: RestartFacts): WorkloadState {
  const exit = facts.lastExitCode === undefined ? '' : `; last exit code ${facts.lastExitCode}`;
  return {
    ready: false,
    failed: true,
    reason: REASON.CrashLoopBackOff,
    message: `the process keeps exiting: restarted ${times(facts.restarts)}, waiting out a back-off before the next start${exit}`,
    restarts: facts.restarts,
    ...(facts.since ? { since: facts.since } : {}),
  };
}

/** The restart count in a running workload's message: `; restarted 2 times`. */
export function restartNote(restarts: number): string {
  return restarts > 0 ? `; restarted ${times(restarts)}` : '';
}

export type TaskPhase = 'pending' | 'running' | 'retrying' | 'succeeded' | 'failed';

/** What a backend knows of a task (run: once). */
export interface TaskFacts {
  phase: TaskPhase;
  /** Runs that exited non-zero so far. */
  failures: number;
  backoffLimit: number;
  /** Exit code of the last run that ended. */
  exitCode?: number;
  lastLines?: readonly string[];
  /** What keeps a pending task from starting, when the backend knows it. */
  detail?: string;
  since?: Date;
}

/**
 * A task's state. Ready with reason Completed once it exited 0 (dependents then start); Failed
 * with the exit code and its last log lines once its retries are used up; never failed while a
 * retry is still to come.
 */
export function taskState(facts: TaskFacts): WorkloadState {
  const since = facts.since ? { since: facts.since } : {};
  const attempts = facts.backoffLimit + 1;
  switch (facts.phase) {
    case 'succeeded':
      return { ready: true, completed: true, reason: REASON.Completed, message: `task completed (exit code 0${facts.failures ? ` after ${times(facts.failures)} failed` : ''})`, ...since };
    case 'failed':
      return {
        ready: false,
        failed: true,
        // Out of retries: nothing but a change of its spec runs it again (kstatus: Failed).
        terminal: true,
        reason: REASON.Failed,
        message: `task failed: exit code ${facts.exitCode ?? 'unknown'} on attempt ${Math.max(facts.failures, 1)} of ${attempts} (backoffLimit ${facts.backoffLimit})${logTail(facts.lastLines)}`,
        ...since,
      };
    case 'retrying':
      return {
        ready: false,
        reason: REASON.Retrying,
        message: `task exited with code ${facts.exitCode ?? 'unknown'}; attempt ${facts.failures + 1} of ${attempts} starts after a back-off${logTail(facts.lastLines)}`,
        ...since,
      };
    case 'running':
      return { ready: false, running: true, reason: REASON.Running, message: `task running (attempt ${facts.failures + 1} of ${attempts})`, ...since };
    default:
      return { ready: false, reason: REASON.Pending, message: `task not started yet${facts.detail ? `: ${facts.detail}` : ''}`, ...since };
  }
}

/** A completed task whose workload is gone (a Job deleted later): still Completed, never rerun. */
export function completedEarlierState(): WorkloadState {
  return { ready: true, completed: true, reason: REASON.Completed, message: 'task completed earlier (its workload has since been removed; it runs again only when its spec changes)' };
}

function times(n: number): string {
  return `${n} time${n === 1 ? '' : 's'}`;
}

function logTail(lines: readonly string[] | undefined): string {
  if (!lines) return '';
  if (lines.length === 0) return '; no log output';
  return `; last log lines:\n${lines.slice(-FAILURE_LOG_LINES).map((l) => `    ${l}`).join('\n')}`;
}
