// The Docker scenario's stack, shaped like the seed (examples/mixed-pattern): a shared standalone
// service and a composite with a db, a cache, an api that uses all three and a worker behind the
// api. Each container sleeps its "health delay" before it listens; readiness is a TCP probe.
// BENCH_DOCKER_SCALE multiplies every delay (the quick mode uses 0.5).
import { Composite, Resource } from 'clockwork';

const image = process.env.CLOCKWORK_TEST_IMAGE ?? 'clockwork-test/busybox:1';

/** Health delay of each container, in seconds (before scaling). */
export const DELAYS = { metrics: 1, db: 2, cache: 1, api: 1.5, worker: 1 } as const;
/** Dependencies, for the critical-path floor. */
export const DEPENDS: Record<keyof typeof DELAYS, (keyof typeof DELAYS)[]> = { metrics: [], db: [], cache: [], api: ['db', 'cache', 'metrics'], worker: ['api'] };

/** The longest chain of health delays: no scheduler can beat it. */
export function floorSeconds(scale: number): number {
  const memo = new Map<string, number>();
  const finish = (n: keyof typeof DELAYS): number => {
    if (!memo.has(n)) memo.set(n, DELAYS[n] * scale + Math.max(0, ...DEPENDS[n].map(finish)));
    return memo.get(n)!;
  };
  return Math.max(...(Object.keys(DELAYS) as (keyof typeof DELAYS)[]).map(finish));
}

export function build(scale: number): unknown[] {
  const svc = (name: keyof typeof DELAYS, port: number) =>
    new Resource({
      name,
      image,
      command: ['sh', '-c', `sleep ${DELAYS[name] * scale}; exec httpd -f -p ${port} -h /var/www`],
      ports: [{ port }],
      readiness: { tcpSocket: { port }, periodSeconds: 5 },
    });
  const metrics = svc('metrics', 9090);
  const db = svc('db', 5432);
  const cache = svc('cache', 6379);
  const api = svc('api', 8000).connect(db, cache, metrics);
  const worker = svc('worker', 8001).connect(api);
  return [metrics, new Composite({ name: 'webapp' }).add(db, cache, api, worker)];
}

export default build(Number(process.env.BENCH_DOCKER_SCALE ?? 1));
