import { CONDITION_AVAILABLE, CONDITION_READY, REASON, STACK_FAILURE_REASONS, WORKLOAD_FAILURE_REASONS, type ResourceObject } from '../api/index.ts';
import { isReady, reconcileResource, StateGraph, systemClock, WorkQueue, type Clock, type WorkloadBackend } from '../engine/index.ts';
import { DependentsIndex } from '../graph/index.ts';
import type { MemoryStateView } from './memory-state-view.ts';

export interface ConvergeOptions {
  view: MemoryStateView;
  backend: WorkloadBackend;
  /** Called with a Resource name whenever the caller should be able to wake it (backend events). */
  setWaker: (wake: (name: string) => void) => void;
  timeoutMs: number;
  /** A Resource changed state: its Ready reason changed, or an engine event happened. */
  onTransition?: (resource: ResourceObject, what: { reason: string; message: string; ready: boolean; event?: boolean }) => void;
  onError?: (resource: string, error: unknown) => void;
  workers?: number;
  /**
   * Keep converging after the stack settled, until this aborts (`clockwork dev`): workloads that
   * go missing are repaired, readiness is probed and assertions run on their schedule. The
   * result then comes through `onSettled` (once), and converge resolves when the signal aborts.
   */
  keepUntil?: AbortSignal;
  onSettled?: (result: ConvergeResult) => void;
  /** Time for the deadline, the elapsed figure and the queue's backoff (tests drive it by hand). */
  clock?: Clock;
  /** The wall clock of the conditions' times. */
  now?: () => Date;
}

export interface ConvergeResult {
  ready: boolean;
  timedOut: boolean;
  elapsedMs: number;
}

/** A server that keeps crashing fails the apply once restarted this often; one crash while starting is waited out. */
export const CRASH_LOOP_RESTARTS = 3;

/**
 * True when this Resource cannot become Ready in this run without a change of the stack: the
 * stack is wrong, its workload failed, or its process keeps crashing although it is restarted.
 */
export function isTerminal(resource: ResourceObject): boolean {
  const conditions = resource.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === CONDITION_READY);
  const available = conditions.find((c) => c.type === CONDITION_AVAILABLE);
  if (ready?.status === 'False' && STACK_FAILURE_REASONS.has(ready.reason)) return true;
  if (available?.status !== 'False' || !WORKLOAD_FAILURE_REASONS.has(available.reason)) return false;
  return available.reason !== REASON.CrashLoopBackOff || (resource.status?.restarts ?? 0) >= CRASH_LOOP_RESTARTS;
}

/**
 * Drives the shared engine over every Resource of a stack held in memory until all are Ready or
 * none can progress. No ordering logic lives here: `reconcileResource` gates each workload on
 * its dependencies; this loop only wakes a Resource's dependents when its Ready flips (an index
 * from dependency to dependents), and wakes a Resource when its backend reports a change.
 */
export async function converge(options: ConvergeOptions): Promise<ConvergeResult> {
  const { view } = options;
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const resources = view.resources;
  if (resources.length === 0) {
    const empty = { ready: true, timedOut: false, elapsedMs: 0 };
    if (!options.keepUntil) return empty;
    options.onSettled?.(empty);
    if (!options.keepUntil.aborted) await new Promise((resolve) => options.keepUntil!.addEventListener('abort', resolve, { once: true }));
    return empty;
  }
  const nameOf = (r: ResourceObject) => r.metadata.name;
  const graph = new StateGraph(view);
  const dependencies = new Map(resources.map((r) => [nameOf(r), graph.dependenciesOf(r)]));
  const dependents = new DependentsIndex();
  for (const [name, deps] of dependencies) dependents.set(name, deps.map(nameOf));
  const queue = new WorkQueue<string>({ baseDelayMs: 100, maxDelayMs: 5_000, clock });
  options.setWaker((name) => queue.add(name));
  const attempts = new Map<string, number>();

  let finish: (timedOut: boolean) => void = () => undefined;
  const finished = new Promise<boolean>((resolve) => (finish = resolve));
  let settledOnce = false;
  const settle = (timedOut: boolean) => {
    if (settledOnce) return;
    settledOnce = true;
    clock.clearTimeout(timer);
    if (!options.keepUntil) return finish(timedOut);
    options.onSettled?.({ ready: resources.every(isReady), timedOut, elapsedMs: Math.round(clock.now() - started) });
  };
  const timer = clock.setTimeout(() => settle(true), options.timeoutMs);
  if (options.keepUntil) {
    if (options.keepUntil.aborted) finish(false);
    else options.keepUntil.addEventListener('abort', () => finish(false), { once: true });
  }

  const blocked = (r: ResourceObject, seen = new Set<string>()): boolean => {
    if (isTerminal(r)) return true;
    if (seen.has(nameOf(r))) return false;
    seen.add(nameOf(r));
    return (dependencies.get(nameOf(r)) ?? []).some((d) => !isReady(d) && blocked(d, seen));
  };
  // Only what this run has looked at counts: a status carried over from an earlier run (dev
  // after a save) says nothing yet of the new spec.
  const seen = new Set<string>();
  const settled = () => resources.every((r) => seen.has(nameOf(r)) && (isReady(r) || blocked(r)));

  const reconcile = async (name: string) => {
    const resource = resources.find((r) => nameOf(r) === name);
    if (!resource) return;
    const before = resource.status?.conditions?.find((c) => c.type === CONDITION_READY);
    const outcome = await reconcileResource(resource, { view, backend: options.backend, attempts, ...(options.now ? { now: options.now } : {}) });
    resource.status = outcome.status;
    seen.add(name);
    const after = outcome.status.conditions!.find((c) => c.type === CONDITION_READY)!;
    for (const event of outcome.events) if (event.reason !== 'Ready' && event.reason !== 'NotReady') options.onTransition?.(resource, { reason: event.reason, message: event.message, ready: after.status === 'True', event: true });
    if (before?.reason !== after.reason || before?.status !== after.status) {
      // The first pass runs before dependencies are evaluated: waiting then is no news.
      const noise = before === undefined && after.reason === REASON.WaitingForDependencies;
      if (!noise) options.onTransition?.(resource, { reason: after.reason, message: after.message, ready: after.status === 'True' });
      for (const d of dependents.dependentsOf(name)) queue.add(d);
    }
    if (!settledOnce && settled()) settle(false);
    if (outcome.requeueAfterMs !== undefined) return { requeueAfterMs: outcome.requeueAfterMs };
    // Backend events wake a Resource at once; this slow tick only catches timeouts.
    if (after.status !== 'True' && !isTerminal(resource)) return { requeueAfterMs: 1_000 };
    return undefined;
  };

  const running = queue.run(options.workers ?? 16, reconcile, (name, error) => options.onError?.(name, error));
  for (const r of resources) queue.add(nameOf(r));
  const timedOut = await finished;
  clock.clearTimeout(timer);
  settledOnce = true;
  queue.shutdown();
  await running;
  return { ready: resources.every(isReady), timedOut, elapsedMs: Math.round(clock.now() - started) };
}
