import { describe, expect, test } from '@jest/globals';
import { CycleError, Dag, findCycles } from '../../sdk/src/graph/index.ts';

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
