import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFakeModel, type FakeModelServer } from './fake-openai-server.ts';

const root = join(import.meta.dirname, '..', '..');

/**
 * Runs the real CLI. Asynchronous on purpose: the fake model server lives in this process and
 * must keep answering while the CLI waits for it.
 */
function clockwork(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(OPENAI_|CLOCKWORK_MODEL)/.test(k)));
  const child = spawn(process.execPath, [join(root, 'sdk/src/cli/main.ts'), ...args], { cwd: root, env: { ...clean, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const STACK = `import { Composite, Resource } from ${JSON.stringify(pathToFileURL(join(root, 'sdk/src/index.ts')).href)};
const db = new Resource({ name: 'postgres-db', image: 'postgres:16.4', ports: [{ name: 'postgres', port: 5432 }] });
const api = new Resource({
  name: 'api-service',
  description: 'REST API server that stores data in Postgres',
  ports: [{ name: 'http', port: 8000 }],
  readiness: { httpGet: { path: '/readyz', port: 'http' } },
  assertions: [{ name: 'healthy', http: { port: 'http', path: '/healthz' } }],
});
api.connect(db);
export default [new Composite({ name: 'webapp', description: 'Web application' }).add(db, api)];
`;

let dir: string;
let stack: string;
let server: FakeModelServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clockwork-ai-cli-'));
  stack = join(dir, 'main.ts');
  writeFileSync(stack, STACK);
  server = await startFakeModel([{ image: 'ghcr.io/stefanprodan/podinfo:6.9.2', env: [] }]);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('clockwork complete', () => {
  test('without a model or a lock entry: exit 1 naming the resource and its missing fields; plan and generate refuse too', async () => {
    const completeRun = await clockwork(['complete', stack]);
    expect(completeRun.code).toBe(1);
    expect(completeRun.stderr).toContain('webapp/api-service: image, env not completed: the lock file has no entry for it, and no model configured: set CLOCKWORK_MODEL');
    for (const command of ['plan', 'generate']) {
      const run = await clockwork([command, stack]);
      expect(run).toMatchObject({ code: 1, stdout: '' });
      expect(run.stderr).toContain('webapp/api-service: image, env not completed: the lock file has no entry for it, and no model was asked');
    }
    expect(existsSync(join(dir, 'clockwork.lock.json'))).toBe(false);
  });

  test('bad usage exits 2', async () => {
    expect((await clockwork(['complete'])).code).toBe(2);
    expect((await clockwork(['complete', stack, '--bogus'])).code).toBe(2);
  });

  test('with OPENAI_BASE_URL, a dummy key and CLOCKWORK_MODEL: exit 0, the lock file is written, and plan uses it offline', async () => {
    const run = await clockwork(['complete', stack], server.env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('api-service: image, env from test-model\n');
    expect(server.requests).toHaveLength(1);
    const lock = JSON.parse(readFileSync(join(dir, 'clockwork.lock.json'), 'utf8'));
    expect(lock.resources['api-service'].fields).toEqual({ env: {}, image: 'ghcr.io/stefanprodan/podinfo:6.9.2' });

    // Again: nothing to ask.
    const again = await clockwork(['complete', stack], server.env);
    expect(again).toMatchObject({ code: 0 });
    expect(again.stdout).toContain('api-service: image, env from the lock file\n');
    expect(server.requests).toHaveLength(1);

    // plan and generate need no model now.
    const plan = await clockwork(['plan', stack]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('└── api-service  ← postgres-db  (image, env from completion)');
    const json = await clockwork(['plan', stack, '-o', 'json']);
    expect(JSON.parse(json.stdout).completed).toEqual({ 'api-service': ['image', 'env'] });
    const generate = await clockwork(['generate', stack]);
    expect(generate.code).toBe(0);
    expect(generate.stdout).toContain('image: ghcr.io/stefanprodan/podinfo:6.9.2');

    // --refresh asks again; --model overrides CLOCKWORK_MODEL.
    const refresh = await clockwork(['complete', stack, '--refresh', '--model', 'other-model'], server.env);
    expect(refresh.code).toBe(0);
    expect(server.requests.at(-1)!.model).toBe('other-model');
    expect(JSON.parse(readFileSync(join(dir, 'clockwork.lock.json'), 'utf8')).resources['api-service'].model).toBe('other-model');
  });

  test('complete drops lock entries of Resources that no longer ask for completion; plan never touches the lock', async () => {
    const lockPath = join(dir, 'clockwork.lock.json');
    const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
    lock.resources['old-worker'] = { inputs: 'sha256:stale', fields: { image: 'example/worker:1' } };
    writeFileSync(lockPath, JSON.stringify(lock));
    const before = readFileSync(lockPath, 'utf8');
    expect((await clockwork(['plan', stack])).code).toBe(0);
    expect(readFileSync(lockPath, 'utf8')).toBe(before);

    const requests = server.requests.length;
    const run = await clockwork(['complete', stack], server.env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('old-worker: lock entry removed (the Resource no longer asks for completion)\n');
    expect(run.stdout).toContain('api-service: image, env from the lock file\n');
    expect(Object.keys(JSON.parse(readFileSync(lockPath, 'utf8')).resources)).toEqual(['api-service']);
    expect(server.requests).toHaveLength(requests);
  });
});
