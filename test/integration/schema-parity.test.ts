// The CRDs and the SDK validate with one set of rules: examples pass server-side dry-run, and
// random specs are accepted by both or rejected by both (property-based, against the real
// apiserver of the kwok test cluster).
import { beforeAll, describe, expect, test } from '@jest/globals';
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resourceSpecSchema } from '../../sdk/src/api/index.ts';
import { kubectl, repoRoot, run } from '../harness/index.ts';

let api: CustomObjectsApi;

beforeAll(async () => {
  await kubectl(['apply', '--server-side', '-f', join(repoRoot, 'crds')]);
  await kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/clockworkresources.clockwork.dev', 'crd/clockworkcomposites.clockwork.dev']);
  const config = new KubeConfig();
  config.loadFromDefault();
  api = config.makeApiClient(CustomObjectsApi);
}, 120_000);

/** Creates a Resource with server-side dry-run and strict field validation; returns the error, if any. */
async function serverVerdict(name: string, spec: unknown): Promise<string | undefined> {
  try {
    await api.createNamespacedCustomObject({
      group: 'clockwork.dev',
      version: 'v1alpha1',
      namespace: 'default',
      plural: 'clockworkresources',
      body: { apiVersion: 'clockwork.dev/v1alpha1', kind: 'Resource', metadata: { name }, spec },
      dryRun: 'All',
      fieldValidation: 'Strict',
    });
    return undefined;
  } catch (error) {
    const body = (error as { body?: string }).body;
    return typeof body === 'string' ? (JSON.parse(body) as { message: string }).message : String(error);
  }
}

describe('CRDs on a real apiserver', () => {
  test('both CRDs are established and listed under the clockwork category', async () => {
    const { stdout } = await kubectl(['api-resources', '--api-group=clockwork.dev', '-o', 'name']);
    expect(stdout.trim().split('\n').sort()).toEqual(['clockworkcomposites.clockwork.dev', 'clockworkresources.clockwork.dev']);
  });

  const examples = readdirSync(join(repoRoot, 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  test.each(examples)('the generated manifests of example %s pass kubectl apply --dry-run=server', async (example) => {
    const { stdout: manifests } = await run(process.execPath, [join(repoRoot, 'sdk/src/cli/main.ts'), 'generate', `examples/${example}/main.ts`], { cwd: repoRoot });
    const result = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: manifests });
    expect(result.stdout).toMatch(/created \(server dry run\)/);
  });
});

