import { describe, expect, test } from '@jest/globals';
import { CycleError, Dag, DependencyModel, findCycles } from '../../sdk/src/graph/index.ts';

const build = (edges: Record<string, string[]>) => Dag.build(new Map(Object.entries(edges)));

describe('Dag', () => {
  test('diamond: the two middle nodes share a wave', () => {
    const dag = build({ top: ['left', 'right'], left: ['base'], right: ['base'], base: [] });
    expect(dag.waves()).toEqual([['base'], ['left', 'right'], ['top']]);
    expect(dag.reverseWaves()).toEqual([['top'], ['left', 'right'], ['base']]);
  });

  test('deep chain: one node per wave, in dependency order', () => {
    const edges: Record<string, string[]> = {};
    for (let i = 0; i < 500; i++) edges[`n${String(i).padStart(3, '0')}`] = i === 0 ? [] : [`n${String(i - 1).padStart(3, '0')}`];
    const waves = build(edges).waves();
    expect(waves).toHaveLength(500);
    expect(waves[0]).toEqual(['n000']);
    expect(waves[499]).toEqual(['n499']);
  });

  test('input order does not change the result', () => {
    const a = build({ c: ['b'], b: ['a'], a: [], d: ['a'] });
    const b = build({ d: ['a'], a: [], b: ['a'], c: ['b'] });
    expect(a.waves()).toEqual(b.waves());
    expect(a.waves()).toEqual([['a'], ['b', 'd'], ['c']]);
  });

  test('a node sits after its deepest dependency', () => {
    const dag = build({ app: ['db', 'cache'], cache: [], db: ['volume'], volume: [] });
    expect(dag.waves()).toEqual([['cache', 'volume'], ['db'], ['app']]);
    expect(dag.dependentsOf('db')).toEqual(['app']);
    expect([...dag.transitiveDependencies('app')].sort()).toEqual(['cache', 'db', 'volume']);
  });

  test('a cycle is rejected with the whole loop', () => {
    expect(() => build({ a: ['b'], b: ['c'], c: ['a'], d: [] })).toThrow(CycleError);
    try {
      build({ a: ['b'], b: ['c'], c: ['a'] });
    } catch (e) {
      expect((e as CycleError).cycles).toEqual([['a', 'b', 'c', 'a']]);
      expect((e as Error).message).toBe('dependency cycle: a → b → c → a');
    }
  });

  test('a self reference is a cycle', () => {
    expect(findCycles(new Map([['a', ['a']], ['b', []]]))).toEqual([['a', 'a']]);
  });

  test('two separate cycles are both reported', () => {
    const cycles = findCycles(new Map([['a', ['b']], ['b', ['a']], ['x', ['y']], ['y', ['x']], ['z', ['a']]]));
    expect(cycles).toEqual([['a', 'b', 'a'], ['x', 'y', 'x']]);
  });

  test('a dependency on an unknown node is a programming error', () => {
    expect(() => build({ a: ['ghost'] })).toThrow(/unknown node "ghost"/);
  });
});

describe('DependencyModel: the one dependency rule over plain data', () => {
  // webapp { db, api, jobs { worker } }, web → webapp, api → db, webapp → metrics
  const model = DependencyModel.of([
    { key: 'composite:webapp', kind: 'Composite', dependsOn: ['metrics'] },
    { key: 'composite:jobs', kind: 'Composite', parent: 'composite:webapp', dependsOn: [] },
    { key: 'db', kind: 'Resource', parent: 'composite:webapp', dependsOn: [] },
    { key: 'api', kind: 'Resource', parent: 'composite:webapp', dependsOn: ['db', 'external:billing'] },
    { key: 'worker', kind: 'Resource', parent: 'composite:jobs', dependsOn: ['api'] },
    { key: 'web', kind: 'Resource', dependsOn: ['composite:webapp'] },
    { key: 'metrics', kind: 'Resource', dependsOn: [] },
  ]);

  test("a Resource waits for its own dependencies, then those of every Composite above it", () => {
    expect(model.declared('worker')).toEqual(['api', 'metrics']);
    expect(model.declared('api')).toEqual(['db', 'external:billing', 'metrics']);
    expect(model.ancestors('worker').map((n) => n.key)).toEqual(['composite:jobs', 'composite:webapp']);
  });

  test('a Composite stands for every Resource below it, nested ones included; what is not there is not found', () => {
    expect(model.expand('composite:webapp')).toEqual({ found: true, resources: ['db', 'api', 'worker'] });
    expect(model.expand('external:billing')).toEqual({ found: false, resources: [] });
    expect(model.dependencies('web')).toEqual(['db', 'api', 'worker']);
    expect(model.dependents(['db', 'api', 'worker', 'web', 'metrics']).get('api')).toEqual(['worker', 'web']);
  });

  test('start and teardown waves; a cycle holds up what depends on it, which comes last in one wave', () => {
    const all = ['db', 'api', 'worker', 'web', 'metrics'];
    // db inherits webapp's dependency on metrics.
    expect(model.waves(all)).toEqual([['metrics'], ['db'], ['api'], ['worker'], ['web']]);
    expect(model.waves(all, { reverse: true })).toEqual([['web'], ['worker'], ['api'], ['db'], ['metrics']]);
    const cyclic = DependencyModel.of([
      { key: 'a', kind: 'Resource', dependsOn: ['b'] },
      { key: 'b', kind: 'Resource', dependsOn: ['a'] },
      { key: 'c', kind: 'Resource', dependsOn: ['a'] },
      { key: 'd', kind: 'Resource', dependsOn: [] },
    ]);
    expect(cyclic.waves(['a', 'b', 'c', 'd'])).toEqual([['d'], ['a', 'b', 'c']]);
    expect(cyclic.cycleThrough('b')).toEqual(['b', 'a', 'b']);
    expect(cyclic.cycleThrough('c')).toBeUndefined();
  });

  test('depending on your own Composite is a cycle, shown through the Composite', () => {
    const own = DependencyModel.of([
      { key: 'c:app', kind: 'Composite', dependsOn: [] },
      { key: 'r:api', kind: 'Resource', parent: 'c:app', dependsOn: ['c:app'] },
    ]);
    expect(own.cycleThrough('r:api')).toEqual(['r:api', 'r:api']);
    expect(own.cycles(['c:app', 'r:api'])).toEqual([['c:app', 'r:api', 'c:app']]);
  });

  test('the ancestors of an object as it was (just deleted, or before it lost its label) come from that version', () => {
    expect(model.ancestors({ key: 'gone', kind: 'Resource', parent: 'composite:jobs', dependsOn: [] }).map((n) => n.key)).toEqual(['composite:jobs', 'composite:webapp']);
    expect(model.ancestors('gone')).toEqual([]);
  });

  test('a membership loop is cut, not followed forever', () => {
    const loop = DependencyModel.of([
      { key: 'composite:x', kind: 'Composite', parent: 'composite:y', dependsOn: [] },
      { key: 'composite:y', kind: 'Composite', parent: 'composite:x', dependsOn: [] },
      { key: 'r', kind: 'Resource', parent: 'composite:x', dependsOn: [] },
    ]);
    expect(loop.ancestors('r').map((n) => n.key)).toEqual(['composite:x', 'composite:y']);
    expect(loop.descendants('composite:y').resources.map((n) => n.key)).toEqual(['r']);
  });
});
