export { runAssertion, type AssertionResult } from './run-assertion.ts';
export { nextAssertionStatus, nextCheckDelayMs } from './tracker.ts';
export { directTarget } from './direct-target.ts';
export { ASSERTION_DEFAULTS, type AssertionTarget } from './target.ts';
