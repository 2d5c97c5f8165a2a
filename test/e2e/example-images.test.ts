// The images of the seed example built without a registry (test/images/build-example-images.sh,
// cached): each one started with docker and checked the way the seed README checks the stack.
//   postgres   — pg_isready in the container; psql over the network with the env credentials
//   prometheus — /-/healthy; scrapes api-service:8000 (its targets API says "up")
//   api-service — /health 200, POST/GET /items, /metrics; /health 503 while postgres is stopped,
//                 200 again once it is back.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, repoRoot, run, waitFor } from '../harness/index.ts';

const images = {
  prometheus: 'clockwork-local/prometheus:2.42',
  postgres: 'clockwork-local/postgres:15',
  api: 'clockwork-examples/api-service:0.1.0',
};
const db = { POSTGRES_USER: 'app', POSTGRES_PASSWORD: 'app', POSTGRES_DB: 'app' };
const suffix = `${process.pid}-${Date.now() % 100000}`;
const net = `cw-example-${suffix}`;
const names = { postgres: `cw-ex-pg-${suffix}`, prometheus: `cw-ex-prom-${suffix}`, api: `cw-ex-api-${suffix}` };
const dir = mkdtempSync(join(tmpdir(), 'cw-example-images-'));
const envArgs = (env: Record<string, string>) => Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
let apiUrl = '';
let prometheusUrl = '';

async function hostUrl(container: string, port: number): Promise<string> {
  const out = (await docker(['port', container, `${port}/tcp`])).stdout.trim().split('\n')[0]!;
  return `http://127.0.0.1:${out.split(':').pop()}`;
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const r = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: r.status, body: await r.text() };
}

const pgIsReady = async () => (await docker(['exec', names.postgres, 'pg_isready', '-U', db.POSTGRES_USER, '-d', db.POSTGRES_DB], { allowFailure: true })).code === 0;

beforeAll(async () => {
  await run('bash', [join(repoRoot, 'test/images/build-example-images.sh')], { echo: true, timeoutMs: 900_000 });
  await docker(['network', 'create', net]);
  writeFileSync(
    join(dir, 'prometheus.yml'),
    "global:\n  scrape_interval: 2s\n\nscrape_configs:\n  - job_name: 'webapp-api'\n    static_configs:\n      - targets: ['api-service:8000']\n",
  );
  await docker(['run', '-d', '--pull', 'never', '--name', names.postgres, '--network', net, '--network-alias', 'postgres-db', ...envArgs(db), images.postgres]);
  await docker(['run', '-d', '--pull', 'never', '--name', names.prometheus, '--network', net, '-p', '127.0.0.1::9090',
    '-v', `${join(dir, 'prometheus.yml')}:/etc/prometheus/prometheus.yml:ro`,
    images.prometheus, '--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus']);
  await docker(['run', '-d', '--pull', 'never', '--name', names.api, '--network', net, '--network-alias', 'api-service', '-p', '127.0.0.1::8000',
    ...envArgs({ ...db, POSTGRES_DB_HOST: 'postgres-db', POSTGRES_DB_PORT: '5432' }), images.api]);
  apiUrl = await hostUrl(names.api, 8000);
  prometheusUrl = await hostUrl(names.prometheus, 9090);
}, 960_000);