// A valid spec, then at most one of the mistakes users make: each rule is hit on its own, so
// that both verdicts are well represented.
const validPort = fc.record({ name: fc.constantFrom('http', 'metrics', 'web-1'), port: fc.integer({ min: 1, max: 65535 }) }, { requiredKeys: ['port'] });
const validSpec = fc.record(
  {
    image: fc.constantFrom('postgres:16.4', 'example/api:1'),
    ports: fc.uniqueArray(validPort, { maxLength: 3, selector: (p) => p.port }).map((ports) => ports.filter((p, i) => !p.name || ports.findIndex((q) => q.name === p.name) === i)),
    env: fc.uniqueArray(fc.record({ name: fc.constantFrom('A', 'DB_HOST', 'a.b', '_x'), value: fc.string({ maxLength: 8 }) }), { maxLength: 3, selector: (e) => e.name }),
    readiness: fc.oneof(fc.constant({ exec: { command: ['true'] } }), fc.record({ tcpSocket: fc.record({ port: fc.integer({ min: 1, max: 65535 }) }), periodSeconds: fc.integer({ min: 1, max: 60 }) })),
    assertions: fc.constantFrom([], [{ running: {} }], [{ name: 'healthy', logContains: { text: 'ready' } }, { tcp: { port: 5432 } }]),
    resources: fc.record({ requests: fc.record({ cpu: fc.constantFrom('100m', '1', 2), memory: fc.constantFrom('256Mi', '1Gi') }) }),
    dependsOn: fc.uniqueArray(fc.constantFrom('db', 'cache', 'queue'), { maxLength: 2 }),
    securityContext: fc.record({ runAsUser: fc.integer({ min: 0, max: 70000 }), runAsGroup: fc.integer({ min: 0, max: 70000 }) }, { requiredKeys: ['runAsUser'] }),
    volumes: fc.constantFrom(
      [],
      [{ name: 'data', mountPath: '/var/lib/data' }],
      [{ name: 'data', mountPath: '/data', size: '2Gi', storageClass: 'local-path', retain: false }, { name: 'wal', mountPath: '/data-wal', size: '500Mi', retain: true }],
    ),
  },
  { requiredKeys: ['image'] },
);
type Spec = Record<string, any>;
const mistakes: ((s: Spec) => Spec)[] = [
  (s) => ({ ...s, image: 'has space' }),
  (s) => ({ ...s, image: '' }),
  (s) => ({ ...s, comand: ['serve'] }),
  (s) => ({ ...s, ports: [{ port: 70000 }] }),
  (s) => ({ ...s, ports: [{ port: 0 }] }),
  (s) => ({ ...s, ports: [{ port: 80 }, { port: 80 }] }),
  (s) => ({ ...s, ports: [{ port: 80 }, { port: 80, protocol: 'UDP' }] }), // valid: another protocol
  (s) => ({ ...s, ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }),
  (s) => ({ ...s, ports: [{ name: 'HTTP', port: 80 }] }),
  (s) => ({ ...s, ports: [{ name: '1234', port: 80 }] }),
  (s) => ({ ...s, ports: [{ port: 80, protocol: 'tcp' }] }),
  (s) => ({ ...s, ports: [{ port: 80, hostPort: 8080 }, { port: 81, hostPort: 8080 }] }),
  (s) => ({ ...s, env: [{ name: '1BAD', value: 'x' }] }),
  (s) => ({ ...s, env: [{ name: 'A', value: 'x' }, { name: 'A', value: 'y' }] }),
  (s) => ({ ...s, env: [{ name: 'A', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }),
  (s) => ({ ...s, env: [{ name: 'A', valueFrom: {} }] }),
  (s) => ({ ...s, env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }] }), // valid
  (s) => ({ ...s, readiness: { tcpSocket: { port: 1 }, exec: { command: ['true'] } } }),
  (s) => ({ ...s, readiness: { periodSeconds: 2 } }),
  (s) => ({ ...s, readiness: { httpGet: { path: 'health', port: 80 } } }),
  (s) => ({ ...s, readiness: { httpGet: { path: '/health', port: 'nope' } } }),
  (s) => ({ ...s, ports: [{ name: 'http', port: 80 }], readiness: { httpGet: { path: '/health', port: 'http' } } }), // valid
  (s) => ({ ...s, readiness: { exec: { command: [] } } }),
  (s) => ({ ...s, assertions: [{ http: { port: 'ghost', path: '/' } }] }),
  (s) => ({ ...s, assertions: [{ http: { url: 'ftp://x/' } }] }),
  // Assertion paths that could leave the Resource's own Service (issue #18), and ones that cannot.
  ...['/../../api/v1/secrets', '/a/..', '/%2e%2e/x', '/.%2E/x', '/a%2fb', '/a%5cb', '/%252e', '/x#y', '/a\\b', '//host/x', '/ x', '/%g0', '/%2', '/é'].map(
    (path) => (s: Spec) => ({ ...s, ports: [{ port: 80 }], assertions: [{ http: { port: 80, path } }] }),
  ),
  ...['/a.b/..c/.d', '/q?x=/../y', "/~u/%20;,:@!$&'()*+="].map((path) => (s: Spec) => ({ ...s, ports: [{ port: 80 }], assertions: [{ http: { port: 80, path } }] })), // valid
  (s) => ({ ...s, assertions: [{ http: { url: 'http://x/', path: '/p' } }] }),
  (s) => ({ ...s, assertions: [{ http: { url: 'http://x/', status: 99 } }] }),
  (s) => ({ ...s, assertions: [{ tcp: { port: 1 }, running: {} }] }),
  (s) => ({ ...s, assertions: [{ logContains: {} }] }),
  (s) => ({ ...s, assertions: [{ name: 'Bad Name', running: {} }] }),
  (s) => ({ ...s, assertions: [{ name: 'a', running: {} }, { name: 'a', tcp: { port: 1 } }] }),
  (s) => ({ ...s, assertions: [{ running: {}, failureThreshold: 0 }] }),
  (s) => ({ ...s, resources: { requests: { cpu: 'lots' } } }),
  (s) => ({ ...s, resources: { requests: { cpu: -1 } } }),
  (s) => ({ ...s, resources: { requests: { gpu: 1 } } }),
  (s) => ({ ...s, dependsOn: ['Bad'] }),
  (s) => ({ ...s, dependsOn: ['db', 'db'] }),
  (s) => ({ ...s, files: [{ mountPath: 'relative/path', content: '' }] }),
  (s) => ({ ...s, files: [{ mountPath: '/etc/a', content: '' }, { mountPath: '/etc/a', content: 'x' }] }),
  (s) => ({ ...s, timeouts: { readySeconds: 0 } }),
  (s) => ({ ...s, timeouts: { dependenciesSeconds: 0 } }),
  (s) => ({ ...s, command: [] }),
  (s) => ({ ...s, files: [{ mountPath: '/etc/a', content: 'x'.repeat(262145) }] }),
  (s) => ({ ...s, env: [{ name: 'A', value: 'x'.repeat(131073) }] }),
  // Host access, at the top and nested: unknown fields, rejected by both (pruned when not strict).
  (s) => ({ ...s, hostNetwork: true }),
  (s) => ({ ...s, privileged: true }),
  (s) => ({ ...s, serviceAccountName: 'admin' }),
  (s) => ({ ...s, nodeSelector: { 'kubernetes.io/hostname': 'n1' } }),
  (s) => ({ ...s, volumes: [{ name: 'root', hostPath: { path: '/' } }] }),
  (s) => ({ ...s, securityContext: { privileged: true } }),
  (s) => ({ ...s, securityContext: { runAsUser: 1000, capabilities: { add: ['NET_ADMIN'] } } }),
  (s) => ({ ...s, securityContext: { runAsGroup: 999 } }),
  (s) => ({ ...s, securityContext: { runAsUser: -1 } }),
  (s) => ({ ...s, securityContext: { runAsUser: 2147483648 } }),
  (s) => ({ ...s, securityContext: { runAsUser: 0, runAsGroup: 0 } }), // valid: root, when asked for
  (s) => ({ ...s, ports: [{ port: 80, hostIP: '0.0.0.0' }] }),
  (s) => ({ ...s, files: [{ mountPath: '/etc/a', content: '', hostPath: '/etc' }] }),
  // Volumes, tasks and restarts (issue 17).
  (s) => ({ ...s, volumes: [{ name: 'data', mountPath: '/a' }, { name: 'data', mountPath: '/b' }] }),
  (s) => ({ ...s, volumes: [{ name: 'a', mountPath: '/data' }, { name: 'b', mountPath: '/data/wal' }] }),
  (s) => ({ ...s, volumes: [{ name: 'a', mountPath: '/data' }, { name: 'b', mountPath: '/data' }] }),
  (s) => ({ ...s, volumes: [{ name: 'a', mountPath: '/data' }, { name: 'b', mountPath: '/data2' }] }), // valid: not a path prefix
  (s) => ({ ...s, files: [{ mountPath: '/etc/app/app.conf', content: '' }], volumes: [{ name: 'conf', mountPath: '/etc/app' }] }),
  (s) => ({ ...s, files: [{ mountPath: '/etc/app/app.conf', content: '' }], volumes: [{ name: 'conf', mountPath: '/etc/app/app.conf' }] }),
  (s) => ({ ...s, volumes: [{ name: 'data', mountPath: '/d', size: 'lots' }] }),
  (s) => ({ ...s, volumes: [{ name: 'data', mountPath: '/d', size: '0' }] }),
  (s) => ({ ...s, volumes: [{ name: 'data', mountPath: '/d', size: '0Gi' }] }),
  (s) => ({ ...s, volumes: [{ name: 'data', mountPath: '/d', size: '-1Gi' }] }),
  (s) => ({ ...s, volumes: [{ name: 'data', mountPath: '/d', size: 1024 }] }),
  (s) => ({ ...s, volumes: [{ name: 'data', mountPath: '/d', size: '0.5Gi' }] }), // valid
  (s) => ({ ...s, volumes: [{ name: 'data', mountPath: 'relative' }] }),
  (s) => ({ ...s, volumes: [{ name: 'data', mountPath: '/data/' }] }),
  (s) => ({ ...s, volumes: [{ name: 'data', mountPath: '/a/../etc' }] }),
  (s) => ({ ...s, volumes: [{ name: 'data', mountPath: '/' }] }),
  (s) => ({ ...s, volumes: [{ name: 'Data', mountPath: '/d' }] }),
  (s) => ({ ...s, volumes: [{ name: 'data', mountPath: '/d', storageClass: 'Fast_SSD' }] }),
  (s) => ({ ...s, volumes: [{ name: 'data', mountPath: '/d', retain: 'yes' }] }),
  (s) => ({ ...s, volumes: [{ name: 'root', mountPath: '/host', hostPath: { path: '/' } }] }),
  (s) => ({ ...s, run: 'twice' }),
  (s) => ({ ...s, run: 'always' }), // valid
  (s) => ({ ...s, run: 'once', readiness: { exec: { command: ['true'] } } }),
  (s) => ({ ...withoutReadiness(s), run: 'once' }), // valid
  (s) => ({ ...withoutReadiness(s), run: 'once', backoffLimit: 0 }), // valid
  (s) => ({ ...withoutReadiness(s), run: 'once', backoffLimit: 10 }), // valid
  (s) => ({ ...withoutReadiness(s), run: 'once', backoffLimit: 11 }),
  (s) => ({ ...withoutReadiness(s), run: 'once', backoffLimit: -1 }),
  (s) => ({ ...s, backoffLimit: 2 }),
  (s) => ({ ...s, run: 'always', backoffLimit: 2 }),
  (s) => ({ ...s, readiness: { exec: { command: ['true'] }, hostNetwork: true } }),
];
function withoutReadiness(s: Spec): Spec {
  const { readiness: _readiness, ...rest } = s;
  return rest;
}

