import { CONDITION_READY, REASON, type AssertionStatus, type ResourceObject, type ResourceStatus } from '../api/index.ts';
import { nextAssertionStatus, nextCheckDelayMs } from '../assertions/tracker.ts';
import { runAssertion } from '../assertions/run-assertion.ts';
import { assertionNames } from '../api/index.ts';
import type { StateView, WorkloadBackend } from './backend.ts';
import { evaluateResource, isReady, readinessOf, type DependencyState } from './conditions.ts';
import { directDependencies, refKey, resourceRef } from './dependencies.ts';
import { StateGraph } from './state-graph.ts';
import { completedEarlierState } from './process-states.ts';
import { desiredWorkload, endpointOf, type DependencyEndpoint } from './workload.ts';

export interface ReconcileOptions {
  view: StateView;
  backend: WorkloadBackend;
  now?: () => Date;
  /** Attempts so far per assertion that has not passed yet (for the start-up backoff). */
  attempts?: Map<string, number>;
  /** Observe and evaluate only: never create or replace a workload (`clockwork status`, `assert`). */
  readOnly?: boolean;
}

export interface ReconcileOutcome {
  status: ResourceStatus;
  /** Check again after this long (assertions due, readiness pending); undefined: wait for an event. */
  requeueAfterMs?: number;
  /** Transitions a user would want to see, for Kubernetes Events or progress output. */
  events: { type: 'Normal' | 'Warning'; reason: string; message: string }[];
}

/**
 * One level-triggered pass over a Resource: read its dependencies from the view, create or repair
 * its workload once they are all Ready, run the assertions that are due, and compute its status.
 * Both the operator and the Docker target call this; only the backend differs.
 */
