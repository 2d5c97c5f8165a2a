// The words both targets use for restarts and tasks, and the conditions they lead to.
import { describe, expect, test } from '@jest/globals';
import { crashLoopState, evaluateResource, restartNote, taskState, type ResourceFacts } from '../../sdk/src/engine/index.ts';

const now = new Date('2026-01-01T00:00:10Z');
const base: ResourceFacts = { now, dependencies: [], assertions: { total: 0, results: [] } };
const conditions = (facts: ResourceFacts) => Object.fromEntries(evaluateResource(facts).conditions.map((c) => [c.type, c]));

describe('tasks (run: once)', () => {
  test('a task that exited 0 is Ready with reason Completed, in Ready and Available', () => {
    const c = conditions({ ...base, workload: taskState({ phase: 'succeeded', failures: 0, backoffLimit: 3 }) });
    expect(c.Ready).toMatchObject({ status: 'True', reason: 'Completed', message: 'task completed (exit code 0)' });
    expect(c.Available).toMatchObject({ status: 'True', reason: 'Completed' });
  });

  test('after failed attempts it says how many', () => {
    expect(taskState({ phase: 'succeeded', failures: 2, backoffLimit: 3 }).message).toBe('task completed (exit code 0 after 2 times failed)');
  });

  test('a failed task: reason Failed, the exit code, the attempts and the last log lines', () => {
    const state = taskState({ phase: 'failed', failures: 2, backoffLimit: 1, exitCode: 3, lastLines: ['migrating', 'ERROR: relation "items" already exists'] });
    expect(state).toMatchObject({ ready: false, failed: true, terminal: true, reason: 'Failed' });
    expect(state.message).toBe('task failed: exit code 3 on attempt 2 of 2 (backoffLimit 1); last log lines:\n    migrating\n    ERROR: relation "items" already exists');
    expect(conditions({ ...base, workload: state }).Ready).toMatchObject({ status: 'False', reason: 'Failed' });
  });

  test('a failed task with no output says so', () => {
    expect(taskState({ phase: 'failed', failures: 1, backoffLimit: 0, exitCode: 1, lastLines: [] }).message).toBe('task failed: exit code 1 on attempt 1 of 1 (backoffLimit 0); no log output');
  });

  test('between retries it is not failed: waiting helps', () => {
    const state = taskState({ phase: 'retrying', failures: 1, backoffLimit: 3, exitCode: 1 });
    expect(state).toMatchObject({ ready: false, reason: 'Retrying', message: 'task exited with code 1; attempt 2 of 4 starts after a back-off' });
    expect(state.failed).toBeUndefined();
  });

  test('running and pending', () => {
    expect(taskState({ phase: 'running', failures: 0, backoffLimit: 3 })).toMatchObject({ reason: 'Running', running: true, message: 'task running (attempt 1 of 4)' });
    expect(taskState({ phase: 'pending', failures: 0, backoffLimit: 3, detail: 'Pod not scheduled' })).toMatchObject({ reason: 'Pending', message: 'task not started yet: Pod not scheduled' });
  });

  test('a readiness timeout never turns a completed task into Stalled', () => {
    const c = conditions({ ...base, timeouts: { readySeconds: 1 }, workload: { ...taskState({ phase: 'succeeded', failures: 0, backoffLimit: 3 }), since: new Date('2025-01-01T00:00:00Z') } });
    expect(c.Ready).toMatchObject({ status: 'True', reason: 'Completed' });
  });
});

describe('restarts (run: always)', () => {
  test('a crash loop: CrashLoopBackOff with the count and the exit code (its output is the reporter\'s logTail); failed but not terminal', () => {
    const state = crashLoopState({ restarts: 4, backingOff: true, lastExitCode: 1 });
    expect(state).toMatchObject({ ready: false, failed: true, reason: 'CrashLoopBackOff', restarts: 4 });
    expect(state.terminal).toBeUndefined();
    expect(state.message).toBe('the process keeps exiting: restarted 4 times, waiting out a back-off before the next start; last exit code 1');
    expect(conditions({ ...base, workload: state }).Ready).toMatchObject({ status: 'False', reason: 'CrashLoopBackOff' });
  });

  test('a running workload notes its restarts', () => {
    expect(restartNote(0)).toBe('');
    expect(restartNote(1)).toBe('; restarted 1 time');
  });
});
