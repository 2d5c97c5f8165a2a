// The seed example: a shared Prometheus (standalone) and a `webapp` composite holding a
// Postgres database and an API that depends on both.
import { Composite, Resource } from 'clockwork';

const prometheusConfig = `global:
  scrape_interval: 15s

scrape_configs:
  - job_name: 'webapp-api'
    static_configs:
      - targets: ['api-service:8000']
`;

// Standalone: shared infrastructure with its own lifecycle.
export const prometheus = new Resource({
  name: 'prometheus',
  description: 'Shared monitoring service that scrapes the applications',
  image: 'prom/prometheus:v2.53.4',
  args: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus'],
  ports: [{ name: 'http', port: 9090, hostPort: 9090 }],
  files: [{ mountPath: '/etc/prometheus/prometheus.yml', content: prometheusConfig }],
  readiness: { httpGet: { path: '/-/ready', port: 'http' }, periodSeconds: 2 },
  assertions: [{ name: 'healthy', http: { port: 'http', path: '/-/healthy', bodyContains: 'Healthy' } }],
});

export const postgresDb = new Resource({
  name: 'postgres-db',
  description: 'Application database',
  image: 'postgres:16.4',
  ports: [{ name: 'postgres', port: 5432, hostPort: 5432 }],
  env: { POSTGRES_USER: 'app', POSTGRES_PASSWORD: 'app', POSTGRES_DB: 'app' },
  readiness: { exec: { command: ['pg_isready', '-U', 'app', '-d', 'app'] }, periodSeconds: 2 },
  assertions: [{ name: 'accepting-connections', tcp: { port: 'postgres' } }],
});

export const apiService = new Resource({
  name: 'api-service',
  description: 'REST API server that stores data in Postgres and exposes Prometheus metrics',
  image: 'ghcr.io/stefanprodan/podinfo:6.9.2',
  command: ['./podinfo', '--port=8000', '--level=info'],
  ports: [{ name: 'http', port: 8000, hostPort: 8000 }],
  readiness: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 2 },
  assertions: [
    { name: 'healthy', http: { port: 'http', path: '/healthz' } },
    { name: 'metrics', http: { port: 'http', path: '/metrics', bodyContains: 'http_requests' } },
  ],
});

// Composite: the application-specific stack, deployed and destroyed together.
export const webapp = new Composite({ name: 'webapp', description: 'Web application: database and API' }).add(postgresDb, apiService);

// api-service depends on postgres-db (inside the composite) and on prometheus (across it).
apiService.connect(postgresDb, prometheus);

export default [prometheus, webapp];