// Random strings where a pattern decides (port and env names, dependencies, mount paths,
// assertion names), with characters on both sides of each rule and a non-ASCII letter: the
// zod regexes and the CRD's patterns (Go RE2) must draw the same line.
const fuzzChar = fc.constantFrom('a', 'z', 'Z', '0', '9', '-', '_', '.', '/', ' ', 'é', 'ß');
const fuzzString = fc.string({ unit: fuzzChar, minLength: 0, maxLength: 18 });
// Assertion paths: dot segments, percent-encodings, query and fragment characters (issue #18).
const pathString = fc.string({ unit: fc.constantFrom('/', '.', '%', '2', 'e', 'E', 'f', '5', 'c', 'a', '?', '#', '\\', ' ', 'é'), minLength: 0, maxLength: 12 });
const fuzzed = fc.tuple(validSpec, fc.constantFrom('portName', 'envName', 'dependsOn', 'mountPath', 'assertionName', 'image', 'assertionPath', 'volumeMountPath', 'volumeSize', 'volumeName'), fuzzString, pathString).map(([s, field, v, p]): Spec => {
  switch (field) {
    case 'assertionPath':
      return { ...s, ports: [{ port: 80 }], assertions: [{ http: { port: 80, path: `/${p}` } }] };
    case 'portName':
      return { ...s, ports: [{ name: v, port: 80 }] };
    case 'envName':
      return { ...s, env: [{ name: v, value: 'x' }] };
    case 'dependsOn':
      return { ...s, dependsOn: [v] };
    case 'mountPath':
      return { ...s, files: [{ mountPath: `/${v}`, content: '' }] };
    case 'volumeMountPath':
      return { ...s, volumes: [{ name: 'data', mountPath: `/${v}` }] };
    case 'volumeSize':
      return { ...s, volumes: [{ name: 'data', mountPath: '/d', size: v }] };
    case 'volumeName':
      return { ...s, volumes: [{ name: v, mountPath: '/d' }] };
    case 'assertionName':
      return { ...s, assertions: [{ name: v, running: {} }] };
    default:
      return { ...s, image: v };
  }
});
const spec = fc.oneof(
  { arbitrary: fc.tuple(validSpec, fc.option(fc.integer({ min: 0, max: mistakes.length - 1 }), { freq: 3 })).map(([base, m]) => (m === null ? base : mistakes[m]!(base))), weight: 3 },
  { arbitrary: fuzzed, weight: 1 },
);

