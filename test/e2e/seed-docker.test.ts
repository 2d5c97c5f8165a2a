// The seed example for real on Docker: the seed README's own checks from the host, a row
// written through the API and read back, Prometheus scraping api-service, the database stopped
// behind Clockwork's back and restarted; the row surviving a replaced database and destroy +
// apply, gone after destroy --volumes; then destroy.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { docker, repoRoot, run, waitFor } from '../harness/index.ts';

const NS = 'seed-docker';
const STACK = 'examples/mixed-pattern/main.ts';
/** The seed with a changed postgres-db spec (its workload is replaced). */
const CHANGED = 'test/fixtures/stacks/seed-changed.ts';
let imageMap = '';

async function clockwork(args: string[]) {
  const r = await run(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), ...args, '-n', NS, '--target', 'docker'], { cwd: repoRoot, allowFailure: true, timeoutMs: 300_000, env: { CLOCKWORK_IMAGE_MAP: imageMap } });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  await run('bash', [join(repoRoot, 'test/images/build-example-images.sh')], { timeoutMs: 600_000 });
  imageMap = readFileSync(join(process.env.CLOCKWORK_IMAGES_CACHE ?? join(homedir(), '.cache/clockwork/images'), 'image-map.env'), 'utf8').match(/^CLOCKWORK_IMAGE_MAP=(.*)$/m)![1]!;
}, 600_000);

afterAll(async () => {
  await clockwork(['destroy', STACK, '--volumes']);
}, 120_000);