afterAll(async () => {
  for (const name of Object.values(names)) {
    const logs = await docker(['logs', '--tail', '20', name], { allowFailure: true });
    if (logs.code === 0 && process.env.CLOCKWORK_TEST_VERBOSE) process.stderr.write(`--- ${name}\n${logs.stdout}${logs.stderr}`);
    await docker(['rm', '-f', '-v', name], { allowFailure: true });
  }
  await docker(['network', 'rm', net], { allowFailure: true });
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('example images (no registry)', () => {
  test('the images are tagged under the project\'s own names and say how they were built', async () => {
    for (const image of Object.values(images)) {
      const labels = JSON.parse((await docker(['image', 'inspect', '-f', '{{json .Config.Labels}}', image])).stdout) as Record<string, string>;
      expect(labels['dev.clockwork.build-key']).toBeTruthy();
    }
    const [user, entrypoint] = (await docker(['image', 'inspect', '-f', '{{.Config.User}} {{json .Config.Entrypoint}}', images.prometheus])).stdout.trim().split(' ');
    expect(user).toBe('prometheus');
    expect(JSON.parse(entrypoint!)).toEqual(['/usr/bin/prometheus']);
  });

  test('postgres: pg_isready answers, and psql logs in over the network with the env credentials', async () => {
    await waitFor('pg_isready', pgIsReady, { timeoutMs: 60_000, intervalMs: 500 });
    const psql = (password: string) =>
      docker(['run', '--rm', '--pull', 'never', '--network', net, '-e', `PGPASSWORD=${password}`, images.postgres,
        'psql', '-h', 'postgres-db', '-U', db.POSTGRES_USER, '-d', db.POSTGRES_DB, '-Atc', 'select current_user, current_database()'], { allowFailure: true });
    const ok = await waitFor('psql over TCP', async () => {
      const r = await psql(db.POSTGRES_PASSWORD);
      return r.code === 0 ? r.stdout.trim() : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(ok).toBe('app|app');
    const wrong = await psql('not-the-password');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('password authentication failed');
  }, 120_000);

  test('prometheus answers /-/healthy', async () => {
    const r = await waitFor('prometheus /-/healthy', async () => {
      const res = await get(`${prometheusUrl}/-/healthy`);
      return res.status === 200 ? res : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    expect(r.body).toContain('Healthy');
  }, 90_000);

  test('api-service: /health is 200 with the database, items round-trip, /metrics counts requests', async () => {
    const health = await waitFor('api-service /health 200', async () => {
      const res = await get(`${apiUrl}/health`);
      return res.status === 200 ? res : undefined;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });

    const created = await fetch(`${apiUrl}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'widget' }) });
    expect(created.status).toBe(201);
    const item = (await created.json()) as { id: number; name: string };
    expect(item).toMatchObject({ name: 'widget' });
    expect(JSON.parse((await get(`${apiUrl}/items/${item.id}`)).body)).toEqual(item);
    const list = JSON.parse((await get(`${apiUrl}/items`)).body) as { items: { id: number }[] };
    expect(list.items.map((i) => i.id)).toContain(item.id);
    expect((await get(`${apiUrl}/items/999999`)).status).toBe(404);
    const bad = await fetch(`${apiUrl}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"nope":1}' });
    expect(bad.status).toBe(400);

    const metrics = await get(`${apiUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^http_requests_total\{method="POST",route="\/items",status="201"[^}]*\} 1$/m);
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    expect(metrics.body).toContain('process_cpu_seconds_total');
    expect(metrics.body).toMatch(/^api_items_created_total\{[^}]*\} 1$/m);
  }, 90_000);

  test('prometheus scrapes api-service:8000', async () => {
    const target = await waitFor('target api-service:8000 up', async () => {
      const res = JSON.parse((await get(`${prometheusUrl}/api/v1/targets`)).body) as { data: { activeTargets: { labels: { instance: string }; health: string }[] } };
      return res.data.activeTargets.find((t) => t.labels.instance === 'api-service:8000' && t.health === 'up');
    }, { timeoutMs: 60_000, intervalMs: 1000 });
    expect(target.labels.instance).toBe('api-service:8000');
    expect((await get(`${prometheusUrl}/classic/targets`)).body).toContain('api-service:8000');
  }, 90_000);

  test('api-service: /health is 503 while postgres is stopped and 200 once it is back; data survives', async () => {
    const before = JSON.parse((await get(`${apiUrl}/items`)).body) as { items: unknown[] };
    const stopped = Date.now();
    await docker(['stop', names.postgres]);
    expect(Date.now() - stopped).toBeLessThan(8000); // SIGTERM becomes a fast shutdown
    const down = await waitFor('api-service /health 503', async () => {
      const res = await get(`${apiUrl}/health`);
      return res.status === 503 ? res : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500 });
    expect(JSON.parse(down.body)).toMatchObject({ status: 'unavailable', reason: expect.stringContaining('database') });
    expect((await get(`${apiUrl}/items`)).status).toBe(503);
    // The API keeps running while its database is away.
    expect((await docker(['inspect', '-f', '{{.State.Running}}', names.api])).stdout.trim()).toBe('true');

    await docker(['start', names.postgres]);
    await waitFor('api-service /health 200 again', async () => (await get(`${apiUrl}/health`)).status === 200, { timeoutMs: 60_000, intervalMs: 500 });
    const after = JSON.parse((await get(`${apiUrl}/items`)).body) as { items: unknown[] };
    expect(after.items).toEqual(before.items);
    const created = await fetch(`${apiUrl}/items`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"after-restart"}' });
    expect(created.status).toBe(201);
  }, 120_000);
});
