// The migrations example for real, on Docker and on the real node: `migrate` (run: once) runs
// exactly once across two applies — counted by the database itself — and api-service starts
// only after it completed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { clusterInfo, docker, importImage, kubectl, kubectlJson, repoRoot, run } from '../harness/index.ts';
import { deleteNamespaces, ensureCrds, startOperatorProcess, type OperatorProcess } from '../integration/operator/support.ts';

const STACK = 'examples/migrations/main.ts';
let imageMap = '';

async function clockwork(args: string[], env: Record<string, string> = {}) {
  const r = await run(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), ...args], { cwd: repoRoot, allowFailure: true, timeoutMs: 300_000, env: { CLOCKWORK_IMAGE_MAP: imageMap, ...env } });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  await run('bash', [join(repoRoot, 'test/images/build-example-images.sh')], { timeoutMs: 600_000 });
  imageMap = readFileSync(join(process.env.CLOCKWORK_IMAGES_CACHE ?? join(homedir(), '.cache/clockwork/images'), 'image-map.env'), 'utf8').match(/^CLOCKWORK_IMAGE_MAP=(.*)$/m)![1]!;
}, 600_000);

describe('migrations on Docker', () => {
  const NS = 'migrations-docker';
  const cli = (args: string[]) => clockwork([...args, '-n', NS, '--target', 'docker']);
  const runs = async () => Number((await docker(['exec', `clockwork-${NS}-postgres-db`, 'psql', '-U', 'app', '-d', 'app', '-tAc', 'SELECT count(*) FROM migration_runs'])).stdout.trim());
  const inspect = async (name: string) => JSON.parse((await docker(['inspect', `clockwork-${NS}-${name}`])).stdout)[0];

  afterAll(async () => {
    await cli(['destroy', STACK, '--volumes']);
  }, 120_000);

  test('migrate completes before api-service starts; api-service serves what it created', async () => {
    const r = await cli(['apply', STACK, '--timeout', '180']);
    expect(r.out).toMatch(/✓ 3\/3 resources Ready/);
    expect(r.out).toMatch(/migrate: Completed/);
    const line = (text: string) => r.out.split('\n').findIndex((l) => l.includes(text));
    expect(line('api-service: Created')).toBeGreaterThan(line('migrate: Completed'));
    const migrate = await inspect('migrate');
    const api = await inspect('api-service');
    expect(migrate.State).toMatchObject({ Status: 'exited', ExitCode: 0 });
    expect(Date.parse(api.Created)).toBeGreaterThanOrEqual(Date.parse(migrate.State.FinishedAt));
    const items = (await (await fetch('http://127.0.0.1:8001/items')).json()) as { items: { name: string }[] };
    expect(items.items.map((i) => i.name)).toEqual(['created by migration 0001']);
  }, 240_000);

  test('a second apply does not run migrate again: one run, the same container', async () => {
    const before = await inspect('migrate');
    const r = await cli(['apply', STACK, '--timeout', '180']);
    expect(r.code).toBe(0);
    expect((await inspect('migrate')).Id).toBe(before.Id);
    expect(await runs()).toBe(1);
    const status = await cli(['status', STACK]);
    expect(status.out).toMatch(/migrate {2}✓ Completed/);
  }, 240_000);
});

describe('migrations on the real node', () => {
  const NS = `migrations-k8s-${process.pid % 10000}`;
  let operator: OperatorProcess | undefined;
  const cli = (args: string[]) => clockwork([...args, '-n', NS, '--target', 'kubernetes'], { KUBECONFIG: clusterInfo().kubeconfig });
  const runs = async () => Number((await kubectl(['exec', 'postgres-db', '--', 'psql', '-U', 'app', '-d', 'app', '-tAc', 'SELECT count(*) FROM migration_runs'], { namespace: NS })).stdout.trim());

  beforeAll(async () => {
    for (const image of ['clockwork-local/postgres:15', 'clockwork-examples/api-service:0.1.0']) await importImage(image);
    await ensureCrds();
    await kubectl(['create', 'namespace', NS]);
    operator = await startOperatorProcess(['--namespace', NS, '--lease-namespace', NS]);
  }, 600_000);

  afterAll(async () => {
    await deleteNamespaces([NS]);
    await operator?.stop();
  }, 120_000);

  test('migrate (a Job) completes before api-service starts; api-service serves what it created', async () => {
    const r = await cli(['apply', STACK, '--timeout', '240']);
    expect(r.out).toMatch(/✓ 3\/3 resources Ready/);
    expect(r.code).toBe(0);
    const job = await kubectlJson(['get', 'job', 'migrate'], { namespace: NS });
    expect(job.status.succeeded).toBe(1);
    const api = await kubectlJson(['get', 'pod', 'api-service'], { namespace: NS });
    // Server timestamps are whole seconds.
    expect(Date.parse(api.metadata.creationTimestamp)).toBeGreaterThanOrEqual(Date.parse(job.status.completionTime));
    const items = JSON.parse((await kubectl(['get', '--raw', `/api/v1/namespaces/${NS}/services/api-service:8000/proxy/items`])).stdout) as { items: { name: string }[] };
    expect(items.items.map((i) => i.name)).toEqual(['created by migration 0001']);
    const resource = await kubectlJson(['get', 'cwr', 'migrate'], { namespace: NS });
    expect(resource.status.conditions.find((c: { type: string }) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'Completed' });
  }, 300_000);

  test('a second apply does not run migrate again: one run, the same Job', async () => {
    const before = (await kubectlJson(['get', 'job', 'migrate'], { namespace: NS })).metadata.uid;
    const r = await cli(['apply', STACK, '--timeout', '240']);
    expect(r.code).toBe(0);
    expect((await kubectlJson(['get', 'job', 'migrate'], { namespace: NS })).metadata.uid).toBe(before);
    expect(await runs()).toBe(1);
  }, 300_000);
});
