import type { AssertionSpec, AssertionStatus } from '../api/index.ts';
import type { AssertionResult } from './run-assertion.ts';
import { ASSERTION_DEFAULTS } from './target.ts';

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The reported status after a check. A passing assertion turns failed only after
 * `failureThreshold` consecutive failures; one that never passed is failed at once.
 */
export function nextAssertionStatus(previous: AssertionStatus | undefined, result: AssertionResult, spec: AssertionSpec, now: Date): AssertionStatus {
  const threshold = spec.failureThreshold ?? ASSERTION_DEFAULTS.failureThreshold;
  const consecutiveFailures = result.passed ? 0 : (previous?.consecutiveFailures ?? 0) + 1;
  const passed = result.passed || (previous?.passed === true && consecutiveFailures < threshold);
  const message = result.passed || !passed ? result.message : `${result.message} (failure ${consecutiveFailures} of ${threshold} before it counts)`;
  return {
    name: result.name,
    kind: result.kind,
    passed,
    message,
    lastCheckedTime: iso(now),
    lastTransitionTime: previous && previous.passed === passed && previous.lastTransitionTime ? previous.lastTransitionTime : iso(now),
    durationMs: result.durationMs,
    consecutiveFailures,
  };
}

/**
 * When to check again: every `intervalSeconds` once it has passed; before that on a short
 * backoff (250 ms doubling up to the interval), so a dependent starts soon after it passes.
 */
export function nextCheckDelayMs(status: AssertionStatus | undefined, spec: AssertionSpec, attemptsBeforeFirstPass: number): number {
  const interval = (spec.intervalSeconds ?? ASSERTION_DEFAULTS.intervalSeconds) * 1000;
  if (status?.passed) return interval;
  return Math.min(interval, 250 * 2 ** Math.min(attemptsBeforeFirstPass, 8));
}