async function postItem(name: string): Promise<number> {
  const created = await fetch('http://127.0.0.1:8000/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  expect(created.status).toBe(201);
  return ((await created.json()) as { id: number }).id;
}

async function itemNames(): Promise<string[]> {
  // api-service reconnects to a replaced database by itself: retry until it answers.
  return waitFor('GET /items', async () => {
    const r = await fetch('http://127.0.0.1:8000/items').catch(() => undefined);
    return r?.status === 200 ? ((await r.json()) as { items: { name: string }[] }).items.map((i) => i.name) : undefined;
  }, { timeoutMs: 30_000, intervalMs: 500 });
}

/** Seconds from the start of an apply to the progress line `<name>: Ready`. */
function readyAfter(out: string, name: string): number {
  const line = out.split('\n').find((l) => l.includes(`] ${name}: Ready`));
  return Number(line?.match(/^\[\s*([\d.]+)s\]/)?.[1] ?? NaN);
}

describe('the seed example on Docker', () => {
  test('apply brings up prometheus and postgres-db, then api-service; all Ready', async () => {
    const r = await clockwork(['apply', STACK, '--timeout', '180']);
    expect(r.out).toMatch(/✓ 3\/3 resources Ready in namespace "seed-docker" on docker/);
    expect(r.code).toBe(0);
    const line = (text: string) => r.out.split('\n').findIndex((l) => l.includes(text));
    expect(line('api-service: Created')).toBeGreaterThan(Math.max(line('prometheus: Ready'), line('postgres-db: Ready')));
  }, 240_000);

  test("the seed README's checks pass from the host", async () => {
    expect(await (await fetch('http://127.0.0.1:9090/-/healthy')).text()).toMatch(/Healthy/);
    const health = await fetch('http://127.0.0.1:8000/health');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect(await (await fetch('http://127.0.0.1:8000/metrics')).text()).toMatch(/^http_requests_total/m);
  });

  test('a row written through the API is read back', async () => {
    const created = await fetch('http://127.0.0.1:8000/items', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'from the e2e test' }) });
    expect(created.status).toBe(201);
    const row = (await created.json()) as { id: number; name: string };
    const read = await fetch(`http://127.0.0.1:8000/items/${row.id}`);
    expect(await read.json()).toMatchObject({ id: row.id, name: 'from the e2e test' });
  });

  test('Prometheus scrapes api-service:8000 and reports it up', async () => {
    const target = await waitFor(
      'api-service:8000 up in Prometheus',
      async () => {
        const body = (await (await fetch('http://127.0.0.1:9090/api/v1/targets')).json()) as { data: { activeTargets: { labels: { instance: string }; health: string }[] } };
        return body.data.activeTargets.find((t) => t.labels.instance === 'api-service:8000' && t.health === 'up');
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    expect(target.health).toBe('up');
  }, 90_000);

  test("stopping postgres-db behind Clockwork's back fails api-service's health assertion; recovery passes it again", async () => {
    await docker(['stop', `clockwork-${NS}-postgres-db`]);
    const failing = await waitFor('the health assertion failing', async () => {
      const r = await clockwork(['assert', STACK]);
      return r.code === 1 && /api-service\n(.*\n)*? {2}✗ healthy .*database/.test(r.out) ? r : undefined;
    }, { timeoutMs: 60_000, intervalMs: 1000 });
    expect(failing.out).toMatch(/✗ healthy .*expected status (2xx|200), got 503.*database (unreachable|not ready|unavailable)/);
    expect(failing.out).toMatch(/postgres-db\n {2}✗ accepting-connections/);
    expect((await clockwork(['status', STACK])).code).toBe(1);

    await docker(['start', `clockwork-${NS}-postgres-db`]);
    const passing = await waitFor('all assertions passing again', async () => {
      const r = await clockwork(['assert', STACK]);
      return r.code === 0 ? r : undefined;
    }, { timeoutMs: 90_000, intervalMs: 1000 });
    expect(passing.out).toMatch(/✓ 4\/4 assertions passed/);
  }, 180_000);

  test("clockwork dev: a change of prometheus.yml is copied into the running container and Prometheus reloads it on SIGHUP", async () => {
    // The seed as a developer's copy, so the test can save it (its config is inline in main.ts).
    mkdirSync(join(repoRoot, '.test-results'), { recursive: true });
    const dir = mkdtempSync(join(repoRoot, '.test-results', 'seed-dev-'));
    const file = join(dir, 'main.ts');
    writeFileSync(file, readFileSync(join(repoRoot, STACK), 'utf8'));
    const before = (await docker(['inspect', '--format', '{{.Id}}', `clockwork-${NS}-prometheus`])).stdout.trim();
    const dev = spawn(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), 'dev', relative(repoRoot, file), '-n', NS, '--target', 'docker', '--no-dashboard'], { cwd: repoRoot, env: { ...process.env, CLOCKWORK_IMAGE_MAP: imageMap } });
    let out = '';
    dev.stdout.on('data', (c: Buffer) => (out += c.toString()));
    dev.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise((resolve) => dev.on('close', resolve));
    try {
      await waitFor('dev watching', async () => out.includes('watching '), { timeoutMs: 120_000, intervalMs: 200 });
      expect(out).toMatch(/✓ 3\/3 resources Ready/);
      writeFileSync(file, readFileSync(file, 'utf8').replace('scrape_interval: 15s', 'scrape_interval: 7s'));
      await waitFor('the files live and SIGHUP sent', async () => /prometheus: files live \S+ after the save, container \w+ kept; reload: SIGHUP sent/.test(out), { timeoutMs: 60_000, intervalMs: 200 });
      const config = await waitFor('Prometheus running the new config', async () => {
        const body = (await (await fetch('http://127.0.0.1:9090/api/v1/status/config')).json()) as { data: { yaml: string } };
        return body.data.yaml.includes('scrape_interval: 7s') ? body.data.yaml : undefined;
      }, { timeoutMs: 30_000, intervalMs: 500 });
      expect(config).toContain('scrape_interval: 7s');
      expect((await docker(['inspect', '--format', '{{.Id}}', `clockwork-${NS}-prometheus`])).stdout.trim()).toBe(before);
    } finally {
      dev.kill('SIGINT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);

  test('a row survives a spec change of postgres-db: the container is replaced, its volume kept', async () => {
    await postItem('kept across replacement');
    const r = await clockwork(['apply', CHANGED, '--timeout', '180']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/postgres-db: Replaced — workload replaced: spec changed/);
    process.stdout.write(`postgres-db Ready again ${readyAfter(r.out, 'postgres-db')} s after the apply of its spec change started (Docker)\n`);
    expect(await itemNames()).toContain('kept across replacement');
  }, 240_000);

  test('a row survives destroy + apply; destroy says which volumes it kept and how to remove them', async () => {
    const destroyed = await clockwork(['destroy', CHANGED]);
    expect(destroyed.code).toBe(0);
    expect(destroyed.out).toMatch(/Kept 2 volumes and their data \(the next apply uses them again\): postgres-db\/data in docker volume clockwork-seed-docker-postgres-db-data, prometheus\/tsdb in docker volume clockwork-seed-docker-prometheus-tsdb\./);
    expect(destroyed.out).toMatch(/Remove them with `clockwork destroy --volumes test\/fixtures\/stacks\/seed-changed.ts`/);
    const r = await clockwork(['apply', STACK, '--timeout', '180']);
    expect(r.code).toBe(0);
    expect(await itemNames()).toContain('kept across replacement');
  }, 300_000);

  test('destroy --volumes, then apply: the database starts empty', async () => {
    const destroyed = await clockwork(['destroy', STACK, '--volumes']);
    expect(destroyed.code).toBe(0);
    expect(destroyed.out).toMatch(/Destroyed 3 containers and the network, and 2 volumes with their data/);
    const r = await clockwork(['apply', STACK, '--timeout', '180']);
    expect(r.code).toBe(0);
    expect(await itemNames()).toEqual([]);
  }, 300_000);

  test('destroy removes every container and the network, and keeps the volumes', async () => {
    const r = await clockwork(['destroy', STACK]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Kept 2 volumes/);
    expect((await docker(['volume', 'ls', '--filter', `label=clockwork.dev/namespace=${NS}`, '--format', '{{.Name}}'])).stdout.trim().split('\n').sort()).toEqual([
      `clockwork-${NS}-postgres-db-data`,
      `clockwork-${NS}-prometheus-tsdb`,
    ]);
    const left = (await docker(['ps', '-a', '--filter', `name=clockwork-${NS}-`, '--format', '{{.Names}}'])).stdout.trim();
    expect(left).toBe('');
    expect((await docker(['network', 'ls', '--filter', `name=clockwork-${NS}`, '--format', '{{.Name}}'])).stdout.trim()).toBe('');
  }, 120_000);
});
