import { describe, expect, test } from '@jest/globals';
import type { Condition, ResourceObject } from '../../sdk/src/api/index.ts';
import { rootBlockers, StateGraph } from '../../sdk/src/engine/index.ts';
import { MemoryStateView } from '../../sdk/src/targets/memory-state-view.ts';
import { stackReport } from '../../sdk/src/targets/stack-report.ts';

const at = '2026-01-01T00:00:00Z';
const cond = (type: string, status: 'True' | 'False', reason: string, message: string): Condition => ({ type, status, reason, message, lastTransitionTime: at });
const waiting = (on: string): Condition[] => [cond('Ready', 'False', 'WaitingForDependencies', `waiting for default/${on}`), cond('DependenciesReady', 'False', 'WaitingForDependencies', `waiting for default/${on}`)];
function resource(name: string, dependsOn: string[], conditions?: Condition[]): ResourceObject {
  return { apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', metadata: { name, namespace: 'default' }, spec: { image: 'busybox', dependsOn }, ...(conditions ? { status: { conditions } } : {}) } as ResourceObject;
}

// db (failing) ← api (waiting) ← worker (no status written yet) ← web (waiting); cache is Ready.
const objects = [
  resource('db', [], [cond('Ready', 'False', 'ImagePullBackOff', 'Pod not ready (ImagePullBackOff)'), cond('DependenciesReady', 'True', 'AllDependenciesReady', 'no dependencies')]),
  resource('cache', [], [cond('Ready', 'True', 'Ready', 'ready')]),
  resource('api', ['db', 'cache'], waiting('db')),
  resource('worker', ['api']),
  resource('web', ['worker', 'cache'], waiting('worker')),
];

describe('root blockers, found when a stack is read', () => {
  test('follow the chain of waiting Resources (and those with no status yet) to the one failing on its own', () => {
    const view = new MemoryStateView(objects);
    const graph = new StateGraph(view);
    expect(rootBlockers(view.getResource('default', 'web')!, graph)).toEqual([{ key: 'default/db', message: 'Pod not ready (ImagePullBackOff)' }]);
    expect(rootBlockers(view.getResource('default', 'db')!, graph)).toEqual([]);
  });

  test('the report says it where the status names only the direct dependency', () => {
    const report = stackReport({ target: 'kubernetes', namespace: 'default', view: new MemoryStateView(objects), order: ['db', 'cache', 'api', 'worker', 'web'], orphans: [], elapsedMs: 0 });
    expect(report.resources.find((r) => r.name === 'web')).toMatchObject({ reason: 'WaitingForDependencies', message: 'waiting for default/db: Pod not ready (ImagePullBackOff)' });
    // The conditions keep what the operator wrote.
    expect(report.resources.find((r) => r.name === 'web')!.conditions![0]!.message).toBe('waiting for default/worker');
  });

  test('a dependency loop is cut', () => {
    const view = new MemoryStateView([resource('a', ['b'], waiting('b')), resource('b', ['a'], waiting('a'))]);
    expect(rootBlockers(view.getResource('default', 'a')!, new StateGraph(view))).toEqual([]);
  });
});
