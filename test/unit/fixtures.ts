import { Composite, Resource, type ResourceOptions } from '../../sdk/src/index.ts';

/** A minimal valid Resource, with overrides. */
export function resource(name: string, extra: Partial<ResourceOptions> = {}): Resource {
  return new Resource({ name, image: `example/${name}:1`, ...extra });
}

/** The seed example, built fresh for each test (graph bookkeeping is per object). */
export function seedStack() {
  const prometheus = resource('prometheus', {
    image: 'prom/prometheus:v2.53.4',
    ports: [{ name: 'http', port: 9090 }],
    files: [{ mountPath: '/etc/prometheus/prometheus.yml', content: 'scrape_configs: []\n' }],
  });
  const postgresDb = resource('postgres-db', { image: 'postgres:16.4', ports: [{ port: 5432 }], env: { POSTGRES_PASSWORD: 'app' } });
  const apiService = resource('api-service', { ports: [{ port: 8000 }] });
  const webapp = new Composite({ name: 'webapp', description: 'the app' }).add(postgresDb, apiService);
  apiService.connect(postgresDb, prometheus);
  return { prometheus, postgresDb, apiService, webapp, items: [prometheus, webapp] };
}