describe('property: the SDK and the apiserver agree on every spec', () => {
  test('random specs validate in both or are rejected by both, and the apiserver names the field', async () => {
    let index = 0;
    let rejected = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(spec, async (candidate) => {
        const sdk = resourceSpecSchema.safeParse(candidate);
        const server = await serverVerdict(`prop-${index++}`, candidate);
        if (sdk.success !== (server === undefined))
          throw new Error(`disagreement on ${JSON.stringify(candidate)}\n  sdk: ${sdk.success ? 'valid' : JSON.stringify(sdk.error.issues.map((i) => [i.path.join('.'), i.message]))}\n  apiserver: ${server ?? 'valid'}`);
        if (sdk.success) accepted++;
        else {
          rejected++;
          const fields = sdk.error.issues.map((i) => String(i.path[0] ?? ''));
          const named = fields.some((f) => server!.includes(f === '' ? 'spec' : `spec.${f}`));
          if (!named) throw new Error(`the apiserver's message does not name any of ${fields.join(', ')}: ${server}`);
        }
      }),
      { numRuns: 300, seed: Number(process.env.PARITY_SEED ?? 20261129) },
    );
    // Both outcomes must be well represented, or the property proves little.
    expect(rejected).toBeGreaterThan(20);
    expect(accepted).toBeGreaterThan(10);
  }, 300_000);
});
