import {
  CONDITION_ASSERTIONS_PASSED,
  CONDITION_AVAILABLE,
  CONDITION_DEPENDENCIES_READY,
  CONDITION_READY,
  CONDITION_STALLED,
  type AssertionStatus,
  type Condition,
  REASON,
  type ResourceObject,
} from '../api/index.ts';
import { refKey, type ResolvedRef } from './dependencies.ts';

/** What is known of one dependency, from a cache or the Docker engine. */
export interface DependencyState {
  ref: ResolvedRef;
  found: boolean;
  ready: boolean;
  /** The dependency's own Ready message, when it is not Ready. */
  message?: string;
  /** True when the dependency itself waits for its dependencies: its message names the root. */
  blockedByDependencies?: boolean;
  /** True when the dependency is Stalled: waiting for it cannot help either. */
  stalled?: boolean;
  /** Why it may not be depended on (its namespace has not consented): nothing else of it is known. */
  notPermitted?: string;
}

/** A Resource is Ready when its Ready condition says so. */
export function isReady(resource: ResourceObject | undefined): boolean {
  return resource?.status?.conditions?.some((c) => c.type === CONDITION_READY && c.status === 'True') ?? false;
}

/**
 * What dependents and Composites see of a Resource: Ready or not, its Ready message when not,
 * whether it only waits for its own dependencies (then its message names the root), and whether
 * it is Stalled (it cannot become Ready without a change).
 */
export function readinessOf(resource: ResourceObject): { ready: boolean; message?: string; blockedByDependencies: boolean; stalled?: boolean } {
  const ready = resource.status?.conditions?.find((c) => c.type === CONDITION_READY);
  const dependenciesReady = resource.status?.conditions?.find((c) => c.type === CONDITION_DEPENDENCIES_READY);
  return {
    ready: ready?.status === 'True',
    ...(ready && ready.status !== 'True' ? { message: ready.message } : {}),
    blockedByDependencies: dependenciesReady?.status === 'False',
    ...(isStalled(resource.status?.conditions) ? { stalled: true } : {}),
  };
}

/** What is known of a Resource's workload (Pod or container). */
export interface WorkloadState {
  ready: boolean;
  /** One CamelCase word: Starting, CrashLoopBackOff, ImagePullBackOff, Exited, Unhealthy, … */
  reason: string;
  message: string;
  /** The workload failed in a way that waiting alone will not fix (it may be retried: CrashLoopBackOff). */
  failed?: boolean;
  /**
   * Nothing will retry it: failed for good (a task out of retries, a child that is not ours).
   * The Resource is Stalled; kstatus tools (Helm --wait, Flux) read it as Failed.
   */
  terminal?: boolean;
  /** Its process runs (ready or not): assertions that have started keep being checked. */
  running?: boolean;
  /** When the workload was created, for the readiness timeout. */
  since?: Date;
  /** A task (run: once) that exited 0: Ready with reason Completed. */
  completed?: boolean;
  /** How many times the process was restarted (run: always). */
  restarts?: number;
}

export interface ResourceFacts {
  generation?: number;
  now: Date;
  previous?: readonly Condition[];
  /** Unparseable dependency references: reported, never dropped. */
  dependencyErrors?: readonly string[];
  /** The dependency cycle this Resource is on, as keys `[a, b, a]`. */
  cycle?: readonly string[];
  dependencies: readonly DependencyState[];
  /** Absent while the workload is not created (dependencies not Ready). */
  workload?: WorkloadState;
  assertions: { total: number; results: readonly AssertionStatus[] };
  timeouts?: { dependenciesSeconds?: number; readySeconds?: number };
  /** When waiting for dependencies began (creation or last spec change). */
  waitingSince?: Date;
}

export interface ResourceEvaluation {
  conditions: Condition[];
  ready: boolean;
  /** Every dependency is Ready: the workload may exist. */
  dependenciesReady: boolean;
  /** `passed/total`. */
  assertionsSummary: string;
}

type Verdict = Pick<Condition, 'status' | 'reason' | 'message'> & {
  /** Waiting cannot help (a timeout ran out, a cycle, a failed workload): the Resource is Stalled. */
  terminal?: boolean;
};

/**
 * The conditions of a Resource from what is known of it. Pure: the operator and the Docker
 * target both call it, so the two report the same states with the same reasons.
 * Ready = DependenciesReady ∧ Available ∧ AssertionsPassed.
 */
