import { describe, expect, test } from '@jest/globals';
import type { Condition } from '../../sdk/src/api/index.ts';
import { statusWrite } from '../../sdk/src/engine/status-policy.ts';

const at = '2026-01-01T00:00:00Z';
const ready = (status: 'True' | 'False', reason: string, message = reason): Condition => ({ type: 'Ready', status, reason, message, lastTransitionTime: at });
const stalled = (reason: string): Condition => ({ type: 'Stalled', status: 'True', reason, message: reason, lastTransitionTime: at });
const status = (...conditions: Condition[]) => ({ conditions });
const decide = (written: ReturnType<typeof status> | undefined, desired: ReturnType<typeof status>, waitedMs = 0) => statusWrite({ written, desired, differsSinceMs: 1000, nowMs: 1000 + waitedMs, settleMs: 3000 });

describe('when a status is written', () => {
  test('what the API server already has is not written again', () => {
    expect(decide(status(ready('False', 'Starting')), status(ready('False', 'Starting')))).toEqual({ write: 'none' });
  });

  test('a passing state of a new Resource waits until it has lasted the settle time', () => {
    expect(decide(undefined, status(ready('False', 'WaitingForDependencies')))).toEqual({ write: 'later', afterMs: 3000 });
    expect(decide(undefined, status(ready('False', 'Starting')), 1200)).toEqual({ write: 'later', afterMs: 1800 });
    expect(decide(undefined, status(ready('False', 'Creating')), 3000)).toEqual({ write: 'now' });
    // one passing state after another (written once it lasted): still no hurry
    expect(decide(status(ready('False', 'WaitingForDependencies')), status(ready('False', 'Starting')))).toEqual({ write: 'later', afterMs: 3000 });
  });

  test('Ready, and leaving Ready, are written at once', () => {
    expect(decide(undefined, status(ready('True', 'Ready')))).toEqual({ write: 'now' });
    expect(decide(status(ready('False', 'Starting')), status(ready('True', 'Ready')))).toEqual({ write: 'now' });
    expect(decide(status(ready('True', 'Ready')), status(ready('False', 'Pending')))).toEqual({ write: 'now' });
  });

  test('failures, Stalled and reasons the policy does not know are written at once', () => {
    expect(decide(undefined, status(ready('False', 'CrashLoopBackOff')))).toEqual({ write: 'now' });
    expect(decide(undefined, status(ready('False', 'DependencyFailed'), stalled('DependencyFailed')))).toEqual({ write: 'now' });
    expect(decide(undefined, status(ready('False', 'SomethingNew')))).toEqual({ write: 'now' });
    // Stalled going away (a timeout raised, a dependency fixed) shows at once too
    expect(decide(status(ready('False', 'Stalled'), stalled('Stalled')), status(ready('False', 'Starting')))).toEqual({ write: 'now' });
  });
});
