// The seed's scenario 1: two web applications that share one standalone Prometheus.
import { Composite, Resource } from 'clockwork';

const prometheus = new Resource({
  name: 'prometheus',
  description: 'Shared monitoring for every application',
  image: 'prom/prometheus:v2.53.4',
  args: ['--config.file=/etc/prometheus/prometheus.yml'],
  ports: [{ name: 'http', port: 9090, hostPort: 9090 }],
  files: [
    {
      mountPath: '/etc/prometheus/prometheus.yml',
      content: `scrape_configs:
  - job_name: apps
    static_configs:
      - targets: ['api-1:9898', 'api-2:9898']
`,
    },
  ],
  readiness: { httpGet: { path: '/-/ready', port: 'http' } },
  assertions: [{ name: 'healthy', http: { port: 'http', path: '/-/healthy' } }],
});

function webapp(n: number): Composite {
  const db = new Resource({
    name: `db-${n}`,
    image: 'postgres:16.4',
    ports: [{ port: 5432 }],
    env: { POSTGRES_PASSWORD: `app${n}` },
    readiness: { exec: { command: ['pg_isready'] } },
  });
  const api = new Resource({
    name: `api-${n}`,
    image: 'ghcr.io/stefanprodan/podinfo:6.9.2',
    ports: [{ name: 'http', port: 9898 }],
    readiness: { httpGet: { path: '/readyz', port: 'http' } },
    assertions: [{ name: 'metrics', http: { port: 'http', path: '/metrics' } }],
  }).connect(db, prometheus);
  return new Composite({ name: `webapp-${n}`, description: `Application ${n}` }).add(db, api);
}

export default { prometheus, webapp1: webapp(1), webapp2: webapp(2) };
