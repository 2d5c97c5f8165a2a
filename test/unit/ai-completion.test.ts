import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Composite, Resource, compileStack, planStack, type ResourceOptions } from '../../sdk/src/index.ts';
import { CompletionError, LOCK_FILE_NAME, completeStackFile, readLockFile, type CompleteFileOptions } from '../../sdk/src/complete/index.ts';
import { renderPlan } from '../../sdk/src/cli/commands/plan.ts';
import { promptOf, startFakeModel, type FakeModelServer } from './fake-openai-server.ts';

type Omit = (keyof ResourceOptions)[];

/** The seed stack (examples/mixed-pattern), with some of api-service's fields left out. */
function seed(omit: Omit = ['image'], overrides: Partial<ResourceOptions> = {}) {
  const prometheus = new Resource({
    name: 'prometheus',
    description: 'Shared monitoring service that scrapes the applications',
    image: 'prom/prometheus:v2.53.4',
    ports: [{ name: 'http', port: 9090, hostPort: 9090 }],
    readiness: { httpGet: { path: '/-/ready', port: 'http' }, periodSeconds: 2 },
  });
  const postgresDb = new Resource({
    name: 'postgres-db',
    description: 'Application database',
    image: 'postgres:16.4',
    ports: [{ name: 'postgres', port: 5432, hostPort: 5432 }],
    env: { POSTGRES_USER: 'app', POSTGRES_PASSWORD: 'app', POSTGRES_DB: 'app' },
  });
  const api: ResourceOptions = {
    name: 'api-service',
    description: 'REST API server that stores data in Postgres and exposes Prometheus metrics',
    image: 'ghcr.io/stefanprodan/podinfo:6.9.2',
    command: ['./podinfo', '--port=8000', '--level=info'],
    ports: [{ name: 'http', port: 8000, hostPort: 8000 }],
    readiness: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 2 },
    assertions: [{ name: 'healthy', http: { port: 'http', path: '/healthz' } }],
    ...overrides,
  };
  for (const field of omit) delete api[field];
  const apiService = new Resource(api);
  const webapp = new Composite({ name: 'webapp', description: 'Web application: database and API' }).add(postgresDb, apiService);
  apiService.connect(postgresDb, prometheus);
  return { prometheus, postgresDb, apiService, webapp, items: [prometheus, webapp] };
}

const podinfo = { image: 'ghcr.io/stefanprodan/podinfo:6.9.2', env: [{ name: 'DATABASE_URL', value: 'postgres://app:app@postgres-db:5432/app' }] };

let dir: string;
let stackFile: string;
let server: FakeModelServer | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'clockwork-ai-'));
  stackFile = join(dir, 'main.ts');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function serve(...answers: Parameters<typeof startFakeModel>[0]) {
  server = await startFakeModel(answers);
  return server;
}

/** Completes and compiles as `clockwork plan --complete` does, against the fake server. */
async function completeAndCompile(items: unknown[], options: CompleteFileOptions = {}) {
  const { completions, completed, wroteLock } = await completeStackFile(stackFile, items, { complete: true, env: server?.env ?? {}, ...options });
  return { stack: compileStack(items, { completions }), completed, wroteLock };
}

