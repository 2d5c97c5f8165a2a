import { Composite, Resource, StackValidationError, compileStack, type ResourceOptions, type StackIssue } from '../../sdk/src/index.ts';

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

/** Compiles and returns the issues, failing the test if the stack is accepted. */
export function issuesOf(items: unknown[]): StackIssue[] {
  try {
    compileStack(items);
  } catch (e) {
    if (e instanceof StackValidationError) return [...e.issues];
    throw e;
  }
  throw new Error('expected the stack to be rejected');
}

/** The issues as `resource|field|message` lines. */
export const messages = (items: unknown[]) => issuesOf(items).map((i) => `${i.resource}|${i.field}|${i.message}`);
