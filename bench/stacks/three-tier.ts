// The Docker target's three-tier stack (db ← api ← web, each sleeping its start delay before it
// listens; web is Ready only when it reaches db and api by their aliases), described once and
// written two ways: as a Clockwork stack and as a compose file, for the side-by-side with
// `docker compose up --wait` in the same run.
import { Resource, type ResourceOptions } from 'clockwork';

const image = process.env.CLOCKWORK_TEST_IMAGE ?? 'clockwork-test/busybox:1';

/** Seconds each tier sleeps before it listens. */
export const START_DELAY_S = Number(process.env.BENCH_THREE_TIER_DELAY ?? 2);

interface Tier {
  name: string;
  port: number;
  dependsOn: string[];
}

const TIERS: Tier[] = [
  { name: 'db', port: 5432, dependsOn: [] },
  { name: 'api', port: 8080, dependsOn: ['db'] },
  { name: 'web', port: 80, dependsOn: ['db', 'api'] },
];

/** The chain of start delays: nothing can be Ready sooner. */
export const floorSeconds = (): number => TIERS.length * START_DELAY_S;

const command = (t: Tier) => ['sh', '-c', `sleep ${START_DELAY_S}; exec httpd -f -p ${t.port} -h /var/www`];
/** web's readiness: it reaches every dependency by its alias, then itself (`http-get` ships in the test image). */
const reachesAll = (t: Tier) => [...TIERS.filter((d) => t.dependsOn.includes(d.name)).map((d) => `http-get ${d.name}:${d.port} / 1`), `http-get localhost:${t.port} / 1`].join(' && ');

/** Clockwork: probes from the host where it can (tcp, http), exec where only the container can tell. */
export function clockworkStack(): Resource[] {
  const built = new Map<string, Resource>();
  for (const t of TIERS) {
    const readiness: ResourceOptions['readiness'] =
      t.dependsOn.length > 1 ? { exec: { command: ['sh', '-c', reachesAll(t)] }, periodSeconds: 1 } : t.dependsOn.length ? { httpGet: { path: '/', port: t.port }, periodSeconds: 1 } : { tcpSocket: { port: t.port }, periodSeconds: 1 };
    const resource = new Resource({ name: t.name, image, command: command(t), ports: [{ port: t.port }], readiness });
    built.set(t.name, resource.connect(...t.dependsOn.map((d) => built.get(d)!)));
  }
  return [...built.values()];
}

/**
 * compose: each healthcheck runs in its container (compose has no other kind), every
 * `intervalMs`; dependents wait for `service_healthy`.
 */
export function composeFile(intervalMs: number): Record<string, unknown> {
  const services = Object.fromEntries(
    TIERS.map((t) => [
      t.name,
      {
        image,
        pull_policy: 'never',
        command: command(t),
        healthcheck: { test: ['CMD-SHELL', reachesAll(t)], interval: `${intervalMs}ms`, timeout: '1s', retries: 60 },
        ...(t.dependsOn.length ? { depends_on: Object.fromEntries(t.dependsOn.map((d) => [d, { condition: 'service_healthy' }])) } : {}),
      },
    ]),
  );
  return { services };
}

export default clockworkStack();
