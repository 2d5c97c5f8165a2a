// Build a stack from a shared definition, then change children after creation: a pinned
// image, more memory, an extra env variable. Every change is validated when the stack is
// compiled, exactly like the original fields.
import { Composite, Resource } from 'clockwork';

function webStack(name: string) {
  const db = new Resource({
    name: `${name}-db`,
    image: 'postgres:16.4',
    ports: [{ port: 5432 }],
    env: { POSTGRES_PASSWORD: 'app' },
    readiness: { exec: { command: ['pg_isready'] } },
  });
  const api = new Resource({
    name: `${name}-api`,
    image: 'ghcr.io/stefanprodan/podinfo:6.9.2',
    ports: [{ name: 'http', port: 9898 }],
    readiness: { httpGet: { path: '/readyz', port: 'http' } },
  }).connect(db);
  return new Composite({ name, description: `${name} web stack` }).add(db, api);
}

const staging = webStack('staging');
const production = webStack('production');

// Overrides, reached through the composite's read-only map of children.
const prodDb = production.children.get('production-db') as Resource;
prodDb.image = 'postgres:16.4-bookworm';
prodDb.resources = { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } };
const prodApi = production.children.get('production-api') as Resource;
prodApi.env = { ...prodApi.env, PODINFO_UI_MESSAGE: 'production' };
prodApi.assertions = [{ name: 'healthy', http: { port: 'http', path: '/healthz' } }];

export default [staging, production];
