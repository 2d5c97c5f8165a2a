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
  // `clockwork dev` updates prometheus.yml in place and sends this: Prometheus re-reads it.
  reload: { signal: 'SIGHUP' },
  // The TSDB outlives the container: scraped history survives a config change or a destroy.
  volumes: [{ name: 'tsdb', mountPath: '/prometheus', size: '2Gi' }],
  readiness: { httpGet: { path: '/-/ready', port: 'http' }, periodSeconds: 2 },
  assertions: [{ name: 'healthy', http: { port: 'http', path: '/-/healthy', bodyContains: 'Healthy' } }],
});

// Development credentials: Postgres creates this user and database on first start, and
// api-service logs in with them (it reaches the database through the injected
// POSTGRES_DB_HOST / POSTGRES_DB_PORT).
const database = { POSTGRES_USER: 'app', POSTGRES_PASSWORD: 'app', POSTGRES_DB: 'app' };

export const postgresDb = new Resource({
  name: 'postgres-db',
  description: 'Application database',
  image: 'postgres:16.4',
  ports: [{ name: 'postgres', port: 5432, hostPort: 5432 }],
  // PGDATA in a directory below the mount point: initdb wants an empty directory it owns, and a
  // fresh volume's root (a claim's directory on Kubernetes) is neither.
  env: { ...database, PGDATA: '/var/lib/postgresql/data/pgdata' },
  // The data outlives the container: a spec change replaces the container, `destroy` keeps the
  // volume (`destroy --volumes` removes it) — a claim postgres-db-data on Kubernetes, a Docker
  // volume clockwork-<namespace>-postgres-db-data on Docker.
  volumes: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
  // The official image starts as root to chown its data directory, then drops to postgres
  // (999); with every capability dropped (Clockwork's restricted default) it must start as 999.
  securityContext: { runAsUser: 999, runAsGroup: 999 },
  readiness: { exec: { command: ['pg_isready', '-U', database.POSTGRES_USER, '-d', database.POSTGRES_DB] }, periodSeconds: 2 },
  assertions: [{ name: 'accepting-connections', tcp: { port: 'postgres' } }],
});

// The example's own REST API (./api-service: items in Postgres, Prometheus metrics). Build the
// image with its Dockerfile, or without a registry with `make images`.
export const apiService = new Resource({
  name: 'api-service',
  description: 'REST API server that stores data in Postgres and exposes Prometheus metrics',
  image: 'clockwork-examples/api-service:0.1.0',
  ports: [{ name: 'http', port: 8000, hostPort: 8000 }],
  env: { ...database },
  readiness: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 2 },
  assertions: [
    { name: 'healthy', http: { port: 'http', path: '/health', status: 200, bodyContains: '"status":"ok"' } },
    { name: 'metrics', http: { port: 'http', path: '/metrics', bodyContains: 'http_requests_total' } },
  ],
});

// Composite: the application-specific stack, deployed and destroyed together.
export const webapp = new Composite({ name: 'webapp', description: 'Web application: database and API' }).add(postgresDb, apiService);

// api-service depends on postgres-db (inside the composite) and on prometheus (across it).
apiService.connect(postgresDb, prometheus);

export default [prometheus, webapp];
