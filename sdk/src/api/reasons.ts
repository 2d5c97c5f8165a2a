/**
 * The reasons Clockwork writes into conditions (one CamelCase word each, as the Kubernetes API
 * conventions ask), and which of them mean "failed" rather than "on its way". A backend may
 * report other workload reasons as it finds them (a kubelet's `CreateContainerConfigError`).
 */
export const REASON = {
  // Ready, DependenciesReady
  Ready: 'Ready',
  AllDependenciesReady: 'AllDependenciesReady',
  WaitingForDependencies: 'WaitingForDependencies',
  DependencyNotFound: 'DependencyNotFound',
  /** A dependency in another namespace that has not consented (annotation clockwork.dev/allow-dependents-from). */
  DependencyNotPermitted: 'DependencyNotPermitted',
  DependencyCycle: 'DependencyCycle',
  InvalidDependency: 'InvalidDependency',
  Stalled: 'Stalled',
  /** A dependency is Stalled: this one cannot become Ready without a change either. */
  DependencyFailed: 'DependencyFailed',
  // Available: the engine's own, then the workload's as the backends report them
  Creating: 'Creating',
  WorkloadReady: 'WorkloadReady',
  WorkloadRejected: 'WorkloadRejected',
  /** A child object of that name exists and belongs to something else. */
  ChildConflict: 'ChildConflict',
  /** The workload or one of its parts is gone or changed behind Clockwork's back: it is restored. */
  Missing: 'Missing',
  /** A new spec's workload is on its way while the old one still answers. */
  Replacing: 'Replacing',
  /** A read-only pass found a workload built from another spec. */
  Outdated: 'Outdated',
  Starting: 'Starting',
  /** The workload (a Pod, the Job of an earlier spec) is being deleted. */
  Terminating: 'Terminating',
  Unhealthy: 'Unhealthy',
  Exited: 'Exited',
  OOMKilled: 'OOMKilled',
  NotStarted: 'NotStarted',
  StartFailed: 'StartFailed',
  InvalidSpec: 'InvalidSpec',
  ErrImagePull: 'ErrImagePull',
  ImagePullBackOff: 'ImagePullBackOff',
  CrashLoopBackOff: 'CrashLoopBackOff',
  /** A task (run: once) used up its retries. */
  Failed: 'Failed',
  /** A task (run: once) exited 0: Ready. */
  Completed: 'Completed',
  /** A task is running, or waits out a back-off before its next attempt. */
  Running: 'Running',
  Retrying: 'Retrying',
  /** A volume's claim is not bound yet (the claim's own Warning reason is used when there is one). */
  ClaimPending: 'ClaimPending',
  // AssertionsPassed
  NoAssertions: 'NoAssertions',
  NotChecked: 'NotChecked',
  Checking: 'Checking',
  AssertionFailed: 'AssertionFailed',
  AllPassed: 'AllPassed',
  // a Composite's Ready
  Empty: 'Empty',
  AllReady: 'AllReady',
  Waiting: 'Waiting',
  ResourceStalled: 'ResourceStalled',
  // reports of a target (never written to a cluster)
  NotApplied: 'NotApplied',
  Pending: 'Pending',
} as const;
export type Reason = (typeof REASON)[keyof typeof REASON];

/** Kubelet waiting reasons that waiting alone will not fix. */
export const KUBELET_FAILURE_REASONS: ReadonlySet<string> = new Set([
  REASON.CrashLoopBackOff,
  REASON.ImagePullBackOff,
  REASON.ErrImagePull,
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'ErrImageNeverPull',
]);

/** Ready reasons that no waiting fixes: the stack (or what it names) must change. */
export const STACK_FAILURE_REASONS: ReadonlySet<string> = new Set([REASON.Stalled, REASON.DependencyCycle, REASON.InvalidDependency, REASON.DependencyNotFound]);

/** Workload (Available) reasons, of either backend, that mean it failed rather than "not yet". */
export const WORKLOAD_FAILURE_REASONS: ReadonlySet<string> = new Set([
  ...KUBELET_FAILURE_REASONS,
  REASON.Exited,
  REASON.OOMKilled,
  REASON.NotStarted,
  REASON.StartFailed,
  REASON.InvalidSpec,
  REASON.Failed,
  REASON.ChildConflict,
  REASON.WorkloadRejected,
]);

/** Workload reasons no restart or wait fixes (a task out of retries, a child name taken): a wait for Ready can end. */
export const FINAL_WORKLOAD_REASONS: ReadonlySet<string> = new Set([REASON.Failed, REASON.ChildConflict]);

/** Failed, not on its way: what a report names as the root cause before Resources that merely wait. */
export function isFailureReason(reason: string): boolean {
  return STACK_FAILURE_REASONS.has(reason) || WORKLOAD_FAILURE_REASONS.has(reason) || reason === REASON.AssertionFailed;
}
