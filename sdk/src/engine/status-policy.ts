import { CONDITION_READY, CONDITION_STALLED, type Condition } from '../api/index.ts';
import { canonicalJson } from './spec-hash.ts';

/**
 * Ready reasons of a state that is merely on its way (a dependency coming up, a Pod starting,
 * assertions not checked yet): worth showing only once it lasts. Any other reason (a failure, a
 * timeout, a cycle, a reason this list does not know) is written at once.
 */
export const PASSING_REASONS: ReadonlySet<string> = new Set([
  'WaitingForDependencies',
  'DependencyNotFound',
  'Creating',
  'Pending',
  'Starting',
  'ContainerCreating',
  'PodInitializing',
  'Terminating',
  'Replacing',
  // A volume's claim on its way to Bound; a task (run: once) running its attempt.
  'ClaimPending',
  'Running',
  'Checking',
  'NotChecked',
  // A Composite: its Resources are on their way, or not created yet.
  'Waiting',
  'Empty',
]);

/** Status as the policy sees it: conditions, and anything else to compare. */
interface StatusLike {
  conditions?: readonly Condition[] | undefined;
}

export type StatusWrite =
  /** Nothing differs from what the API server has. */
  | { write: 'none' }
  | { write: 'now' }
  /** A passing state: write it if it still holds after `afterMs`. */
  | { write: 'later'; afterMs: number };

export interface StatusWriteFacts {
  /** The status the API server has (undefined: never written). */
  written: StatusLike | undefined;
  desired: StatusLike;
  /** When the desired status first differed from the written one without being written (ms, any clock). */
  differsSinceMs: number;
  nowMs: number;
  /** How long a passing state must last before it is written. */
  settleMs: number;
}

/**
 * When a computed status goes to the API server. Ready turning True or False, a failure, a
 * Stalled condition: at once — they are what users, `kubectl wait`, kstatus tools and
 * dependents act on. A passing state (waiting, creating, starting) only once it has lasted
 * `settleMs`: most last milliseconds, and writing each would multiply the writes per Resource
 * (kstatus reads a Resource with no status yet as InProgress, which is the truth).
 */
export function statusWrite(facts: StatusWriteFacts): StatusWrite {
  const { written, desired } = facts;
  if (written && canonicalJson(written) === canonicalJson(desired)) return { write: 'none' };
  const ready = (s: StatusLike | undefined) => s?.conditions?.find((c) => c.type === CONDITION_READY);
  const stalled = (s: StatusLike | undefined) => s?.conditions?.some((c) => c.type === CONDITION_STALLED && c.status === 'True') ?? false;
  const now = ready(desired);
  if (!now || now.status === 'True' || ready(written)?.status === 'True') return { write: 'now' };
  if (stalled(desired) || stalled(written) || !PASSING_REASONS.has(now.reason)) return { write: 'now' };
  const waited = facts.nowMs - facts.differsSinceMs;
  return waited >= facts.settleMs ? { write: 'now' } : { write: 'later', afterMs: facts.settleMs - waited };
}