describe('AI completion against an OpenAI-compatible server', () => {
  test("completes the seed's api-service when its image is left out, asking for exactly the missing fields", async () => {
    const fake = await serve(podinfo);
    const { items } = seed(['image']);
    const { stack, completed } = await completeAndCompile(items);

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0]!;
    expect(request.model).toBe('test-model');
    expect(request.response_format?.type).toBe('json_schema');
    expect(request.response_format?.json_schema?.strict).toBe(true);
    expect(Object.keys(request.response_format!.json_schema!.schema.properties!).sort()).toEqual(['env', 'image']);
    expect(promptOf(request)).toContain('Resource "api-service"');
    expect(promptOf(request)).toContain('Description: REST API server that stores data in Postgres and exposes Prometheus metrics');
    expect(promptOf(request)).toContain('Fill in exactly these fields: image, env.');

    expect(completed).toEqual([{ name: 'api-service', fields: ['image', 'env'], source: 'model', model: 'test-model' }]);
    const api = stack.resources.find((r) => r.name === 'api-service')!;
    expect(api.spec.image).toBe('ghcr.io/stefanprodan/podinfo:6.9.2');
    expect(api.spec.env).toEqual([{ name: 'DATABASE_URL', value: 'postgres://app:app@postgres-db:5432/app' }]);
    expect(api.completed).toEqual(['image', 'env']);
    expect(stack.resources.find((r) => r.name === 'postgres-db')!.completed).toBeUndefined();

    const plan = planStack(stack);
    expect(plan.completed).toEqual({ 'api-service': ['image', 'env'] });
    expect(renderPlan(plan)).toContain('└── api-service  ← postgres-db, prometheus  (image, env from completion)');
  });

  test("a composite child's prompt carries its composite's description", async () => {
    const fake = await serve(podinfo);
    await completeAndCompile(seed(['image']).items);
    expect(promptOf(fake.requests[0]!)).toContain('Part of the composite "webapp": Web application: database and API');
  });

  test("the prompt lists what the dependencies expose: names, images and ports", async () => {
    const fake = await serve(podinfo);
    await completeAndCompile(seed(['image']).items);
    const prompt = promptOf(fake.requests[0]!);
    expect(prompt).toContain('- postgres-db: image postgres:16.4, port 5432 (postgres)');
    expect(prompt).toContain('- prometheus: image prom/prometheus:v2.53.4, port 9090 (http)');
  });

  test("a completed dependency's image and ports are context for its dependents", async () => {
    const fake = await serve(
      (r) => promptOf(r).includes('"postgres-db"')
          ? { image: 'postgres:17.0', ports: [{ name: 'postgres', port: 5432, protocol: null }], readiness: { tcpSocket: { port: 5432 }, initialDelaySeconds: null, periodSeconds: null }, assertions: [] }
          : podinfo,
    );
    const { postgresDb, items } = seed(['image']);
    delete postgresDb.image;
    delete postgresDb.ports;
    await completeAndCompile(items);
    expect(fake.requests.map((r) => promptOf(r).split('\n')[0])).toEqual(['Resource "postgres-db"', 'Resource "api-service"']);
    expect(promptOf(fake.requests[1]!)).toContain('- postgres-db: image postgres:17.0, port 5432 (postgres)');
  });

  test('an invalid answer is sent back with its validation errors, and the next valid one is used', async () => {
    const fake = await serve({ image: 'podinfo latest', env: [] }, podinfo);
    const { stack } = await completeAndCompile(seed(['image']).items);
    expect(fake.requests).toHaveLength(2);
    const retry = fake.requests[1]!.messages;
    expect(retry.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(retry[2]!.content).toBe('{"image":"podinfo latest","env":[]}');
    expect(retry[3]!.content).toContain('That answer is invalid:\n- image: must not contain whitespace');
    expect(stack.resources.find((r) => r.name === 'api-service')!.spec.image).toBe(podinfo.image);
  });

  test('cross-field rules count: a readiness probe on a port name the completion did not define is rejected', async () => {
    const fake = await serve(
      { image: 'nginx:1.27', ports: [{ name: 'web', port: 80, protocol: null }] },
      { image: 'nginx:1.27', ports: [{ name: 'http', port: 80, protocol: null }] },
    );
    const { items } = seed(['image', 'ports'], { env: {} });
    await completeAndCompile(items);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.messages[3]!.content).toContain('readiness.httpGet.port: port "http" is not the name of any of this resource\'s ports');
  });

  test('a model that never answers validly fails after N attempts with a clear error, and nothing is compiled', async () => {
    const fake = await serve('not json at all', { image: 42, env: [] }, { image: '', env: [] });
    const error = await completeAndCompile(seed(['image']).items, { maxAttempts: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompletionError);
    expect(fake.requests).toHaveLength(3);
    const message = (error as Error).message;
    expect(message).toContain('1 resource needs AI completion');
    expect(message).toContain('webapp/api-service: image, env not completed: the model "test-model" gave no valid answer in 3 attempts');
    expect(message).toContain('image: Too small');
    expect(readLockFile(join(dir, LOCK_FILE_NAME)).resources).toEqual({});
  });

  test('the lock file is reused with the server stopped; no request is made', async () => {
    const fake = await serve(podinfo);
    const first = await completeAndCompile(seed(['image']).items);
    expect(first.wroteLock).toBe(true);
    await fake.close();
    server = undefined;

    // Lock only (what generate and plan do), and with --complete against a dead endpoint.
    for (const options of [{ complete: false }, { complete: true, env: { ...fake.env } }]) {
      const again = await completeAndCompile(seed(['image']).items, options);
      expect(again.wroteLock).toBe(false);
      expect(again.completed).toEqual([{ name: 'api-service', fields: ['image', 'env'], source: 'lock', model: 'test-model' }]);
      expect(again.stack.resources.find((r) => r.name === 'api-service')!.spec).toEqual(first.stack.resources.find((r) => r.name === 'api-service')!.spec);
    }
    expect(fake.requests).toHaveLength(1);
  });

  test('the lock file diffs well: sorted keys, 2-space JSON, an entry keyed by the hash of its inputs', async () => {
    await serve(podinfo);
    await completeAndCompile(seed(['image']).items);
    const text = readFileSync(join(dir, LOCK_FILE_NAME), 'utf8');
    const lock = JSON.parse(text);
    expect(text).toBe(`${JSON.stringify(lock, null, 2)}\n`);
    expect(Object.keys(lock)).toEqual(['resources', 'version']);
    expect(lock.resources['api-service']).toEqual({
      fields: { env: { DATABASE_URL: 'postgres://app:app@postgres-db:5432/app' }, image: 'ghcr.io/stefanprodan/podinfo:6.9.2' },
      inputs: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      model: 'test-model',
    });
  });

  test('--refresh asks again even though the lock has a matching entry', async () => {
    const fake = await serve(podinfo, { ...podinfo, image: 'ghcr.io/stefanprodan/podinfo:6.9.3' });
    await completeAndCompile(seed(['image']).items);
    const refreshed = await completeAndCompile(seed(['image']).items, { refresh: true });
    expect(fake.requests).toHaveLength(2);
    expect(refreshed.wroteLock).toBe(true);
    expect(refreshed.stack.resources.find((r) => r.name === 'api-service')!.spec.image).toBe('ghcr.io/stefanprodan/podinfo:6.9.3');
    expect(readLockFile(join(dir, LOCK_FILE_NAME)).resources['api-service']!.fields['image']).toBe('ghcr.io/stefanprodan/podinfo:6.9.3');
  });

  test("changing a description invalidates that Resource's entry only", async () => {
    const fake = await serve((r) => (promptOf(r).includes('"postgres-db"') ? { image: 'postgres:16.4', readiness: { tcpSocket: { port: 5432 }, initialDelaySeconds: null, periodSeconds: 2 }, assertions: [] } : podinfo));
    const build = (dbDescription: string) => {
      const s = seed(['image']);
      delete s.postgresDb.image;
      delete s.postgresDb.readiness;
      s.postgresDb.description = dbDescription;
      return s.items;
    };
    await completeAndCompile(build('Application database'));
    expect(fake.requests).toHaveLength(2);

    // Lock only: the changed Resource is out of date; its dependent waits for it.
    const error = await completeAndCompile(build('Application database (PostgreSQL)'), { complete: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompletionError);
    expect((error as CompletionError).problems.map((p) => [p.path, p.fields, p.reason])).toEqual([
      ['webapp/postgres-db', ['image', 'readiness', 'assertions'], 'its lock entry is out of date (its inputs changed), and no model was asked (run `clockwork complete`, or pass --complete)'],
      ['webapp/api-service', ['image', 'env'], 'it depends on postgres-db, which is not completed'],
    ]);

    // With the model, only postgres-db is asked again: api-service's inputs (postgres-db's image
    // and ports) did not change, so its entry still holds.

    await completeAndCompile(build('Application database (PostgreSQL)'));
    expect(fake.requests).toHaveLength(3);
    expect(promptOf(fake.requests[2]!)).toContain('Description: Application database (PostgreSQL)');
  });

  test("the user's fields are never overwritten, even when the model answers them", async () => {
    const fake = await serve({ ...podinfo, ports: [{ name: 'web', port: 9999, protocol: null }], command: ['evil'] });
    const { apiService, items } = seed(['image']);
    const before = structuredClone(apiService.toOptions());
    const { stack } = await completeAndCompile(items);
    expect(Object.keys(fake.requests[0]!.response_format!.json_schema!.schema.properties!)).not.toContain('ports');
    const api = stack.resources.find((r) => r.name === 'api-service')!;
    expect(api.spec.ports).toEqual([{ name: 'http', port: 8000, hostPort: 8000 }]);
    expect(api.spec.command).toEqual(['./podinfo', '--port=8000', '--level=info']);
    expect(api.completed).toEqual(['image', 'env']);
    // The Resource object itself is not changed by completion.
    expect(apiService.toOptions()).toEqual(before);
    expect(promptOf(fake.requests[0]!)).toContain('"ports":[{"name":"http","port":8000,"hostPort":8000}]');
  });

  test('without a model and without a lock entry, the error names the resource and the missing fields', async () => {
    const error = await completeAndCompile(seed(['image', 'readiness']).items, { complete: true, env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompletionError);
    expect((error as Error).message).toContain('webapp/api-service: image, readiness, env not completed: the lock file has no entry for it, and no model configured: set CLOCKWORK_MODEL or pass --model');
  });

  test('an unreachable model is a clear error, not a crash', async () => {
    const fake = await serve(podinfo);
    const env = { ...fake.env };
    await fake.close();
    server = undefined;
    const error = await completeAndCompile(seed(['image']).items, { env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompletionError);
    expect((error as Error).message).toContain(`webapp/api-service: image, env not completed: the lock file has no entry for it, and the model "test-model" at ${env['OPENAI_BASE_URL']} failed: Connection error.`);
  });

  test('a stack that needs no completion never reads or writes the lock file', async () => {
    const result = await completeStackFile(stackFile, seed([]).items, { complete: true, env: {} });
    expect(result).toMatchObject({ completed: [], wroteLock: false });
    expect(readLockFile(join(dir, LOCK_FILE_NAME))).toEqual({ version: 1, resources: {} });
  });
});

test('the operator never calls a model: nothing under operator/ imports the completion code or openai', () => {
  const root = join(import.meta.dirname, '..', '..', 'operator');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const offenders = files.filter((f) => /from ['"](openai|[^'"]*\/complete\/[^'"]*)['"]|import\(['"]openai/.test(readFileSync(join(root, f), 'utf8')));
  expect(offenders).toEqual([]);
});
