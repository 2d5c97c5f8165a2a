import { describe, expect, test } from '@jest/globals';
import { Composite, compileStack, external, planStack } from '../../sdk/src/index.ts';
import { resource, seedStack } from './fixtures.ts';

describe('ordering', () => {
  test('seed example: prometheus and postgres-db first, api-service after', () => {
    const { items } = seedStack();
    expect(planStack(compileStack(items)).waves).toEqual([['postgres-db', 'prometheus'], ['api-service']]);
  });

  test('a dependency on a Composite means all of its descendants', () => {
    const db = resource('db');
    const cache = resource('cache');
    const worker = resource('worker').connect(db);
    const data = new Composite({ name: 'data' }).add(db, cache, new Composite({ name: 'inner' }).add(worker));
    const api = resource('api').connect(data);
    const stack = compileStack([data, api]);
    expect(stack.graph.dependenciesOf('api')).toEqual(['cache', 'db', 'worker']);
    expect(stack.graph.waves()).toEqual([['cache', 'db'], ['worker'], ['api']]);
  });

  test('a Composite that depends on something makes every Resource below it wait', () => {
    const shared = resource('shared');
    const a = resource('a');
    const b = resource('b');
    const group = new Composite({ name: 'group' }).add(a, new Composite({ name: 'sub' }).add(b)).connect(shared);
    const stack = compileStack([shared, group]);
    expect(stack.graph.waves()).toEqual([['shared'], ['a', 'b']]);
  });

  test('nested composites: full-stack → database-cluster + application-tier', () => {
    const primary = resource('db-primary');
    const replica = resource('db-replica').connect(primary);
    const api = resource('api');
    const web = resource('web').connect(api);
    const databases = new Composite({ name: 'database-cluster' }).add(primary, replica);
    const app = new Composite({ name: 'application-tier' }).add(api, web).connect(databases);
    const full = new Composite({ name: 'full-stack' }).add(databases, app);
    const plan = planStack(compileStack([full]));
    expect(plan.waves).toEqual([['db-primary'], ['db-replica'], ['api'], ['web']]);
    expect(plan.tree).toEqual([
      {
        kind: 'Composite',
        name: 'full-stack',
        children: [
          { kind: 'Composite', name: 'database-cluster', children: [{ kind: 'Resource', name: 'db-primary' }, { kind: 'Resource', name: 'db-replica', dependsOn: ['db-primary'] }] },
          { kind: 'Composite', name: 'application-tier', children: [{ kind: 'Resource', name: 'api', dependsOn: ['db-primary', 'db-replica'] }, { kind: 'Resource', name: 'web', dependsOn: ['api', 'db-primary', 'db-replica'] }] },
        ],
      },
    ]);
  });

  test('listing a child at the top level as well changes nothing', () => {
    const { items, apiService } = seedStack();
    expect(planStack(compileStack([...items, apiService])).waves).toEqual([['postgres-db', 'prometheus'], ['api-service']]);
  });

  test('external dependencies are kept apart from the start order', () => {
    const api = resource('api').connect(external('shared/metrics'), external('composite:platform'));
    const stack = compileStack([api], { namespace: 'team-a' });
    expect(stack.graph.waves()).toEqual([['api']]);
    expect(stack.externalDependencies.get('api')).toEqual([
      { kind: 'Composite', name: 'platform' },
      { kind: 'Resource', namespace: 'shared', name: 'metrics' },
    ]);
  });
});