export function evaluateResource(facts: ResourceFacts): ResourceEvaluation {
  const dependencies = dependenciesVerdict(facts);
  const available = availableVerdict(facts, dependencies.status === 'True');
  const passed = facts.assertions.results.filter((r) => r.passed).length;
  const assertions = assertionsVerdict(facts, available.status === 'True');
  const blocking = [dependencies, available, assertions].find((v) => v.status !== 'True');
  const ready: Verdict = blocking
    ? { status: 'False', reason: blocking.reason, message: blocking.message }
    : facts.workload?.completed
      ? { status: 'True', reason: REASON.Completed, message: facts.workload.message }
      : { status: 'True', reason: REASON.Ready, message: 'dependencies Ready, workload available, assertions passed' };
  const conditions = [
    [CONDITION_READY, ready],
    [CONDITION_DEPENDENCIES_READY, dependencies],
    [CONDITION_AVAILABLE, available],
    [CONDITION_ASSERTIONS_PASSED, assertions],
    // Abnormal-true: only while it holds (kstatus reads Stalled=True as Failed).
    ...(blocking?.terminal ? [[CONDITION_STALLED, { status: 'True', reason: blocking.reason, message: blocking.message }]] : []),
  ].map(([type, verdict]) => condition(type as string, verdict as Verdict, facts));
  return {
    conditions,
    ready: ready.status === 'True',
    dependenciesReady: dependencies.status === 'True',
    assertionsSummary: `${passed}/${facts.assertions.total}`,
  };
}

function dependenciesVerdict(facts: ResourceFacts): Verdict {
  if (facts.dependencyErrors?.length) return { status: 'False', reason: REASON.InvalidDependency, message: facts.dependencyErrors.join('; '), terminal: true };
  if (facts.cycle?.length) return { status: 'False', reason: REASON.DependencyCycle, message: `dependency cycle: ${facts.cycle.join(' → ')}`, terminal: true };
  const refused = facts.dependencies.filter((d) => d.notPermitted);
  if (refused.length > 0) {
    const byWhy = new Map<string, string[]>();
    for (const d of refused) byWhy.set(d.notPermitted!, [...(byWhy.get(d.notPermitted!) ?? []), refKey(d.ref)]);
    return { status: 'False', reason: REASON.DependencyNotPermitted, message: [...byWhy].map(([why, refs]) => `${refs.join(', ')}: ${why}`).join('; ') };
  }
  const missing = facts.dependencies.filter((d) => !d.found);
  if (missing.length > 0)
    return { status: 'False', reason: REASON.DependencyNotFound, message: missing.map((d) => `waiting for ${refKey(d.ref)}: not found`).join('; ') };
  const waiting = facts.dependencies.filter((d) => !d.ready);
  if (waiting.length === 0) return { status: 'True', reason: REASON.AllDependenciesReady, message: facts.dependencies.length ? `${facts.dependencies.length} dependencies Ready` : 'no dependencies' };
  const message = [...new Set(waiting.map(rootBlocker))].join('; ');
  if (exceeded(facts.waitingSince, facts.timeouts?.dependenciesSeconds, facts.now))
    return { status: 'False', reason: REASON.Stalled, message: `dependencies not Ready after ${facts.timeouts!.dependenciesSeconds}s: ${message}`, terminal: true };
  const stalled = waiting.filter((d) => d.stalled);
  // A failure is no passing message: it says why (and changes only when the failure does).
  if (stalled.length > 0) return { status: 'False', reason: REASON.DependencyFailed, message: [...new Set(stalled.map(failedDependency))].join('; '), terminal: true };
  return { status: 'False', reason: REASON.WaitingForDependencies, message };
}

/**
 * What a waiting Resource says: the dependency it waits for, by name. Not that dependency's own
 * message, nor the root of the chain: copied down, every change upstream ("Pending" →
 * "Starting") would rewrite every Resource below it, one hop at a time. The root is found when
 * the stack is read (`rootBlockers`, used by `clockwork status`, `deploy()` and the Composite
 * roll-up).
 */
export function rootBlocker(dep: DependencyState): string {
  return `waiting for ${refKey(dep.ref)}`;
}

/** A dependency that failed for good (Stalled), with why: the root of the failure, as it says it. */
function failedDependency(dep: DependencyState): string {
  if (dep.blockedByDependencies && dep.message) return dep.message;
  return `waiting for ${refKey(dep.ref)}: ${dep.message ?? 'Stalled'}`;
}