export async function reconcileResource(resource: ResourceObject, options: ReconcileOptions): Promise<ReconcileOutcome> {
  const now = options.now?.() ?? new Date();
  const namespace = resource.metadata.namespace ?? 'default';
  const previous = resource.status;
  const events: ReconcileOutcome['events'] = [];
  const graph = new StateGraph(options.view);
  const { errors } = directDependencies(resource);
  const allRefs = graph.declaredDependencies(resource);
  const cycle = graph.cycleOf(resource);
  // What each declared dependency stands for now: one Resource, or every Resource below a
  // Composite. Another namespace's objects only with its consent, and then only whether they
  // are Ready: never their messages (nor, without consent, whether they exist).
  const refusal = (ref: { namespace: string }) => (ref.namespace === namespace ? undefined : options.view.dependencyRefusal?.(namespace, ref.namespace));
  const expanded = allRefs.map((ref) => {
    const notPermitted = refusal(ref);
    return notPermitted ? { ref, notPermitted, found: false, resources: [] as ResourceObject[] } : { ref, ...graph.expand(ref) };
  });
  const dependencies = expanded.flatMap((e): DependencyState[] => {
    if ('notPermitted' in e) return [{ ref: e.ref, found: true, ready: false, notPermitted: e.notPermitted }];
    if (!e.found) return [{ ref: e.ref, found: false, ready: false }];
    return e.resources.map((r) => {
      const ref = resourceRef(r);
      return ref.namespace === namespace ? { ref, found: true, ...readinessOf(r) } : { ref, found: true, ready: readinessOf(r).ready };
    });
  });
  const dependencyEndpoints: DependencyEndpoint[] = expanded.flatMap(({ resources }) => resources.map((r) => endpointOf(r, options.backend.hostOf({ namespace: r.metadata.namespace ?? 'default', name: r.metadata.name }))));

  const assertionsTotal = resource.spec.assertions?.length ?? 0;
  const allDependenciesReady = errors.length === 0 && !cycle && dependencies.every((d) => d.found && d.ready);
  let workloadState;
  let results: AssertionStatus[] = [];
  let requeueAfterMs: number | undefined;
  const workload = desiredWorkload(resource, { dependencies: dependencyEndpoints, ancestors: graph.ancestorsOf(resource) });
  let observed = await options.backend.observe(workload);
  const filesDiffer = (o: typeof observed) => o?.filesHash !== undefined && o.filesHash !== workload.filesHash;
  // A task that completed never runs again while its spec is unchanged, not even when its
  // workload has been removed since (a Job deleted by hand): its status remembers.
  if (!observed && workload.run === 'once' && completedBefore(resource, workload.hash)) observed = { hash: workload.hash, state: completedEarlierState() };
  // A workload that exists keeps running if a dependency later becomes unready; it is only
  // created once every dependency is Ready, and replaced (or its files updated) only then too.
  if (!options.readOnly && allDependenciesReady && !observed?.foreign && (!observed || observed.hash !== workload.hash || observed.state.reason === REASON.Missing || filesDiffer(observed))) {
    await options.backend.apply(workload, observed);
    const files = workload.files.length === 1 ? workload.files[0]!.mountPath : `${workload.files.length} files`;
    events.push(
      !observed
        ? previous?.specHash === workload.hash
          ? { type: 'Normal', reason: 'Recreated', message: `workload was gone; recreated from ${workload.image}` }
          : { type: 'Normal', reason: 'Created', message: `workload created from ${workload.image}` }
        : observed.hash !== workload.hash
          ? { type: 'Normal', reason: 'Replaced', message: `workload replaced: spec changed (${observed.hash} → ${workload.hash})` }
          : filesDiffer(observed)
            ? { type: 'Normal', reason: 'FilesUpdated', message: `files updated in place (${files}); the workload keeps running` }
            : { type: 'Normal', reason: 'Repaired', message: `workload repaired: ${observed.state.message}` },
    );
    observed = await options.backend.observe(workload);
  }
  if (observed) {
    workloadState = observed.state;
    // Read-only passes never replace anything: say that what runs is not what the stack says.
    if (options.readOnly && observed.hash !== workload.hash)
      workloadState = { ...observed.state, ready: false, failed: false, reason: REASON.Outdated, message: `the workload runs another spec than the stack's (${observed.hash || 'unknown'} ≠ ${workload.hash}): run apply` };
    // Replaced, but the old one still answers (a Pod being deleted): the new spec is not running yet.
    // (No hash: not this Resource's workload at all, and the backend says so.)
    else if (!options.readOnly && allDependenciesReady && observed.hash && observed.hash !== workload.hash)
      workloadState = { ready: false, reason: REASON.Replacing, message: `replacing the workload: its spec changed (${observed.hash || 'unknown'} → ${workload.hash})` };
    else if (options.readOnly && filesDiffer(observed))
      workloadState = { ...observed.state, ready: false, failed: false, reason: REASON.Outdated, message: "the workload's files differ from the stack's: run apply" };
    // Assertions start once the workload is Available; once started (or when asked for
    // explicitly, read-only) they go on while it runs, so a broken dependency shows in them.
    const started = (previous?.assertions?.length ?? 0) > 0 || options.readOnly === true;
    if (observed.retryAfterMs !== undefined) requeueAfterMs = observed.retryAfterMs;
    if (!observed.foreign && observed.hash === workload.hash && (observed.state.ready || (observed.state.running === true && started))) {
      const due = dueAssertions(resource, previous?.assertions ?? [], now);
      const target = options.backend.assertionTarget(workload);
      const ports = resource.spec.ports ?? [];
      const names = assertionNames(resource.spec.assertions ?? []);
      const checked = await Promise.all(
        (resource.spec.assertions ?? []).map(async (spec, i) => {
          const name = names[i]!;
          const before = previous?.assertions?.find((a) => a.name === name);
          if (!due.has(name) && before) return before;
          const status = nextAssertionStatus(before, await runAssertion(spec, ports, target, { name }), spec, now);
          const attempts = status.passed ? 0 : (options.attempts?.get(`${refKey(resourceRef(resource))}#${name}`) ?? 0) + 1;
          options.attempts?.set(`${refKey(resourceRef(resource))}#${name}`, attempts);
          if (before && before.passed !== status.passed)
            events.push(status.passed ? { type: 'Normal', reason: 'AssertionPassed', message: `${name}: ${status.message}` } : { type: 'Warning', reason: 'AssertionFailed', message: `${name}: ${status.message}` });
          return status;
        }),
      );
      results = checked;
      for (const [i, spec] of (resource.spec.assertions ?? []).entries()) {
        const status = checked[i];
        const attempts = options.attempts?.get(`${refKey(resourceRef(resource))}#${names[i]}`) ?? 0;
        const delay = nextCheckDelayMs(status, spec, attempts);
        requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, delay);
      }
    }
  }

  const evaluation = evaluateResource({
    now,
    generation: resource.metadata.generation,
    previous: previous?.conditions,
    dependencyErrors: errors,
    cycle,
    dependencies,
    ...(workloadState ? { workload: workloadState } : {}),
    assertions: { total: assertionsTotal, results },
    ...(resource.spec.timeouts ? { timeouts: resource.spec.timeouts } : {}),
    waitingSince: new Date(resource.metadata.creationTimestamp ?? now.toISOString()),
  });
  const wasReady = isReady(resource);
  if (evaluation.ready !== wasReady && previous?.conditions)
    events.push(evaluation.ready ? { type: 'Normal', reason: 'Ready', message: 'Resource is Ready' } : { type: 'Warning', reason: 'NotReady', message: evaluation.conditions[0]!.message });
  const status: ResourceStatus = {
    ...(resource.metadata.generation !== undefined ? { observedGeneration: resource.metadata.generation } : {}),
    conditions: evaluation.conditions,
    ...(assertionsTotal > 0 ? { assertions: results } : {}),
    assertionsSummary: evaluation.assertionsSummary,
    dependencies: allRefs.map(refKey),
    ...(observed ? { specHash: observed.hash } : {}),
    ...(observed?.state.restarts ? { restarts: observed.state.restarts } : {}),
  };
  return { status, events, ...(requeueAfterMs !== undefined && Number.isFinite(requeueAfterMs) ? { requeueAfterMs } : {}) };
}

/** The Resource's status says its task completed with this spec. */
function completedBefore(resource: ResourceObject, hash: string): boolean {
  const ready = resource.status?.conditions?.find((c) => c.type === CONDITION_READY);
  return resource.status?.specHash === hash && ready?.status === 'True' && ready.reason === REASON.Completed;
}

/** Assertions whose interval has passed since they were last checked (or never were). */
function dueAssertions(resource: ResourceObject, previous: readonly AssertionStatus[], now: Date): Set<string> {
  const due = new Set<string>();
  const names = assertionNames(resource.spec.assertions ?? []);
  for (const [i, spec] of (resource.spec.assertions ?? []).entries()) {
    const name = names[i]!;
    const before = previous.find((a) => a.name === name);
    if (!before?.lastCheckedTime) {
      due.add(name);
      continue;
    }
    // A failing assertion is due after its backoff, not on every pass: the operator reconciles
    // on every watch event, and its own status write (a new lastCheckedTime) is one.
    // One schedule for both: the interval once passed, the backoff while failing (and its default).
    const wait = nextCheckDelayMs(before, spec, before.consecutiveFailures ?? 0);
    if (now.getTime() - Date.parse(before.lastCheckedTime) >= wait - 50) due.add(name);
  }
  return due;
}
