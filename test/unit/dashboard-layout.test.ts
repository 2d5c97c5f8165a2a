// The page's graph: laid out by dagre with Composites as boundaries around their members,
// dependencies above their dependents; arrow keys move to the nearest node in that direction.
import { describe, expect, test } from '@jest/globals';
import type { ResourceView, StackView } from '../../sdk/src/dashboard/dashboard-model.ts';
import { nextNode } from '../../sdk/src/dashboard-ui/keyboard.ts';
import { layoutKey, layoutStack, type NodeBox } from '../../sdk/src/dashboard-ui/layout.ts';

const resource = (name: string, composite?: string, dependencies: string[] = []): ResourceView => ({
  id: `shop/${name}`,
  namespace: 'shop',
  name,
  ...(composite ? { composite: `shop/${composite}` } : {}),
  state: 'Ready',
  ready: true,
  reason: 'Ready',
  message: '',
  rootCause: false,
  blockedBy: [],
  ports: [],
  conditions: [],
  assertionsSummary: '0/0',
  assertions: [],
  dependencies,
  timeline: [],
  env: [],
});

function stack(resources: ResourceView[], composites: { name: string; parent?: string }[]): StackView {
  return {
    namespace: 'shop',
    ready: true,
    readyCount: resources.length,
    totalCount: resources.length,
    resources,
    composites: composites.map((c) => ({ id: `shop/${c.name}`, namespace: 'shop', name: c.name, ...(c.parent ? { composite: `shop/${c.parent}` } : {}), ready: true, reason: 'AllReady', message: '', readyCount: 1, totalCount: 1 })),
    edges: resources.flatMap((r) => r.dependencies.map((d) => ({ id: `${r.id}->${d}`, from: r.id, to: d, blocking: false }))),
    external: [],
    orphans: [],
  };
}

const inside = (inner: NodeBox, outer: NodeBox) =>
  inner.x - inner.width / 2 >= outer.x - outer.width / 2 && inner.x + inner.width / 2 <= outer.x + outer.width / 2 && inner.y - inner.height / 2 >= outer.y - outer.height / 2 && inner.y + inner.height / 2 <= outer.y + outer.height / 2;

describe('the graph layout', () => {
  const seed = stack([resource('prometheus'), resource('postgres-db', 'webapp'), resource('api-service', 'webapp', ['shop/postgres-db', 'shop/prometheus'])], [{ name: 'webapp' }]);

  test('the seed: webapp surrounds postgres-db and api-service, not prometheus; dependencies sit above api-service', () => {
    const layout = layoutStack(seed);
    const webapp = layout.composites.get('shop/webapp')!;
    const [prometheus, postgres, api] = ['prometheus', 'postgres-db', 'api-service'].map((n) => layout.resources.get(`shop/${n}`)!);
    expect(inside(postgres!, webapp)).toBe(true);
    expect(inside(api!, webapp)).toBe(true);
    expect(inside(prometheus!, webapp)).toBe(false);
    expect(postgres!.y).toBeLessThan(api!.y);
    expect(prometheus!.y).toBeLessThan(api!.y);
    expect(layout.edges.get('shop/api-service->shop/postgres-db')!.length).toBeGreaterThanOrEqual(2);
    for (const box of layout.resources.values()) {
      expect(box.x + box.width / 2).toBeLessThanOrEqual(layout.width);
      expect(box.y + box.height / 2).toBeLessThanOrEqual(layout.height);
    }
  });

  test('nested Composites nest; an edge to a Composite ends on its boundary', () => {
    const nested = stack(
      [resource('db', 'data'), resource('cache', 'data'), resource('api', 'app', ['composite:shop/data']), resource('web', 'app', ['shop/api'])],
      [{ name: 'platform' }, { name: 'data', parent: 'platform' }, { name: 'app', parent: 'platform' }],
    );
    const layout = layoutStack(nested);
    const [platform, data, app] = ['platform', 'data', 'app'].map((n) => layout.composites.get(`shop/${n}`)!);
    expect(inside(data!, platform!)).toBe(true);
    expect(inside(app!, platform!)).toBe(true);
    expect(inside(layout.resources.get('shop/db')!, data!)).toBe(true);
    const [, end] = layout.edges.get('shop/api->composite:shop/data')!;
    const onBorder = Math.abs(Math.abs(end!.x - data!.x) - data!.width / 2) < 0.5 || Math.abs(Math.abs(end!.y - data!.y) - data!.height / 2) < 0.5;
    expect(onBorder).toBe(true);
  });

  test('only a change of the graph moves nodes, not a change of state', () => {
    const failing = { ...seed, resources: seed.resources.map((r) => (r.name === 'postgres-db' ? { ...r, state: 'Failing' as const, ready: false } : r)) };
    expect(layoutKey(failing)).toBe(layoutKey(seed));
    expect(layoutKey(stack([resource('prometheus')], []))).not.toBe(layoutKey(seed));
  });
});

describe('keyboard navigation between nodes', () => {
  const nodes = [
    { id: 'a', x: 100, y: 50 },
    { id: 'b', x: 400, y: 50 },
    { id: 'c', x: 250, y: 200 },
    { id: 'd', x: 420, y: 210 },
  ];

  test('an arrow key moves to the nearest node that way; nothing beyond the edge', () => {
    expect(nextNode(nodes, 'a', 'right')).toBe('b');
    expect(nextNode(nodes, 'a', 'down')).toBe('c');
    expect(nextNode(nodes, 'c', 'right')).toBe('d');
    expect(nextNode(nodes, 'd', 'up')).toBe('b');
    expect(nextNode(nodes, 'b', 'right')).toBeUndefined();
    expect(nextNode(nodes, 'a', 'up')).toBeUndefined();
  });
});