function availableVerdict(facts: ResourceFacts, dependenciesReady: boolean): Verdict {
  const w = facts.workload;
  if (!w) return { status: 'False', reason: dependenciesReady ? REASON.Creating : REASON.WaitingForDependencies, message: dependenciesReady ? 'creating the workload' : 'the workload is created once every dependency is Ready' };
  if (w.ready) return { status: 'True', reason: w.completed ? REASON.Completed : REASON.WorkloadReady, message: w.message };
  const timedOut = exceeded(w.since, facts.timeouts?.readySeconds, facts.now);
  if (!w.failed && timedOut) return { status: 'False', reason: REASON.Stalled, message: `not Ready after ${facts.timeouts!.readySeconds}s: ${w.message}`, terminal: true };
  // Failing but retried (CrashLoopBackOff) is still in progress, until its readiness budget runs out.
  return { status: 'False', reason: w.reason, message: w.message, ...(w.terminal || (w.failed && timedOut) ? { terminal: true } : {}) };
}

function assertionsVerdict(facts: ResourceFacts, available: boolean): Verdict {
  const { total, results } = facts.assertions;
  if (total === 0) return { status: 'True', reason: REASON.NoAssertions, message: 'no assertions declared' };
  if (!available && results.length === 0) return { status: 'Unknown', reason: REASON.NotChecked, message: 'assertions start once the workload is available' };
  const failing = results.filter((r) => !r.passed);
  if (results.length < total) return { status: 'Unknown', reason: REASON.Checking, message: `${results.length}/${total} assertions checked` };
  if (failing.length > 0) return { status: 'False', reason: REASON.AssertionFailed, message: failing.map((r) => `${r.name}: ${r.message}`).join('; ') };
  return { status: 'True', reason: REASON.AllPassed, message: `${total}/${total} assertions passed` };
}

function exceeded(since: Date | undefined, seconds: number | undefined, now: Date): boolean {
  return since !== undefined && seconds !== undefined && now.getTime() - since.getTime() > seconds * 1000;
}

/** A condition whose lastTransitionTime moves only when its status changes. */
export function condition(type: string, verdict: Verdict, facts: { previous?: readonly Condition[] | undefined; now: Date; generation?: number }): Condition {
  const before = facts.previous?.find((c) => c.type === type);
  return {
    type,
    status: verdict.status,
    reason: verdict.reason,
    message: verdict.message,
    lastTransitionTime: before && before.status === verdict.status ? before.lastTransitionTime : facts.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(facts.generation !== undefined ? { observedGeneration: facts.generation } : {}),
  };
}

/** A descendant's state, for a Composite's roll-up. */
export interface DescendantState {
  key: string;
  ready: boolean;
  message?: string;
  blockedByDependencies?: boolean;
  /** Its Stalled condition is True: the Composite cannot become Ready without a change. */
  stalled?: boolean;
}

/** True when an object's conditions say it is Stalled (kstatus: Failed). */
export function isStalled(conditions: readonly Condition[] | undefined): boolean {
  return conditions?.some((c) => c.type === CONDITION_STALLED && c.status === 'True') ?? false;
}

/** A Composite is Ready when every Resource below it is; the message names the root blockers. */
export function evaluateComposite(facts: { descendants: readonly DescendantState[]; previous?: readonly Condition[]; now: Date; generation?: number }): {
  conditions: Condition[];
  ready: boolean;
  readyCount: number;
  totalCount: number;
} {
  const total = facts.descendants.length;
  const notReady = facts.descendants.filter((d) => !d.ready);
  const readyCount = total - notReady.length;
  // Only those blocked by their own workload are roots; the rest point at them.
  const roots = notReady.filter((d) => !d.blockedByDependencies);
  // A Stalled descendant stalls the Composite: its own failures are named first.
  const stalled = notReady.filter((d) => d.stalled);
  const named = stalled.length ? stalled : roots.length ? roots : notReady;
  const shown = named.slice(0, 5).map((d) => `${d.key}: ${d.message ?? 'not Ready'}`);
  const summary = `${readyCount}/${total} Resources Ready; ${shown.join('; ')}${named.length > 5 ? `; and ${named.length - 5} more` : ''}`;
  const verdict: Verdict =
    total === 0
      ? { status: 'False', reason: REASON.Empty, message: 'no Resources belong to this Composite' }
      : notReady.length === 0
        ? { status: 'True', reason: REASON.AllReady, message: `${readyCount}/${total} Resources Ready` }
        : stalled.length > 0
          ? { status: 'False', reason: REASON.Stalled, message: summary }
          : { status: 'False', reason: REASON.Waiting, message: summary };
  const conditions = [condition(CONDITION_READY, verdict, facts), ...(stalled.length > 0 ? [condition(CONDITION_STALLED, { status: 'True', reason: REASON.ResourceStalled, message: summary }, facts)] : [])];
  return { conditions, ready: verdict.status === 'True', readyCount, totalCount: total };
}
