// A web application composite: a database, a cache and an API that needs both.
import { Composite, Resource } from 'clockwork';

const db = new Resource({
  name: 'db',
  description: 'PostgreSQL database for the application',
  image: 'postgres:16.4',
  ports: [{ name: 'postgres', port: 5432 }],
  env: { POSTGRES_USER: 'app', POSTGRES_PASSWORD: 'app', POSTGRES_DB: 'app' },
  readiness: { exec: { command: ['pg_isready', '-U', 'app'] }, periodSeconds: 2 },
  assertions: [{ tcp: { port: 'postgres' } }],
});

const cache = new Resource({
  name: 'cache',
  description: 'Redis cache',
  image: 'redis:7.4',
  ports: [{ name: 'redis', port: 6379 }],
  readiness: { exec: { command: ['redis-cli', 'ping'] }, periodSeconds: 2 },
  assertions: [{ tcp: { port: 'redis' } }],
});

const api = new Resource({
  name: 'api',
  description: 'HTTP API with health and metrics endpoints',
  image: 'ghcr.io/stefanprodan/podinfo:6.9.2',
  ports: [{ name: 'http', port: 9898, hostPort: 9898 }],
  readiness: { httpGet: { path: '/readyz', port: 'http' } },
  assertions: [
    { name: 'healthy', http: { port: 'http', path: '/healthz' } },
    { name: 'metrics', http: { port: 'http', path: '/metrics', bodyContains: 'http_requests' } },
  ],
}).connect(db, cache);

export default [new Composite({ name: 'simple-webapp', description: 'Database, cache and API deployed together' }).add(db, cache, api)];
