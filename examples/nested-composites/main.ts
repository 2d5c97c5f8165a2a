// Composites inside a composite: full-stack holds a database cluster and an application tier,
// and the application tier depends on the whole database cluster.
import { Composite, Resource } from 'clockwork';

const primary = new Resource({
  name: 'db-primary',
  image: 'postgres:16.4',
  ports: [{ name: 'postgres', port: 5432 }],
  env: { POSTGRES_PASSWORD: 'primary' },
  readiness: { exec: { command: ['pg_isready'] } },
});

const replica = new Resource({
  name: 'db-replica',
  image: 'postgres:16.4',
  ports: [{ name: 'postgres', port: 5432 }],
  env: { POSTGRES_PASSWORD: 'replica' },
  readiness: { exec: { command: ['pg_isready'] } },
}).connect(primary);

const api = new Resource({
  name: 'backend',
  image: 'ghcr.io/stefanprodan/podinfo:6.9.2',
  ports: [{ name: 'http', port: 9898 }],
  readiness: { httpGet: { path: '/readyz', port: 'http' } },
});

const frontend = new Resource({
  name: 'frontend',
  image: 'nginx:1.27',
  ports: [{ name: 'http', port: 80, hostPort: 8080 }],
  readiness: { httpGet: { path: '/', port: 'http' } },
  assertions: [{ http: { port: 'http', path: '/' } }],
}).connect(api);

const databaseCluster = new Composite({ name: 'database-cluster', description: 'Primary and replica' }).add(primary, replica);
const applicationTier = new Composite({ name: 'application-tier', description: 'Backend and frontend' }).add(api, frontend).connect(databaseCluster);

export default [new Composite({ name: 'full-stack', description: 'Everything for the shop' }).add(databaseCluster, applicationTier)];
