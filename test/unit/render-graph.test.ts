import { describe, expect, test } from '@jest/globals';
import { Composite, compileStack, external } from '../../sdk/src/index.ts';
import { renderGraph } from '../../sdk/src/plan/render-graph.ts';
import { resource, seedStack } from './fixtures.ts';

describe('clockwork graph', () => {
  test('mermaid: composites as subgraphs, edges from dependent to dependency', () => {
    expect(renderGraph(compileStack(seedStack().items), 'mermaid')).toBe(
      [
        'flowchart LR',
        '  r_prometheus["prometheus"]',
        '  subgraph c_webapp["webapp (composite)"]',
        '    r_postgres_db["postgres-db"]',
        '    r_api_service["api-service"]',
        '  end',
        '  r_api_service --> r_postgres_db',
        '  r_api_service --> r_prometheus',
        '',
      ].join('\n'),
    );
  });

  test('dot: clusters, composite targets and dashed external dependencies', () => {
    const db = resource('db');
    const data = new Composite({ name: 'data' }).add(db);
    const api = resource('api').connect(data, external('platform/metrics'));
    const out = renderGraph(compileStack([data, api]), 'dot');
    expect(out).toContain('subgraph cluster_c_data {');
    expect(out).toContain('r_api -> c_data [lhead=cluster_c_data];');
    expect(out).toContain('x_platform_metrics [label="platform/metrics", style=dashed];');
    expect(out).toContain('r_api -> x_platform_metrics [style=dashed];');
  });
});
