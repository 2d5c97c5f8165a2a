// `clockwork status --all` has no stack file: the tree comes from the report alone.
import { describe, expect, test } from '@jest/globals';
import { renderStatusAll, reportTree } from '../../sdk/src/cli/render-report.ts';
import type { CompositeReport, ResourceReport, StackReport } from '../../sdk/src/targets/target.ts';

const resource = (name: string, composite?: string, ready = true): ResourceReport => ({
  name,
  ...(composite ? { composite } : {}),
  ready,
  reason: ready ? 'Ready' : 'Starting',
  message: ready ? 'ok' : 'Pod not ready (ContainerCreating)',
  assertionsSummary: '0/0',
  assertions: [],
  dependencies: [],
});
const composite = (name: string, parent?: string): CompositeReport => ({ name, ...(parent ? { composite: parent } : {}), ready: true, reason: 'AllReady', message: '', readyCount: 1, totalCount: 1 });
const report = (namespace: string, resources: ResourceReport[], composites: CompositeReport[] = []): StackReport => ({
  target: 'kubernetes',
  namespace,
  ready: resources.every((r) => r.ready),
  resources,
  composites,
  orphans: [],
  elapsedMs: 1,
});

describe('status --all without a stack file', () => {
  test('nests Resources and Composites by their composite labels, top-level Resources first, in report order', () => {
    const tree = reportTree(report('shop', [resource('db', 'backend'), resource('metrics'), resource('api', 'webapp')], [composite('webapp'), composite('backend', 'webapp')]));
    expect(tree).toEqual([
      { kind: 'Resource', name: 'metrics' },
      { kind: 'Composite', name: 'webapp', children: [{ kind: 'Resource', name: 'api' }, { kind: 'Composite', name: 'backend', children: [{ kind: 'Resource', name: 'db' }] }] },
    ]);
  });

  test('loses nothing: a member of a missing Composite and Composites nested in a loop are still shown', () => {
    const tree = reportTree(report('odd', [resource('stray', 'gone'), resource('x', 'a')], [composite('a', 'b'), composite('b', 'a')]));
    expect(tree.map((n) => n.name)).toEqual(['stray', 'a']);
    expect(JSON.stringify(tree)).toContain('"name":"x"');
    expect(JSON.stringify(tree)).toContain('"name":"b"');
  });

  test('one section per namespace with every condition; a clear line when there is nothing', () => {
    const text = renderStatusAll([report('a', [resource('db', undefined, false)]), report('b', [resource('web')])], { namespace: undefined, target: 'kubernetes' });
    expect(text).toContain('Namespace "a" on kubernetes: 0/1 Resources Ready\n\n  db  ✗ Starting');
    expect(text).toContain('Namespace "b" on kubernetes: 1/1 Resources Ready\n\n  web  ✓ Ready');
    expect(renderStatusAll([], { namespace: 'dev', target: 'docker' })).toBe('No Clockwork Resources in namespace "dev" on docker.\n');
    expect(renderStatusAll([], { namespace: undefined, target: 'docker' })).toBe('No Clockwork Resources in any namespace on docker.\n');
  });
});
