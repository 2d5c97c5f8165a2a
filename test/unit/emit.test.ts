import { describe, expect, test } from '@jest/globals';
import { parse, parseAllDocuments } from 'yaml';
import { compileStack, emitObjects, external, serializeObjects } from '../../sdk/src/index.ts';
import { resource, seedStack } from './fixtures.ts';

describe('emission of CR objects', () => {
  test('the seed example: labels, annotation, dependsOn and files', () => {
    const objects = emitObjects(compileStack(seedStack().items, { namespace: 'shop' }));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Composite/webapp', 'Resource/postgres-db', 'Resource/prometheus', 'Resource/api-service']);
    const [webapp, postgres, prometheus, api] = objects;
    expect(webapp).toEqual({
      apiVersion: 'clockwork.dev/v1alpha1',
      kind: 'Composite',
      metadata: { name: 'webapp', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'clockwork' } },
      spec: { description: 'the app' },
    });
    expect(postgres!.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'clockwork', 'clockwork.dev/composite': 'webapp' });
    expect(prometheus!.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'clockwork' });
    expect(prometheus!.spec).toMatchObject({ files: [{ mountPath: '/etc/prometheus/prometheus.yml', content: 'scrape_configs: []\n' }] });
    expect(api!.metadata).toEqual({
      name: 'api-service',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/managed-by': 'clockwork', 'clockwork.dev/composite': 'webapp' },
      annotations: { 'clockwork.dev/depends-on': 'prometheus' },
    });
    expect(api!.spec).toEqual({ image: 'example/api-service:1', ports: [{ port: 8000 }], dependsOn: ['postgres-db'] });
    expect(postgres!.spec).toMatchObject({ env: [{ name: 'POSTGRES_PASSWORD', value: 'app' }] });
  });

  test('standalone peers use spec.dependsOn; composites and other namespaces use the annotation', () => {
    const cache = resource('cache');
    const api = resource('api').connect(cache, external('platform/metrics'), external('composite:shop/payments'));
    const [, apiObject] = emitObjects(compileStack([cache, api], { namespace: 'shop' }));
    expect(apiObject!.spec).toMatchObject({ dependsOn: ['cache'] });
    expect(apiObject!.metadata.annotations).toEqual({ 'clockwork.dev/depends-on': 'composite:payments,platform/metrics' });
  });

  test('user labels and annotations are kept, sorted, beside the managed ones', () => {
    const web = resource('web', { labels: { tier: 'front', app: 'shop' }, annotations: { 'prometheus.io/scrape': 'true' } });
    const [object] = emitObjects(compileStack([web]));
    expect(object!.metadata.labels).toEqual({ app: 'shop', tier: 'front', 'app.kubernetes.io/managed-by': 'clockwork' });
    expect(object!.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
  });

  test('output is deterministic and round-trips through YAML and JSON', () => {
    const objects = emitObjects(compileStack(seedStack().items));
    const yaml = serializeObjects(objects, 'yaml');
    expect(serializeObjects(emitObjects(compileStack(seedStack().items)), 'yaml')).toBe(yaml);
    expect(parseAllDocuments(yaml).map((d) => d.toJS())).toEqual(objects);
    expect(parse(serializeObjects(objects, 'json'))).toEqual({ apiVersion: 'v1', kind: 'List', items: objects });
  });
});
