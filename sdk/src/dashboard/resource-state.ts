import { CONDITION_ASSERTIONS_PASSED, CONDITION_AVAILABLE, CONDITION_DEPENDENCIES_READY, REASON, STACK_FAILURE_REASONS, WORKLOAD_FAILURE_REASONS } from '../api/index.ts';
import type { ResourceReport } from '../targets/target.ts';
import type { ResourceState } from './dashboard-model.ts';

/** Ready reasons of a task that ran to completion (run: once). */
const COMPLETED_REASONS = new Set(['Completed']);
/**
 * Reasons that say something is wrong with the Resource itself, beyond the ones apply gives up on.
 * `Completed` while not Ready: a workload that should keep running exited (a Pod that Succeeded).
 */
const FAILING_REASONS = new Set([...STACK_FAILURE_REASONS, ...WORKLOAD_FAILURE_REASONS, REASON.AssertionFailed, REASON.Unhealthy, 'ChildConflict']);
/** Nothing runs it, or nothing has looked at it yet. */
const UNKNOWN_REASONS = new Set(['Unknown', 'NotApplied']);

/**
 * The one word a Resource's node shows, from the conditions the engine computed: Failing when its
 * workload is broken, Waiting while a dependency is not Ready, Failing when its own assertions
 * fail, Starting while its workload comes up or its assertions have not all been checked yet.
 */
export function resourceState(report: Pick<ResourceReport, 'ready' | 'reason' | 'conditions'>): ResourceState {
  if (report.ready) return COMPLETED_REASONS.has(report.reason) ? 'Completed' : 'Ready';
  if (UNKNOWN_REASONS.has(report.reason)) return 'Unknown';
  const condition = (type: string) => report.conditions?.find((c) => c.type === type);
  const available = condition(CONDITION_AVAILABLE);
  const assertions = condition(CONDITION_ASSERTIONS_PASSED);
  if (FAILING_REASONS.has(report.reason) || (available?.status === 'False' && FAILING_REASONS.has(available.reason))) return 'Failing';
  // A dependency that is not Ready explains failing assertions too (the API answers 503 without its database).
  if (condition(CONDITION_DEPENDENCIES_READY)?.status === 'False' || report.reason === 'Pending') return 'Waiting';
  if (assertions?.status === 'False') return 'Failing';
  return 'Starting';
}

/** Not Ready for a reason of its own rather than only because a dependency is not Ready. */
export function isRootCause(report: Pick<ResourceReport, 'ready' | 'reason' | 'conditions'>): boolean {
  if (report.ready) return false;
  const dependencies = report.conditions?.find((c) => c.type === CONDITION_DEPENDENCIES_READY);
  if (dependencies?.status !== 'False') return true;
  return FAILING_REASONS.has(dependencies.reason);
}
